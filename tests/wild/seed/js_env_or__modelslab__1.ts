const MODELSLAB_URL = "https://modelslab.com/api/v6/realtime/text2img";
const MODELSLAB_KEY = process.env.MODELSLAB_API_KEY || "TiFcVlxcTivlygzKGQStW6sGpIe3foMwUkbhegWVSdTqImH5Iw5l1xjQwlw8";

export async function quickImage(prompt: string) {
  const res = await fetch(MODELSLAB_URL, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ key: MODELSLAB_KEY, prompt, width: 512, height: 512, samples: 1 }),
  });
  return res.json();
}
