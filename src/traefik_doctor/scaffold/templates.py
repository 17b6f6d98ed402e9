"""The files ``traefik-doctor init`` writes, rendered from a ``Spec``.

Every number that one side of the proxy relies on is written on both sides, with the reason
next to it: Traefik's ``readTimeout`` 60s and Go's ``ReadTimeout`` 60s (TMO004), Traefik's
``responseHeaderTimeout`` 30s below Go's ``WriteTimeout`` 60s (TMO002: Traefik answers 504
before Go drops the connection), Traefik's ``idleConnTimeout`` 90s below Go's ``IdleTimeout``
120s (TMO001: the keep-alive race behind sporadic 502s on POST), the health check on the
``/healthz`` that ``main.go`` serves (SVC005, GO003), pprof on its own loopback listener and
mux (GO002).

Two ways to run the result, both checked by ``tests/test_init.py``:

* on the host: ``go run .`` and ``traefik --configFile=traefik.yml`` (file provider on
  ``dynamic/``, server URL ``http://127.0.0.1:PORT``);
* with ``--compose``: ``docker compose up --build`` (docker provider, labels on the app,
  ``loadbalancer.server.port``). Traefik there is configured by ``command:`` flags and not by
  ``traefik.yml``, because that is the only way to make the log level a variable: Traefik
  reads its static configuration from exactly one source, and with a configuration file it
  ignores both ``--log.level`` and ``TRAEFIK_LOG_LEVEL`` (measured with Traefik 3.7.15;
  ``${VAR}`` and ``{{ env }}`` inside the file are not expanded either, the level is taken
  literally and Traefik falls back to ERROR). Compose substitutes
  ``--log.level=${TRAEFIK_LOG_LEVEL:-INFO}`` before Traefik starts.

Templates mark their values as ``<<key>>`` (Go code is full of braces, compose of ``${}``);
``_fill`` refuses a template with a marker it has no value for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PPROF_ADDRESS = "127.0.0.1:6060"
API_ROUTER = "traefik-api"
"""The router (and ``dynamic/traefik-api.yml``) that serves Traefik's API and dashboard."""

_MARKER = re.compile(r"<<([a-z_]+)>>")


@dataclass(frozen=True, slots=True)
class Spec:
    """What the user chose: the app's name, its port, Traefik's two ports, the host name."""

    name: str
    port: int
    web_port: int
    api_port: int
    host: str
    compose: bool = False


def render(spec: Spec) -> dict[str, str]:
    """The project's files: path relative to the project directory -> text."""
    values = {
        "name": spec.name,
        "port": str(spec.port),
        "web_port": str(spec.web_port),
        "api_port": str(spec.api_port),
        "host": spec.host,
        "api_router": API_ROUTER,
        "pprof": PPROF_ADDRESS,
        "host_note": _COMPOSE_NOTE if spec.compose else _HOST_NOTE,
    }
    files = {
        "traefik.yml": _fill(TRAEFIK_YML, values),
        f"dynamic/{spec.name}.yml": _fill(APP_YML, values),
        f"dynamic/{API_ROUTER}.yml": _fill(API_YML, values),
        "go.mod": _fill(GO_MOD, values),
        "main.go": _fill(MAIN_GO, values),
    }
    if spec.compose:
        files["compose.yaml"] = _fill(COMPOSE_YAML, values)
        files["Dockerfile"] = _fill(DOCKERFILE, values)
    return files


def _fill(template: str, values: dict[str, str]) -> str:
    def one(match: re.Match[str]) -> str:
        return values[match.group(1)]

    return _MARKER.sub(one, template)


# The first line of traefik.yml. A compose project runs Traefik from compose.yaml's flags, so
# this file is deliberately not mounted into the container; CFG013 says exactly that, and the
# comment records why (CFG013 points at line 1, so the directive ends line 1).
_HOST_NOTE = "# Traefik's static configuration for running Traefik on this machine."
_COMPOSE_NOTE = (
    "# Traefik's static configuration for running Traefik on this machine."
    "  # traefik-doctor: ignore[CFG013] compose.yaml configures its Traefik with flags"
)

