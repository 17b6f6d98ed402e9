"""``traefik-doctor diff DIR_A DIR_B``: compare two projects' Traefik models."""
