"""Refuge's public web service: the only door to the assistant."""
