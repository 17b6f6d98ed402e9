"""Loaders: read Traefik configuration from files, compose projects and flags into trees."""
