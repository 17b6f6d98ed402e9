// Command go122 uses Go 1.22 mux patterns with a go.mod that enables them.
package main

import (
	"log"
	"net/http"
)

func getUser(w http.ResponseWriter, r *http.Request) {}

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/users/{id}", getUser)
	mux.HandleFunc("DELETE api.example.com/api/v1/users/{id}", getUser)
	mux.HandleFunc("/files/{path...}", getUser)
	mux.HandleFunc("/{$}", getUser)
	log.Fatal(http.ListenAndServe(":8080", mux))
}
