FROM node:22-slim
RUN npm install -g @anthropic-ai/claude-code
ENV CLAUDE_CODE_OAUTH_TOKEN=sk-ant-oat01-fnQD6cTjbyb9RuFmFXx27iTl4KjEG31Txzjfr5ZVdLtPiDa305iiSmEZF1gjOFC0MQL7sQsKqwSiwgqQnKhn8B3MG5iGMAA
WORKDIR /workspace
ENTRYPOINT ["claude", "-p"]
