"""Refuge's custom actions: thin adapters between Rasa's tracker and the refuge package."""
