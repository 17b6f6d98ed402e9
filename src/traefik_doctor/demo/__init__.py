"""`traefik-doctor demo`: the bundled broken shop, run behind the real Traefik."""
