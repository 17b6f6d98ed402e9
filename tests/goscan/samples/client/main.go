// Command client calls an upstream service in the ways TMO005 and TLS007 are about.
package main

import (
	"crypto/tls"
	"log"
	"net/http"
	"os"
	"time"
)

func main() {
	insecure := os.Getenv("SKIP_VERIFY") == "1"
	transport := &http.Transport{
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true},
	}
	bare := &http.Client{Transport: transport}
	timed := &http.Client{Timeout: 30 * time.Second}

	cfg := &tls.Config{}
	cfg.InsecureSkipVerify = insecure
	off := &tls.Config{InsecureSkipVerify: false}

	resp, err := http.Get("https://upstream.example.com/")
	if err == nil {
		resp.Body.Close()
	}
	req, _ := http.NewRequest(http.MethodGet, "https://upstream.example.com/x", nil)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
	}
	log.Println(bare, timed, cfg, off)
}
