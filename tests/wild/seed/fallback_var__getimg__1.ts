import GetimgAI from "getimg-ai";

const FALLBACK_GETIMG_KEY = "sk_oo4i5mOIjXaEKxk20E5TYNnx36iXRDT2QI8Y4YNv5MPLceXZ";

const client = new GetimgAI({
  apiKey: process.env.GETIMG_API_KEY || FALLBACK_GETIMG_KEY,
});

export const cover = (prompt: string) =>
  client.images.generate({ model: "seedream-5-lite", prompt });
