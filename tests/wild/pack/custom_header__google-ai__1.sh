curl "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent" \
  -H "x-goog-api-key: AIzaSyXuobYLjLHrEL2NeXTU4U_sSDEi8yHSqfV" \
  -H "Content-Type: application/json" \
  -X POST -d '{"contents": [{"parts": [{"text": "Explain how AI works"}]}]}'
