const AI_GATEWAY_URL = "https://api.minimax.io/anthropic/v1/messages";
const res = await fetch(AI_GATEWAY_URL, {
  method: "POST",
  headers: { Authorization: "Bearer sk-cp-tv3M5iquHCDQnnDRjUfCkTQ85cUaXg8kJ9z05jCM7LeRlUv5oJanq4YNAbmV05wNr6E2VeSDRpqKbF57kb0s7sJAQ-E35nQex-DCMWgG2WPdmkrEzGKzq9a", "content-type": "application/json" },
  body: JSON.stringify({ model: "MiniMax-M2", max_tokens: 256, messages: [{ role: "user", content: "hi" }] }),
});
