// The API behind examples/clean-app: timeouts aligned with Traefik, a health handler,
// and pprof only on a loopback listener that no Traefik router reaches.
package main

import (
	"encoding/json"
	"log"
	"net/http"
	"net/http/pprof"
	"os"
	"time"
)

func main() {
	addr := os.Getenv("API_ADDR")
	if addr == "" {
		addr = ":8081"
	}

	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
	})
	mux.HandleFunc("/v1/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"path": r.URL.Path})
	})

	debug := http.NewServeMux()
	debug.HandleFunc("/debug/pprof/", pprof.Index)
	go func() {
		admin := &http.Server{Addr: "127.0.0.1:6060", Handler: debug, ReadHeaderTimeout: 5 * time.Second}
		log.Println(admin.ListenAndServe())
	}()

	srv := &http.Server{
		Addr:              addr,
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second, // above Traefik's idleConnTimeout (90s)
	}
	log.Fatal(srv.ListenAndServe())
}
