"""Refuge: a French victim-support assistant for minors facing online sexual violence, and its legal engine."""
