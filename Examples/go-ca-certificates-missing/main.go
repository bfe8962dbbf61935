// Checks what a TLS client would check, without needing the network:
// it verifies a well-known public root certificate (ISRG Root X1, shipped
// next to this file) against the trust store of the image it runs in.
// With no CA bundle in the image, Go reports the same error that an HTTPS
// request would: "x509: certificate signed by unknown authority".
package main

import (
	"crypto/x509"
	_ "embed"
	"encoding/pem"
	"fmt"
	"os"
)

//go:embed isrg-root-x1.pem
var rootPEM []byte

func main() {
	block, _ := pem.Decode(rootPEM)
	if block == nil {
		fmt.Fprintln(os.Stderr, "error: no PEM block in isrg-root-x1.pem")
		os.Exit(1)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
	// Roots left empty: use the system trust store.
	if _, err := cert.Verify(x509.VerifyOptions{}); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
	fmt.Printf("%s is trusted by this image\n", cert.Subject.CommonName)
}
