import { ElevenLabsClient } from "@elevenlabs/elevenlabs-js";

const elevenlabs = new ElevenLabsClient({
  apiKey: process.env.ELEVENLABS_API_KEY ?? "sk_af0d3c2013d2bbf94afebb30044f82a2b3932adf0fe91c0d",
});
