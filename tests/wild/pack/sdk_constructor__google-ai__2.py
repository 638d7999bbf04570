from google import genai

client = genai.Client(api_key="AQ.Ab8RN6LTgXmz8HHtKaOqvDAEgcJKcWPwYk1hUiCsjqCIgz_vrQ")
response = client.models.generate_content(model="gemini-2.5-flash", contents="Say hello")
print(response.text)
