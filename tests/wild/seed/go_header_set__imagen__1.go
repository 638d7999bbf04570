package imagen

import (
	"net/http"
	"strings"
)

func TextToImage(prompt string) (*http.Response, error) {
	req, _ := http.NewRequest("POST", "https://api.imagen.ai/v1/text-to-image",
		strings.NewReader(`{"prompt":"`+prompt+`","model":"imagen-v2"}`))
	req.Header.Set("Authorization", "Bearer PHujUKi6zKhEspQdJpzqPCOkPFpuxlJMLro4rhY6")
	req.Header.Add("Content-Type", "application/json")
	return http.DefaultClient.Do(req)
}
