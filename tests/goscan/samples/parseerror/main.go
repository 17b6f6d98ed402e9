package main

import (
	"log"
	"net/http"
)

type options struct{ retries *int32 }

func main() {
	opts := options{retries: new(int32(3))}
	_ = opts
	log.Fatal(http.ListenAndServe(":7070", nil))
}
