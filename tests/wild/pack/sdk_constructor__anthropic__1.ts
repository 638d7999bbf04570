import Anthropic from "@anthropic-ai/sdk";

const anthropic = new Anthropic({ apiKey: "sk-ant-api03-qHAk4YUqWhD21KA_Gk2YIoAEKCSGjPrawXy0ZMGcq9faAXZTJ1WKqKNupFX4M8XaHU1B84KS1Eup2T0C5m1tyLrK9DQ2RAA" });

export async function ask(q: string) {
  const msg = await anthropic.messages.create({
    model: "claude-sonnet-4-5",
    max_tokens: 512,
    messages: [{ role: "user", content: q }],
  });
  return msg.content;
}
