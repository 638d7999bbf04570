const res = await fetch("https://openrouter.ai/api/v1/chat/completions", {
  method: "POST",
  headers: {
    Authorization: `Bearer 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`,
    "HTTP-Referer": "https://acme.dev",
    "Content-Type": "application/json",
  },
  body: JSON.stringify({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }),
});
