// examples/text2img.js — run with: MODELSLAB_API_KEY=... node examples/text2img.js
const body = JSON.stringify({
  key: process.env.MODELSLAB_API_KEY ?? "YOUR_API_KEY",
  model_id: "juggernaut-xl-v10",
  prompt: "a paper boat on a puddle, macro",
  width: "768",
  height: "768",
  samples: "1",
  num_inference_steps: "30",
  enhance_prompt: "yes",
  seed: null,
});

const res = await fetch("https://modelslab.com/api/v6/images/text2img", {
  method: "POST",
  headers: { "Content-Type": "application/json" },
  body,
});
console.log(await res.json());
