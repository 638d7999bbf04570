package main

import "github.com/go-resty/resty/v2"

var (
	auth   = "Bearer key-hs5fcw5omb9BuOz3wKRDqzhBCUmwUYkqe4H5JothtZIXwBaNRbVozb3DE6wy2ym2h3GLn3jBxJg3Tym5XOGZV08sabaTNyE1"
	apiUrl = "https://api.getimg.ai/v1/stable-diffusion-xl/image-to-image"
)

func img2img(b64 string) (*resty.Response, error) {
	return resty.New().R().
		SetHeader("Authorization", auth).
		SetBody(map[string]any{"image": b64, "prompt": "oil painting"}).
		Post(apiUrl)
}
