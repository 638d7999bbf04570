package main

import (
	"bytes"
	"encoding/json"
	"net/http"
)

func main() {
	payload := map[string]interface{}{
		"key":      "VgyCbZNqLLL7UPH0G9JTgTA41CUFV6dOQL95YBhKhWhM9TUREE6XiPU4jrCA",
		"prompt":   "a lighthouse in a storm",
		"model_id": "flux",
	}
	body, _ := json.Marshal(payload)
	resp, err := http.Post("https://modelslab.com/api/v6/images/text2img", "application/json", bytes.NewBuffer(body))
	if err == nil {
		defer resp.Body.Close()
	}
}
