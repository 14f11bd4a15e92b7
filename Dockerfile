# syntax=docker/dockerfile:1
# Pecktra Live: build once, then run the compiled server with production dependencies only.
#
#   docker build -t pecktra-live .                      # the app (the last stage)
#   docker build --target proxy -t pecktra-live-proxy .  # Debian's nginx for deploy/nginx.conf
#   docker compose up -d                                 # both, plus PostgreSQL and Redis (compose.yaml)
#
# Node 20 on Debian 12, as the project is developed and tested.
ARG NODE_IMAGE=node:20-bookworm-slim

# ---- toolchain: better-sqlite3 compiles from source when no prebuilt binary matches the platform
FROM ${NODE_IMAGE} AS toolchain
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app

# ---- build: dev dependencies, TypeScript and Vite; only dist/ and web/dist leave this stage
FROM toolchain AS build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY web ./web
RUN npm run build

# ---- deps: the production dependencies alone, compiled for this image
FROM toolchain AS deps
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# ---- proxy: Debian's nginx with its brotli filter, for deploy/nginx.conf (compose.yaml mounts it)
FROM debian:bookworm-slim AS proxy
RUN apt-get update \
 && apt-get install -y --no-install-recommends nginx libnginx-mod-http-brotli-filter \
 && rm -rf /var/lib/apt/lists/* \
 && ln -sf /dev/stdout /var/log/nginx/access.log \
 && ln -sf /dev/stderr /var/log/nginx/error.log
EXPOSE 80
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]

# ---- app: what runs; no compilers, no dev dependencies, no sources, not root
FROM ${NODE_IMAGE} AS app
ENV NODE_ENV=production \
    PORT=8080 \
    HOST=0.0.0.0 \
    SQLITE_PATH=/app/data/pecktra.db
WORKDIR /app
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/web/dist ./web/dist
# Served as a git repository at /extensions/pecktra-live.git for SillyTavern's "Install extension".
COPY --chown=node:node extensions/sillytavern ./extensions/sillytavern
COPY --chown=node:node package.json ./
COPY --chown=node:node scripts/build-if-stale.mjs ./scripts/
# SQLite lives here when DATABASE_URL is not set; mount a volume to keep it.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 8080
# Ready means the database answers; the orchestrator (or nginx, through failed attempts) skips it otherwise.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node itself is PID 1 (not npm), so SIGTERM reaches the server's graceful shutdown (at most 10 s).
CMD ["node", "dist/src/main.js"]
