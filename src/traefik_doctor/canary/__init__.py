"""``traefik-doctor compare``: a canary verdict from Traefik's metrics for two services."""
