import { GoogleGenAI } from "@google/genai";

const ai = new GoogleGenAI({ apiKey: process.env.GEMINI_API_KEY || "AQ.Ab8RN6KJKsI69m0YoJXnyX-19Nho7efgQbb35NywYuzkbUyoMA" });

export const summarize = (text: string) =>
  ai.models.generateContent({ model: "gemini-2.5-flash", contents: `Summarize: ${text}` });
