"""Live diagnosis of a running Traefik: plan the probes from the project, run them, read the
access log, and turn the evidence into LIVE findings (``probe`` and ``doctor``)."""
