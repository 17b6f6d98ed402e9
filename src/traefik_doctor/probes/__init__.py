"""Live probes of a running Traefik and the services behind it: one module per protocol.

Like blackbox_exporter's probers, a probe never raises: it returns a ``ProbeResult`` with
success, duration, per-phase timings, the reason it failed and what it observed.
"""
