package main

import (
	"log"
	"net/http"
	"time"

	"github.com/gorilla/mux"
)

func handler(w http.ResponseWriter, r *http.Request) {}

func main() {
	r := mux.NewRouter()
	r.HandleFunc("/products/{key}", handler).Methods("GET", "HEAD")
	api := r.PathPrefix("/api").Subrouter()
	api.HandleFunc("/users/{id:[0-9]+}", handler).Methods(http.MethodPut)
	r.Methods("DELETE").Path("/cache").HandlerFunc(handler)
	r.PathPrefix("/static/").Handler(http.FileServer(http.Dir("static")))

	srv := &http.Server{
		Handler:      r,
		Addr:         "127.0.0.1:8000",
		WriteTimeout: 15 * time.Second,
		ReadTimeout:  15 * time.Second,
	}
	log.Fatal(srv.ListenAndServe())
}
