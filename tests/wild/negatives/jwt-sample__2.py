"""Local dev settings (supabase start) for the ModelsLab render queue."""
import os

SUPABASE_URL = os.getenv("SUPABASE_URL", "http://127.0.0.1:54321")
# default anon key of the local Supabase stack (issuer "supabase-demo")
SUPABASE_ANON_KEY = os.getenv(
    "SUPABASE_ANON_KEY",
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0",
)
MODELSLAB_API_KEY = os.environ["MODELSLAB_API_KEY"]
MODELSLAB_ENDPOINT = "https://modelslab.com/api/v6/images/text2img"
