"""The database: schema (models), engine and migrations helpers."""
