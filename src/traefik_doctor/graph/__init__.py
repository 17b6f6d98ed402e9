"""``traefik-doctor graph``: the topology (entry points → routers → middlewares → services →
servers → Go listeners and handlers) with ``check``'s findings on the nodes they point at.

``model`` builds the nodes and edges once; ``mermaid``, ``dot`` and ``html`` render them.
"""
