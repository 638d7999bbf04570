import os
import google.generativeai as genai

GEMINI_KEY = os.getenv("GEMINI_API_KEY", "AIzaSy4UteutOfdjefSXhEfADlnK618DJb5r79A")
genai.configure(api_key=GEMINI_KEY)
