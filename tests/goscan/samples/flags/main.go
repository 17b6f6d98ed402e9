// Command flags takes its addresses from flags, one of them overridable by the environment.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"time"
)

var internalAddr string

func main() {
	port := flag.Int("port", 8081, "public port")
	addr := flag.String("addr", ":8443", "TLS address")
	readTimeout := flag.Duration("read-timeout", 7*time.Second, "read timeout")
	flag.StringVar(&internalAddr, "internal-addr", "localhost:9000", "internal address")
	flag.Parse()
	if v, ok := os.LookupEnv("TLS_ADDR"); ok {
		*addr = v
	}

	go func() {
		log.Fatal(http.ListenAndServe(fmt.Sprintf(":%d", *port+1), nil))
	}()

	ln, err := net.Listen("tcp", internalAddr)
	if err != nil {
		log.Fatal(err)
	}
	internal := &http.Server{ReadHeaderTimeout: 3 * time.Second, ReadTimeout: *readTimeout}
	go func() { log.Fatal(internal.Serve(ln)) }()

	log.Fatal(http.ListenAndServeTLS(*addr, "cert.pem", "key.pem", nil))
}
