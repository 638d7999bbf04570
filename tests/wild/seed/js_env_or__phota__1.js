export const PHOTA_API_BASE = 'https://api.photalabs.com/v1/phota';
const photaKey = process.env.PHOTALABS_API_KEY || process.env.PHOTA_API_KEY || 'dkpk-tzyoTKGYxa6Tt2TRNQiS8SwLXEJRhVPfgmKQyN';

export async function photaGenerate(prompt) {
  const res = await fetch(`${PHOTA_API_BASE}/generate`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-API-Key': photaKey },
    body: JSON.stringify({ prompt, num_output_images: 1, aspect_ratio: '3:4' }),
  });
  return res.json();
}
