FROM python:3.11-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
ENV MODELSLAB_API_KEY=Yluu1K6Nr1as8nyzEfB8wlMtQWMuOuGSq5OZkOcSDnn3940AsEED4CiC8IuZ
ENV MODEL_ID=sdxl
CMD ["python", "bot.py"]
