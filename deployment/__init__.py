"""The production layout: several Rasa servers on PostgreSQL and Redis, started and kept running."""
