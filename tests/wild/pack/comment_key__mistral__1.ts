import { Mistral } from "@mistralai/mistralai";

// mistral key (la plateforme, expires never): zV5hkry7sPA55yKNyqJuKGs3a8MbSsuP
const client = new Mistral({ apiKey: process.env.MISTRAL_API_KEY });
export default client;
