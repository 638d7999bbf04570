package main

import (
	"fmt"
	"io"
	"net/http"
)

func main() {
	req, _ := http.NewRequest("GET", "https://api.photalabs.com/v1/phota/webhook-secret", nil)
	req.Header.Set("X-API-Key", "eed0a51340858cb9349eb9f3835df933a46ac7a8c3c2ec2b00bd2aa3042aedc4")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(string(body))
}
