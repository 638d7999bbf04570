FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
ENV PERPLEXITY_API_KEY=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
CMD ["python", "search_bot.py", "--base-url", "https://api.perplexity.ai"]
