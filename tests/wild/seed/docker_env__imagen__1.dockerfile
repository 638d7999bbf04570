FROM node:20 AS build
ARG IMAGEN_API_KEY=eyCf64lQx7ci4ZCgSA9FcXONUufCHdio8hBNjWGg
ENV VITE_IMAGEN_API_URL=https://api.imagen.ai/v1
WORKDIR /app
COPY . .
RUN npm ci && npm run build
