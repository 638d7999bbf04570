package main

import (
	"context"
	"fmt"

	"github.com/modelslab/modelslab-go/pkg/apis/community"
	"github.com/modelslab/modelslab-go/pkg/client"
	schemas "github.com/modelslab/modelslab-go/pkg/schemas/community"
)

func main() {
	c := client.New("189OrIK7hsgFT41rMDtOebnS9v2jxToufzQ19k1DxUprMaHpisSPvtsO3Ht5")
	api := community.New(c, false)
	resp, err := api.TextToImage(context.Background(), &schemas.Text2ImageRequest{Prompt: "isometric cabin in snow"})
	if err != nil {
		panic(err)
	}
	fmt.Println(resp["output"])
}
