"""Mail: the outbox table, its sender (SMTP or .eml files) and the French templates."""
