package main

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
)

func list(w http.ResponseWriter, r *http.Request) {}

func adminRouter() http.Handler {
	r := chi.NewRouter()
	r.Get("/stats", list)
	return r
}

func main() {
	r := chi.NewRouter()
	r.Use(middleware.Logger)
	r.Get("/healthz", list)
	r.Route("/api/v2", func(r chi.Router) {
		r.Route("/articles", func(r chi.Router) {
			r.Get("/", list)
			r.Post("/", list)
			r.With(middleware.NoCache).Get("/{articleID}", list)
		})
		r.Group(func(r chi.Router) {
			r.Delete("/cache", list)
		})
	})
	r.Mount("/admin", adminRouter())
	r.Mount("/debug", middleware.Profiler())
	r.Handle("/assets/*", http.FileServer(http.Dir("public")))
	http.ListenAndServe(":3333", r)
}
