# attendance texts
