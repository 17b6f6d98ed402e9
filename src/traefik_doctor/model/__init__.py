"""One typed model of Traefik's static and dynamic configuration, every value with its origin."""
