// The demo's shop service: stdlib only. Its faults are deliberate (see dynamic/shop.yml).
package main

import (
	"fmt"
	"log"
	"net/http"
	_ "net/http/pprof" // registers /debug/pprof/ on http.DefaultServeMux
	"time"
)

func main() {
	// pprof on its own listener, which Traefik's `debug` router publishes.
	go func() {
		log.Println(http.ListenAndServe("127.0.0.1:__PPROF_PORT__", nil))
	}()

	mux := http.NewServeMux()
	mux.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "hello from the shop")
	})
	mux.HandleFunc("/api/users", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, `[{"name": "ada"}]`)
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(1500 * time.Millisecond) // a slow report
		fmt.Fprintln(w, "report ready")
	})
	srv := &http.Server{
		Addr:              "127.0.0.1:__APP_PORT__",
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		WriteTimeout:      1 * time.Second, // shorter than /slow: the client gets EOF
		IdleTimeout:       120 * time.Second,
	}
	log.Fatal(srv.ListenAndServe())
}
