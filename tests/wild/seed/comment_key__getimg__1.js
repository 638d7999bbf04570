import GetimgAI from "getimg-ai";

// getimg key for the demo: sk_BADq1dGgEREHFldI6l9TmeHRnqlwrP3cmSubUzMVAneUD0e8
// TODO move to GETIMG_API_KEY in vercel env
const client = new GetimgAI({ apiKey: process.env.GETIMG_API_KEY });

export default client;
