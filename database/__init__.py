"""The one data layer: the tables of the web service and the operator console, their migrations, Rasa's events read-only."""
