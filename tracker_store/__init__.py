"""Rasa's SQL tracker store, made to survive a database restart (endpoints.yml names it)."""
