package main

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
)

func main() {
	key := os.Getenv("IMAGEN_API_KEY")
	if key == "" {
		key = "REPLACE_WITH_YOUR_IMAGEN_API_KEY"
	}
	body := []byte(`{"prompt":"a glass teapot on moss","model":"imagen-v2","width":1024,"height":1024}`)
	req, _ := http.NewRequest("POST", "https://api.imagen.ai/v1/text-to-image", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	fmt.Println(resp, err)
}
