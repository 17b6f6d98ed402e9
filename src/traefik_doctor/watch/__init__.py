"""``traefik-doctor watch``: re-check on every save, show what appeared and what was resolved.

``command`` parses the arguments (imported by the CLI, so it stays light); ``session`` runs a
check through a ``LoadCache`` and keeps the last findings; ``diff`` pairs findings across
checks; ``render`` prints a check; ``loop`` turns file events into checks; ``probe`` probes
again the routers that changed (``--probe``).
"""
