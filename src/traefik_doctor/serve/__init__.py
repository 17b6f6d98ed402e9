"""``traefik-doctor serve``: a Prometheus exporter for check and probe results."""
