package gen

import (
	"bytes"
	"net/http"
)

func Generate(body []byte) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodPost, "https://api.getimg.ai/v2/images/generations", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer sk_C0JH0cE6kT5CAt2fc6VvvyEwzGTiRncHAuUOSLmWQTmZkpu1")
	req.Header.Set("Content-Type", "application/json")
	return http.DefaultClient.Do(req)
}
