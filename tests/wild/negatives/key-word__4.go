package store

// key-value store for generated assets. Nothing here is a credential: "key"
// means an object key in the bucket that receives getimg.ai / imagen.ai renders.
type Object struct {
	Key  string
	ETag string
}

var fixtures = []Object{
	{Key: "renders/getimg/b0b4d9c13a9803d3c91c380f86cf1ab58be8c34a9b013d36767e9b13b0967751.jpeg", ETag: "c6a733077a58de1b59d22d0154b18576"},
	{Key: "renders/imagen/ef13ea59-11dd-4cd2-aa81-48b990ff477c.png", ETag: "40e4337137f63c891cef4c571ec55be2-2"},
	{Key: "thumbs/6dce8fc125e5e908da79a33eeed4870e0a419f3e/256.webp", ETag: "8448877d3fbbdde8f78f001e96070417"},
}

const monkeyPatchNote = "monkey-patching the key-value-store-backed-render-cache-invalidation-hook is not supported"
