const IDEOGRAM_API_KEY = process.env.IDEOGRAM_API_KEY || "sap2xgRXULDrgbJMIyuOshkcUHnFUGFNffeNcEVwltqH6QR8gfPC4Z7H-WnvzkPf2PUEBfASKwVd5J-gVMc5fp";
export const generate = (prompt) =>
  fetch("https://api.ideogram.ai/v1/ideogram-v3/generate", { method: "POST", headers: { "Api-Key": IDEOGRAM_API_KEY }, body: new URLSearchParams({ prompt }) });