TRAEFIK_YML = """\
<<host_note>>
# Start it from this directory: traefik --configFile=traefik.yml
# Traefik reads this file once, at start: restart Traefik after editing it.

global:
  checkNewVersion: false
  sendAnonymousUsage: false

entryPoints:
  web:
    address: ":<<web_port>>"
    transport:
      respondingTimeouts:
        # Traefik's default, written out: main.go's ReadTimeout is not longer, so a request
        # the Go server would accept is never cut here first (with a 499).
        readTimeout: 60s
  # The API, the dashboard and the metrics, on loopback only. Routers without entryPoints
  # never attach to the entry point named `traefik`.
  traefik:
    address: "127.0.0.1:<<api_port>>"

# How Traefik talks to the Go service.
serversTransport:
  forwardingTimeouts:
    # Answer 504 when no response headers came within 30s. main.go's WriteTimeout (60s) is
    # longer: a slow handler gets Traefik's clear 504, not a 502 from a connection Go closed.
    responseHeaderTimeout: 30s
    # Traefik's default, written out: Traefik reuses an idle connection to the service for up
    # to 90s, and main.go's IdleTimeout (120s) is longer, so Go never closes a connection
    # Traefik is about to reuse (that race shows up as rare 502s on POST).
    idleConnTimeout: 90s

api:
  dashboard: true # served by the router in dynamic/<<api_router>>.yml, not `insecure`

providers:
  file:
    directory: dynamic
    watch: true # saved edits under dynamic/ apply without a restart

log:
  # Traefik takes its static configuration from ONE source: next to this file the
  # --log.level flag and the TRAEFIK_LOG_LEVEL variable are ignored, without a word. For
  # DEBUG (Traefik logs the cause of a 502 or 504 only at DEBUG) change the level here and
  # restart. With `traefik-doctor init --compose`, the level is the TRAEFIK_LOG_LEVEL
  # variable of compose.yaml.
  level: INFO

accessLog:
  filePath: access.log # relative to the directory Traefik is started in
  format: json
  fields:
    headers:
      names:
        X-Diag-Id: keep # lets `traefik-doctor probe` find its own requests

metrics:
  prometheus:
    entryPoint: traefik # http://127.0.0.1:<<api_port>>/metrics
    addEntryPointsLabels: true
    addRoutersLabels: true # off by default: without it there is no rate or latency per route
    addServicesLabels: true
    # Finer than the default (0.1, 0.3, 1.2, 5), so a P99 of 20ms differs from one of 90ms.
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
"""

APP_YML = """\
# Routing for <<name>>, read by Traefik's file provider (traefik.yml: providers.file).
# Saved edits apply within a second or two. One file that fails to load stops Traefik from
# loading ANY file in dynamic/ (every route answers 404): run `traefik-doctor check` first.
http:
  routers:
    <<name>>:
      rule: Host(`<<host>>`)
      entryPoints: [web] # without it the router would attach to every entry point
      service: <<name>>
  services:
    <<name>>:
      loadBalancer:
        healthCheck:
          path: /healthz # served by main.go
          interval: 10s # the first check runs one interval after Traefik loads this
          timeout: 3s
        servers:
          - url: http://127.0.0.1:<<port>> # where `go run .` listens ($PORT)
"""

API_YML = """\
# Traefik's API and dashboard on the loopback-only `traefik` entry point:
# http://127.0.0.1:<<api_port>>/dashboard/ (with the slash). This router replaces
# `api.insecure: true`, which would publish them on every address of that entry point.
http:
  routers:
    <<api_router>>:
      rule: PathPrefix(`/dashboard/`) || PathPrefix(`/api/`)
      entryPoints: [traefik]
      service: api@internal
"""

GO_MOD = """\
module <<name>>

go 1.19
"""

MAIN_GO = """\
// Command <<name>> is an HTTP service meant to run behind Traefik.
//
// It listens on :$PORT (default <<port>>) and serves / and /healthz. Its timeouts are set
// against Traefik's (traefik.yml): see the comments on the http.Server below. pprof is
// served on a second listener, on loopback only ($PPROF_ADDR, default <<pprof>>), never
// through Traefik.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("/", home)
	mux.HandleFunc("/healthz", healthz)

	srv := &http.Server{
		Addr:    ":" + getenv("PORT", "<<port>>"),
		Handler: mux,
		// Bounds slow or stalled request headers (Slowloris) from anything that reaches
		// the port directly.
		ReadHeaderTimeout: 10 * time.Second,
		// The whole request, body included: not longer than Traefik's readTimeout (60s).
		ReadTimeout: 60 * time.Second,
		// The whole handler: longer than Traefik's responseHeaderTimeout (30s), so a slow
		// handler gets Traefik's 504 instead of a dropped connection (502).
		WriteTimeout: 60 * time.Second,
		// Longer than Traefik's idleConnTimeout (90s): Traefik, not Go, closes idle
		// keep-alive connections, so no request is sent on a connection Go is closing.
		IdleTimeout: 120 * time.Second,
	}

	// pprof on its own mux and loopback listener: the blank import of net/http/pprof would
	// put it on http.DefaultServeMux, which must never be served through Traefik. No
	// WriteTimeout here: /debug/pprof/profile runs for 30s by default.
	debug := &http.Server{
		Addr:              getenv("PPROF_ADDR", "<<pprof>>"),
		Handler:           pprofMux(),
		ReadHeaderTimeout: 10 * time.Second,
	}
	go func() {
		if err := debug.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Printf("pprof listener: %v", err)
		}
	}()

	// On SIGTERM (docker stop) or Ctrl-C: stop accepting, let requests in flight finish.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	drained := make(chan struct{})
	go func() {
		defer close(drained)
		<-ctx.Done()
		// Within Docker's default 10s between SIGTERM and SIGKILL.
		shutdown, cancel := context.WithTimeout(context.Background(), 8*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdown); err != nil {
			log.Printf("shutdown: %v", err)
		}
		_ = debug.Close()
	}()

	log.Printf("<<name>> listening on %s (pprof on %s)", srv.Addr, debug.Addr)
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
	<-drained
}

func home(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "hello from <<name>>")
}

// healthz is Traefik's health check (dynamic/<<name>>.yml). Make it fail when the service
// cannot do its work (a dependency it cannot serve without is down).
func healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "ok")
}

func pprofMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

func getenv(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}
"""

