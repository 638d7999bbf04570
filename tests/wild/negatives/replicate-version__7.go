package imaging

import (
	"context"
	"os"

	"github.com/replicate/replicate-go"
)

// Version ids are public: anyone can read them on the model page.
const (
	instantIDVersion = "f5fc5bef82d76e07be5d4dc7773e4805eac532c1003923774d01738685b68046"
	photoMakerVersion = "285740ba08b2c061bf6c5bf8d3dc9a2896778089ba9857dad9e8dcf14e2dbca3"
)

func NewClient() (*replicate.Client, error) {
	return replicate.NewClient(replicate.WithToken(os.Getenv("REPLICATE_API_TOKEN")))
}

func Portrait(ctx context.Context, c *replicate.Client, img string) (replicate.PredictionOutput, error) {
	return c.Run(ctx, "zsxkib/instant-id:"+instantIDVersion, replicate.PredictionInput{"image": img}, nil)
}
