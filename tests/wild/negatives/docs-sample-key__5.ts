// supabase/functions/_shared/local.ts
// Defaults printed by `supabase start` for the LOCAL stack (supabase-demo issuer).
// Production values come from Deno.env; the ModelsLab key never leaves the server.
export const LOCAL_SUPABASE_URL = "http://127.0.0.1:54321";
export const LOCAL_ANON_KEY =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0";

export function modelslabKey(): string {
  const key = Deno.env.get("MODELSLAB_API_KEY");
  if (!key) throw new Error("MODELSLAB_API_KEY is not set");
  return key;
}

export const MODELSLAB_URL = "https://modelslab.com/api/v6/images/text2img";
