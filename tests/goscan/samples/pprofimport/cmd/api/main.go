package main

import (
	"log"
	"net/http"

	"example.com/pprofimport/internal/debug"
)

func main() {
	http.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {})
	log.Printf("debug: %v", debug.Enabled)
	log.Fatal(http.ListenAndServe(":8080", nil))
}
