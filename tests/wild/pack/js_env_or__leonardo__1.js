const LEONARDO_KEY = process.env.LEONARDO_API_KEY || "3713b05f-ddeb-42c8-ae63-232f1777822c";
const res = await fetch("https://cloud.leonardo.ai/api/rest/v1/me", {
  headers: { authorization: `Bearer ${LEONARDO_KEY}` },
});
