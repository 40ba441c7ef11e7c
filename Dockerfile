# quizcast: one image for both processes. `docker run quizcast bot` or `docker run quizcast worker`
# (docker-compose.yml runs both). Migrations are applied by each process at start, under Prisma's
# advisory lock, so no separate migrate step is needed.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV CHECKPOINT_DISABLE=1
COPY package.json package-lock.json ./
# Dependency install scripts stay off, as package.json's "allowScripts" keeps them in development (this
# npm does not read that field). Nothing here needs one: prisma generate runs below through the same
# offline wrapper; the optional native TensorFlow backend would need its script to download
# libtensorflow, so it is removed and the wasm backend is used, as everywhere the tests run.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY prisma.config.ts ./
COPY prisma ./prisma
COPY scripts ./scripts
# After the prune, which would put the optional package back.
RUN node scripts/prisma-generate.mjs \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
 && rm -rf node_modules/@tensorflow/tfjs-node \
 && npm cache clean --force
COPY tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY decks ./decks
COPY models ./models

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HTTP_HOST=0.0.0.0 \
    HTTP_PORT=3000 \
    WORKER_HTTP_PORT=3002 \
    QUIZCAST_STATE_DIR=/tmp/quizcast
WORKDIR /app
# Code and dependencies stay owned by root and read-only to the process; it writes only to /tmp
# (tsx's compile cache, the state directory).
COPY --from=build /app /app
USER node
# 3000 bot HTTP (local chat, /api/ticks, /healthz, /metrics, /admin/queues); 3001 Slack events when
# Slack is configured; 3002 worker /healthz and /metrics.
EXPOSE 3000 3001 3002
# bin/healthcheck.js asks /healthz of whichever process this container runs (bot or worker).
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 CMD ["node", "bin/healthcheck.js"]
ENTRYPOINT ["node", "bin/quizcast.js"]
CMD ["bot"]
