// Imagen through the Gemini API (Google), not the imagen.ai service.
import { GoogleGenAI } from "@google/genai";
import { writeFileSync } from "node:fs";

const ai = new GoogleGenAI({ apiKey: process.env.GEMINI_API_KEY });

const res = await ai.models.generateImages({
  model: "imagen-4.0-generate-001",
  prompt: "a watercolor map of an imaginary archipelago",
  config: { numberOfImages: 1, aspectRatio: "16:9" },
});

// recorded reply for the snapshot test: {"generatedImages":[{"image":{"imageBytes":"iVBORw0KGgoAAAANSUhEUgAAAAUAAAAFCAIAAAACDbGyAAAAW0lEQVR42gFQAK//AGr895pplPlTwl9MZAnovwBSohNYJkmRXtTpD28mWxIAB2BB2AfwHdew27Hz5PB/AE8ViY3V7iLsiCB+fopOAwA15+pZt1R2lhFQDx72eYLtCyT5CtXKAgAAAABJRU5ErkJggg=="}}]}
const bytes = res.generatedImages?.[0]?.image?.imageBytes ?? "";
writeFileSync("out/map.png", Buffer.from(bytes, "base64"));
export const SNAPSHOT_SHA256 = "329befb26ca2c425fab413570b69d639c06d92e960dae9e1a27f503517118c04";
