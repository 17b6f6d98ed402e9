"""``traefik-doctor route``: where one request goes, and why not where it was expected.

Modules: ``explain`` builds the explanation (router verdicts, middlewares, upstream, servers,
Go handler), ``middlewares`` says what each middleware does to the request, ``render`` prints
it, ``command`` is the CLI entry.

The routing decision itself is ``routing.engine`` (Traefik 3.7's muxer); this module follows
the request on from the winning router: its middlewares in order (path rewrites computed by
``model.rewrite``; redirects, authentication, allow-lists and headers described), the Host
and path the backend receives, the service tree down to its servers and, when the Go code is
known, the Go handler that serves the rewritten path (``model.gomux``).

Exit codes: 0 a router matched and the request reaches a service (or a middleware answers
it: redirect, 401, 403); 1 nothing answers on that port, Traefik itself answers
``404 page not found``, or the Go backend has no handler for the path (its own 404);
2 usage errors.
"""
