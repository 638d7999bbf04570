export async function groqChat(messages) {
  const res = await fetch("https://api.groq.com/openai/v1/chat/completions", {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Authorization: "Bearer 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",
    },
    body: JSON.stringify({ model: "llama-3.1-8b-instant", messages }),
  });
  return res.json();
}
