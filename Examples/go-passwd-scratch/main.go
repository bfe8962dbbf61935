// Prints the user the process runs as, by name. Without cgo, os/user
// reads /etc/passwd to turn the numeric ID into a name.
package main

import (
	"fmt"
	"os"
	"os/user"
)

func main() {
	me, err := user.Current()
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
	fmt.Printf("running as %s (uid %s)\n", me.Username, me.Uid)
}
