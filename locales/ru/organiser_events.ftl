# organiser_events texts
