// The shop API behind examples/k8s-app: a stdlib Go service run by the Deployment `api`
// (namespace `shop`). The public API listens on $API_ADDR (:8080 by default), the admin API on
// :9090. Timeouts are aligned with Traefik's defaults.
package main

import (
	"encoding/json"
	"log"
	"net/http"
	"os"
	"time"
)

func main() {
	addr := os.Getenv("API_ADDR")
	if addr == "" {
		addr = ":8080"
	}

	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
	})
	mux.HandleFunc("/v1/orders", orders)
	mux.HandleFunc("/v1/users/", users)

	admin := http.NewServeMux()
	admin.HandleFunc("/stats", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]int{"orders": 42})
	})
	go func() {
		srv := &http.Server{
			Addr:              ":9090",
			Handler:           admin,
			ReadHeaderTimeout: 5 * time.Second,
			IdleTimeout:       120 * time.Second,
		}
		log.Println(srv.ListenAndServe())
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

func orders(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode([]string{"o-1", "o-2"})
}

func users(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]string{"path": r.URL.Path})
}
