// Package config holds the service's defaults.
package config

import (
	"os"
	"time"
)

const (
	// AdminHost keeps the profiler on loopback.
	AdminHost = "127.0.0.1"
	// AdminPort is the profiler's port.
	AdminPort = "6060"
	// IdleTimeout is shared by both servers.
	IdleTimeout = 2 * time.Minute
)

// PublicAddr is where the API listens.
var PublicAddr = ":" + getenv("PORT", "8080")

func getenv(key, fallback string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return fallback
}
