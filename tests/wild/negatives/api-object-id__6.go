package imagen

// Recorded answers of api.imagen.ai, used by client_test.go.
// Authorization comes from IMAGEN_API_KEY at runtime.
const recordedTextToImage = `{
  "id": "b6289c6c-fb4a-4f45-b260-9dfdd95621d4",
  "status": "completed",
  "model": "imagen-v2",
  "seed": 3136382401,
  "images": [{"url": "https://cdn.imagen.ai/outputs/b6289c6c-fb4a-4f45-b260-9dfdd95621d4/0.png", "sha256": "1f97261400424bb2ac2d6c241edc1e1e516024f0c4328373b579c6a6ab625837"}],
  "request_id": "req_faJbW67o7ouTna3931Rgjink",
  "created_at": "2025-04-09T13:02:55Z"
}`

const recordedRateLimit = `{"error": {"code": "rate_limited", "trace": "cba56df1c395c9a1d890296bd4ad348d"}}`
