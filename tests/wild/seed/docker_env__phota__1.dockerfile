FROM python:3.12-slim
WORKDIR /code
COPY . .
RUN pip install -r requirements.txt
ENV PHOTA_API_KEY="Okg3HBppEjJ7IlHiSKy1xDYIfMroAhy2lTlHIK1GN9Q" \
    PHOTA_BASE_URL="https://api.photalabs.com/v1/phota"
CMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000"]
