// A program that needs the net package: it starts an HTTP server on the
// loopback interface, fetches one page from it, and prints the answer.
// No outside network is used, so it runs anywhere, including a build farm.
package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
)

func main() {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail(err)
	}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "pong")
	})
	go http.Serve(listener, handler)

	resp, err := http.Get("http://" + listener.Addr().String() + "/ping")
	if err != nil {
		fail(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		fail(err)
	}
	fmt.Printf("GET /ping over loopback: %s\n", body)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "error:", err)
	os.Exit(1)
}
