"""traefik-doctor: why a Go service behind Traefik does not answer as expected, and the fix."""

__version__ = "0.1.0"

__all__ = ["__version__"]
