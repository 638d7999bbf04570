const DID_API_KEY = process.env.DID_API_KEY || "b3NrYXJ1Lm1vcmVhdTE0QHN0dWRpby5pbnZhbGlk:f8WtQljj3qJ6ZnmLSbKOl";
const res = await fetch("https://api.d-id.com/talks", {
  method: "POST",
  headers: { Authorization: `Basic ${DID_API_KEY}`, "Content-Type": "application/json" },
  body: JSON.stringify({ source_url: "https://acme.dev/alice.jpg", script: { type: "text", input: "Hi" } }),
});
