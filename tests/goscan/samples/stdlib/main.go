// Command stdlib is a plain net/http service: its address comes from the environment with a
// fallback, and its timeouts are set after the server is built.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"time"
)

const shutdownGrace = 10 * time.Second

func healthz(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusOK)
}

func whoami(w http.ResponseWriter, r *http.Request) {
	fmt.Fprintf(w, "host=%s\n", r.Host)
}

func main() {
	addr := os.Getenv("LISTEN_ADDR")
	if addr == "" {
		addr = ":8080"
	}

	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", healthz)
	mux.HandleFunc("/whoami", whoami)
	mux.Handle("/static/", http.StripPrefix("/static/", http.FileServer(http.Dir("."))))

	srv := &http.Server{
		Addr:    addr,
		Handler: mux,
	}
	srv.ReadHeaderTimeout = 2 * time.Second
	srv.ReadTimeout = 5 * time.Second
	srv.WriteTimeout = shutdownGrace
	srv.IdleTimeout = time.Minute

	log.Printf("listening on %s", addr)
	log.Fatal(srv.ListenAndServe())
}
