package main

import "fmt"

func main() {
	var a, b int64
	fmt.Scan(&a, &b)
	x := uint64(a)
	for x != 7 {
		x = x*6364136223846793005 + 1442695040888963407
	}
	fmt.Println(a + b + int64(x))
}
