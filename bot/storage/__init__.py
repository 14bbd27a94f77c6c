"""SQLite storage: the connection, the migration runner and the repositories. All SQL lives here."""
