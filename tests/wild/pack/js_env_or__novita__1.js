import OpenAI from "openai";

const novita = new OpenAI({
  baseURL: "https://api.novita.ai/v3/openai",
  apiKey: process.env.NOVITA_API_KEY || "sk_DNFV5Z7TjanYkeqYGkNjr9bJGuN0ygXrY0CiTzXTSko",
});
