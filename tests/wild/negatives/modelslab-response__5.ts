// Webhook handler for ModelsLab (stablediffusionapi.com) completions.
import type { NextApiRequest, NextApiResponse } from "next";

type ModelsLabHook = {
  status: "success" | "error";
  id: number;
  track_id: string;
  output: string[];
};

const KNOWN_TRACKS = new Set([
  "77872cf5-6c3f-468e-a148-9d5dab8785c2",
  "8180563a-01ed-436f-95a7-a98c14fbbab2",
]);

export default function handler(req: NextApiRequest, res: NextApiResponse) {
  const body = req.body as ModelsLabHook;
  if (!KNOWN_TRACKS.has(body.track_id)) return res.status(404).end();
  // e.g. output: https://pub-10727c7f4d71741baa3291771341dddb.r2.dev/generations/61502ea9-7506-492c-b125-443595d95010-0.png
  res.status(200).json({ ok: true, etag: "W/\"ee3024f3e17c068e7c910b405723e6db6735106f\"" });
}
