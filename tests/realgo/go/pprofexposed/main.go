// pprofexposed: the blank pprof import registers /debug/pprof/ on http.DefaultServeMux,
// and the public listener serves DefaultServeMux (GO002).
package main

import (
	"fmt"
	"log"
	"net/http"
	_ "net/http/pprof"
	"os"
)

func main() {
	addr := os.Getenv("ADDR")
	if addr == "" {
		addr = "127.0.0.1:18480"
	}
	http.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "hello from go")
	})
	log.Fatal(http.ListenAndServe(addr, nil))
}
