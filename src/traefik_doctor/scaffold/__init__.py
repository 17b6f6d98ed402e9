"""``traefik-doctor init``: write a minimal Traefik + Go project that is already right.

``templates`` renders the files from a ``Spec`` (pure: text in, text out); ``command`` parses
and validates the arguments, refuses to overwrite, and writes each file atomically.
"""
