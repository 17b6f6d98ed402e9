package main

import (
	"log"
	"net"
	"net/http"
	"net/http/pprof"
	"time"

	"example.com/admin/internal/api"
	"example.com/admin/internal/config"
)

func adminMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.Handle("/debug/pprof/heap", pprof.Handler("heap"))
	return mux
}

func main() {
	admin := &http.Server{
		Addr:              net.JoinHostPort(config.AdminHost, config.AdminPort),
		Handler:           adminMux(),
		ReadHeaderTimeout: time.Second,
		IdleTimeout:       config.IdleTimeout,
	}
	go func() { log.Fatal(admin.ListenAndServe()) }()

	public := http.NewServeMux()
	api.Register(public)
	var srv http.Server
	srv.Addr = config.PublicAddr
	srv.Handler = public
	srv.ReadHeaderTimeout = 5 * time.Second
	log.Fatal(srv.ListenAndServe())
}
