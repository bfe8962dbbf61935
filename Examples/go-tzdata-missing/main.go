// Prints one fixed instant in the Paris time zone. The zone rules are
// looked up at run time, normally in /usr/share/zoneinfo.
package main

import (
	"fmt"
	"os"
	"time"
)

func main() {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
	instant := time.Date(2020, time.January, 15, 12, 0, 0, 0, time.UTC)
	fmt.Println("12:00 UTC is", instant.In(paris).Format("15:04 MST"), "in Paris")
}
