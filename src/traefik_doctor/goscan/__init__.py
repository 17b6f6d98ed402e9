"""Facts about the Go services behind Traefik, read from their source with tree-sitter.

Rules never see syntax trees: the extractor turns each ``main`` package into a small
``GoProgram`` (listeners, routes, timeouts, pprof, TLS client settings), with file:line for
every fact and an honest ``unresolved`` list for what could not be worked out.
"""
