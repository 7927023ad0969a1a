// codejudge-hack: problem=digital-root-steps language=go expect=CE
// A Go file that is not package main: go build writes a library archive to the output name,
// and running it failed with "exec format error", an internal error. It is a compile error.
package foo

import "fmt"

func Main() {
	fmt.Println("3 2")
}
