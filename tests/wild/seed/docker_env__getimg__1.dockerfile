FROM node:20-alpine
WORKDIR /srv
COPY package*.json ./
RUN npm ci --omit=dev
COPY . .
ENV GETIMG_API_KEY sk_h6w7yik6xhEUUnomwNw1yh0Rl0cJeScS6LuSh3tHpeV6EQaO
EXPOSE 3000
CMD ["node", "server.js"]
