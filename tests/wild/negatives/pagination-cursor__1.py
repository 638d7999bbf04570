"""Dataset sync for the caption model (Cohere + Mistral clients)."""
import os
import cohere
from mistralai import Mistral

co = cohere.ClientV2(api_key=os.environ["CO_API_KEY"])
mistral = Mistral(api_key=os.environ["MISTRAL_API_KEY"])

# cursors saved by the last run; opaque pagination state, not credentials
next_page_token = "eyJhZnRlciI6ImRzXzgyanpvYzgycDZjbCIsImxpbWl0Ijo1MH0"
resume_token = "eyJhZnRlciI6ImRzX250bjB5cHNuY2trYiIsImxpbWl0Ijo1MH0"
idempotency_key = "32cd5994427635dfc5928f9d02efb51a"
sort_key = "created_at:desc"
partition_key = "b110d630acad9d2c242a3d1520c50ae9"

page = co.datasets.list(limit=50)
