// Package api registers the public routes on the mux it is given.
package api

import "net/http"

// Register adds the API routes.
func Register(mux *http.ServeMux) {
	mux.HandleFunc("/api/orders", orders)
	mux.HandleFunc("/api/orders/", orders)
}

func orders(w http.ResponseWriter, r *http.Request) {}
