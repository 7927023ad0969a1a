package main

import "fmt"

func main() {
	var a, b int64
	fmt.Scan(&a, &b)
	var m map[string]int
	m["boom"] = int(a + b)
	fmt.Println(a + b)
}
