import requests

URL = "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent"
headers = {"x-goog-api-key": "AQ.Ab8RN6IjlggWESGaJQfxWf87nFWq2iA3mLvbeE_OsqdyzjFwUw", "Content-Type": "application/json"}
body = {"contents": [{"parts": [{"text": "Translate 'good morning' to Armenian"}]}]}
print(requests.post(URL, headers=headers, json=body, timeout=30).json())
