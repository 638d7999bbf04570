import { Mistral } from "@mistralai/mistralai";

const client = new Mistral({ apiKey: process.env.MISTRAL_API_KEY || "JM5ZQ7d5gEhpnOboqW7whzwkYAfaWiiH" });
