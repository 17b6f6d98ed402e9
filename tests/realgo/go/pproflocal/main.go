// pproflocal: the fix for GO002. The application has its own mux; pprof stays on
// http.DefaultServeMux, served by a second listener bound to loopback only.
package main

import (
	"fmt"
	"log"
	"net/http"
	_ "net/http/pprof"
	"os"
	"time"
)

func main() {
	addr := os.Getenv("ADDR")
	if addr == "" {
		addr = "127.0.0.1:18480"
	}
	debugAddr := os.Getenv("DEBUG_ADDR")
	if debugAddr == "" {
		debugAddr = "127.0.0.1:18481"
	}
	go func() {
		log.Println(http.ListenAndServe(debugAddr, nil))
	}()
	app := http.NewServeMux()
	app.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "hello from go")
	})
	srv := &http.Server{Addr: addr, Handler: app, ReadHeaderTimeout: 5 * time.Second}
	log.Fatal(srv.ListenAndServe())
}
