package phota

import (
	"net/http"
	"os"
)

const fallbackKey = "rV0HpNb15KJKHeJC92QB_zp9X2E8xQj2jyA3ZJm5S_P"

func newRequest() (*http.Request, error) {
	key := os.Getenv("PHOTA_API_KEY")
	if key == "" {
		key = fallbackKey
	}
	req, err := http.NewRequest("GET", "https://api.photalabs.com/v1/phota/profiles/ids", nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("X-API-Key", key)
	return req, nil
}
