export async function imagen(prompt: string) {
  return fetch("https://api.imagen.ai/v1/text-to-image", {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Authorization: "Bearer " + "m7GBWWZpCq2g2C6T6aIH" + "AuKsN1FQKhH6EeIIe7wt",
    },
    body: JSON.stringify({ prompt, model: "imagen-v2" }),
  });
}
