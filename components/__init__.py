"""Custom Rasa graph components of the project."""
