# syntax=docker/dockerfile:1
# The pipeline image: compiled JavaScript on node:22-slim, production dependencies only, run as
# the unprivileged `node` user. Default command: the peoplecounter daemon; override the
# arguments for another pipeline, `--once`, or any CLI command (`list`, `status`, `dlq …`).
#   docker build -t microshare-pipeline .
#   docker run --env-file .env microshare-pipeline pipeline --name snapshot --once

# 1. Build: all dependencies (TypeScript, esbuild), then `npm run build`: src/ only (no tests)
#    compiled to dist/src, and the CLI bundled into one file, dist/cli-main.mjs (half the
#    start-up), run through dist/cli.mjs, which turns on Node's compile cache first.
FROM node:22-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY deploy/tsconfig.build.json deploy/bundleCli.ts deploy/bundleEntry.ts deploy/
COPY src ./src
RUN npm run build

# 2. Production dependencies only: no tsx, mocha or TypeScript in the image.
FROM node:22-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# 3. Runtime. Code and modules stay owned by root (read-only to the process); the only
#    writable place is STATE_DIR, used when REDIS_URL is unset (a single process only).
FROM node:22-slim AS runtime
ENV NODE_ENV=production \
    LOG_FORMAT=json \
    STATE_DIR=/var/lib/microshare-pipeline
WORKDIR /app
RUN mkdir -p /var/lib/microshare-pipeline && chown node:node /var/lib/microshare-pipeline
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
USER node
# The app handles SIGTERM itself (drain, settle, close), so node can be PID 1. The bundle keeps
# node_modules only for what it loads lazily (@azure/identity, with Entra ID). The malloc
# thresholds and the node flag are src/cli/productionRuntime.ts's: about 40 MB less at the peak
# of a back-fill (big buffers returned to the system, a young generation of 2 × 8 MB).
ENV MALLOC_MMAP_THRESHOLD_=131072 \
    MALLOC_TRIM_THRESHOLD_=131072
ENTRYPOINT ["node", "--max-semi-space-size=8", "dist/cli.mjs"]
CMD ["pipeline", "--name", "peoplecounter"]
