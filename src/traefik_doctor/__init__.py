"""traefik-doctor: why a Go service behind Traefik does not answer as expected, and how to fix it."""

__version__ = "0.1.0"

__all__ = ["__version__"]
