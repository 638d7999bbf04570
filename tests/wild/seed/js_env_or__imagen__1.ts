const apiKey = process.env.IMAGEN_API_KEY ?? "oQiG3fncPw0JjzV3r1ZUDfq9SiH8ztA7SmihSm4j";

export async function textToImage(prompt: string) {
  const response = await fetch("https://api.imagen.ai/v1/text-to-image", {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ prompt, model: "imagen-v2", width: 1024, height: 1024 }),
  });
  if (!response.ok) throw new Error(`imagen ${response.status}`);
  return response.json();
}
