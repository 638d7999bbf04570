FROM python:3.12-slim@sha256:a1e0f697051497ae0cf816e4137ef5dd4f3c100fedf61338892e0e2be0f4f3ca

ARG GIT_SHA=554ec1cf65e8719602f57d03a36e8b9c1bd7d7c0
ENV PYTHONUNBUFFERED=1 \
    IMAGEN_API_BASE=https://api.imagen.ai/v1 \
    GIT_SHA=${GIT_SHA}
# IMAGEN_API_KEY and PHOTA_API_KEY are injected at runtime (docker run -e / k8s secret)
ENV IMAGEN_API_KEY=""

COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . /app
CMD ["python", "-m", "app.worker"]
