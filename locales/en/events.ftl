# events texts
