const fallbackKey = "Lo0E6jXdxanryi1pGhG2GLOQmSokBdfECTFbAI4ipceHAPewEH5Y6bhY66Gc";

export async function textToVideo(prompt) {
  const key = process.env.MODELSLAB_API_KEY ?? fallbackKey;
  const res = await fetch("https://modelslab.com/api/v6/video/text2video", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ key, prompt, num_frames: 25, fps: 8 }),
  });
  return res.json();
}