COMPOSE_YAML = """\
# Traefik and <<name>> in containers:
#   docker compose up --build
#   TRAEFIK_LOG_LEVEL=DEBUG docker compose up   # Traefik's DEBUG log, one variable away
# Traefik here is configured by the flags below, not by traefik.yml (that file is for
# running Traefik on this machine): Traefik reads ONE static source, and a mounted
# configuration file would make it ignore every flag. Compose substitutes
# ${TRAEFIK_LOG_LEVEL:-INFO} before Traefik starts. The numbers match traefik.yml's.
services:
  traefik:
    image: traefik:v3.7
    command:
      - --global.checkNewVersion=false
      - --global.sendAnonymousUsage=false
      - --log.level=${TRAEFIK_LOG_LEVEL:-INFO}
      - --entryPoints.web.address=:<<web_port>>
      - --entryPoints.web.transport.respondingTimeouts.readTimeout=60s
      - --entryPoints.traefik.address=:<<api_port>>
      - --serversTransport.forwardingTimeouts.responseHeaderTimeout=30s
      - --serversTransport.forwardingTimeouts.idleConnTimeout=90s
      - --api.dashboard=true
      - --providers.docker.exposedByDefault=false
      - --accessLog.format=json
      - --accessLog.fields.headers.names.X-Diag-Id=keep
      - --metrics.prometheus.entryPoint=traefik
      - --metrics.prometheus.addEntryPointsLabels=true
      - --metrics.prometheus.addRoutersLabels=true
      - --metrics.prometheus.addServicesLabels=true
      - --metrics.prometheus.buckets=0.005,0.01,0.025,0.05,0.1,0.25,0.5,1,2.5,5,10
    ports:
      - "<<web_port>>:<<web_port>>"
      - "127.0.0.1:<<api_port>>:<<api_port>>" # API, dashboard, metrics: this machine only
    volumes:
      # The docker provider reads the containers' labels here. Whoever controls this socket
      # controls the host: keep Traefik's API off public addresses (see ports above).
      - /var/run/docker.sock:/var/run/docker.sock:ro
    networks: [web]
    labels:
      - traefik.enable=true
      - traefik.http.routers.<<api_router>>.rule=PathPrefix(`/dashboard/`) || PathPrefix(`/api/`)
      - traefik.http.routers.<<api_router>>.entryPoints=traefik
      - traefik.http.routers.<<api_router>>.service=api@internal

  <<name>>:
    build: .
    environment:
      PORT: "<<port>>"
      # pprof stays on the container's loopback (<<pprof>>): not reachable from outside.
    expose: ["<<port>>"]
    networks: [web]
    labels:
      - traefik.enable=true # needed: the docker provider has exposedByDefault=false
      - traefik.http.routers.<<name>>.rule=Host(`<<host>>`)
      - traefik.http.routers.<<name>>.entryPoints=web
      - traefik.http.routers.<<name>>.service=<<name>>
      # Explicit: without it Traefik guesses from the ports the container exposes.
      - traefik.http.services.<<name>>.loadBalancer.server.port=<<port>>
      - traefik.http.services.<<name>>.loadBalancer.healthCheck.path=/healthz
      - traefik.http.services.<<name>>.loadBalancer.healthCheck.interval=10s
      - traefik.http.services.<<name>>.loadBalancer.healthCheck.timeout=3s

networks:
  web: {}
"""

DOCKERFILE = """\
# <<name>>: a static binary (stdlib only) in an image without a shell.
FROM golang:1.22-alpine AS build
WORKDIR /src
COPY go.mod ./
COPY *.go ./
RUN CGO_ENABLED=0 go build -trimpath -o /out/<<name>> .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/<<name>> /<<name>>
EXPOSE <<port>>
ENTRYPOINT ["/<<name>>"]
"""
