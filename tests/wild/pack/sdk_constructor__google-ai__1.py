import google.generativeai as genai

genai.configure(api_key="AIzaSyNZbN-sLUm8VDk3HcPECLnU9oX-4AxcyYx")
model = genai.GenerativeModel("gemini-1.5-flash")
print(model.generate_content("Write a haiku about rain").text)
