# syntax=docker/dockerfile:1
# X Bookmarker: one image, the web or the worker chosen by command (see compose.yaml).
#   docker build -t x-bookmarker .
#   docker run … x-bookmarker                          # web: migrations, then dist/web.mjs on :3000
#   docker run … x-bookmarker npm run start:worker     # worker (probes on 127.0.0.1:3001)
# Provided untested on images (the project's machines reach no image registry): every step is an
# npm script the test suite runs (`npm ci`, `npm run build`, `npm run start:web`/`start:worker`).
#
# Next's standalone output (server.js and a traced node_modules) is not used: the web runs our
# own server (dist/web.mjs: Next plus the tRPC WebSocket on one port) and the worker and the
# migrations need packages Next's tracing does not follow (bullmq, the Prisma CLI), so the
# runtime keeps the installed node_modules.

ARG NODE_VERSION=20

FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
RUN npm run build

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 HOST=0.0.0.0 PORT=3000 WORKER_PORT=3001 MEDIA_DIR=/data/media
COPY --from=build --chown=node:node /app /app
RUN mkdir -p /data/media && chown node:node /data/media
USER node
EXPOSE 3000
# Liveness and readiness (Postgres and Redis answer) of the web; compose.yaml points the
# worker's at its own port. HEALTH_PORT defaults to the web's.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD node -e "const p=process.env.HEALTH_PORT||process.env.PORT;Promise.all(['/api/health','/api/ready'].map(u=>fetch('http://127.0.0.1:'+p+u))).then(r=>process.exit(r.every(x=>x.ok)?0:1),()=>process.exit(1))"
CMD ["npm", "run", "start:web"]
