"""Traefik's configuration schema (static and dynamic) and the walk that validates a tree."""
