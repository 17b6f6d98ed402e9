// idleapp: an upload endpoint whose server closes idle keep-alive connections after
// 50 ms, far below Traefik's default idleConnTimeout of 90 s (TMO001).
package main

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"time"
)

func main() {
	addr := os.Getenv("ADDR")
	if addr == "" {
		addr = "127.0.0.1:18480"
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/upload", func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		fmt.Fprintf(w, "stored %d bytes\n", n)
	})
	srv := &http.Server{
		Addr:              addr,
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		IdleTimeout:       50 * time.Millisecond,
	}
	log.Fatal(srv.ListenAndServe())
}
