from langchain_google_genai import ChatGoogleGenerativeAI

llm = ChatGoogleGenerativeAI(
    model="gemini-2.5-pro",
    google_api_key="AIzaSyKqhGZdE1sf27vjavaEfKxcR6TbbXXk6a6",
    temperature=0.2,
)
