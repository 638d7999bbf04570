import OpenAI from "openai";

const openai = new OpenAI({
  apiKey: process.env.OPENAI_API_KEY || "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",
});

export async function embed(text) {
  const r = await openai.embeddings.create({ model: "text-embedding-3-small", input: text });
  return r.data[0].embedding;
}
