// Hello world in Go. It imports only fmt, so no C code is linked in.
package main

import "fmt"

func main() {
	fmt.Println("Hello, world!")
}
