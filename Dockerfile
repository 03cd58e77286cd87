# Tenderflow: one image for the API, the Temporal worker and the migration step.
#   api (default):  node dist/apps/api/src/main.js
#   worker:         node dist/apps/worker/src/main.js
#   migrations:     node dist/scripts/migrate.js
# Configuration comes from environment variables only (libs/config/src/config.ts).

# ---- build: install every dependency, compile TypeScript, drop dev dependencies ----
FROM node:20-bookworm-slim AS build
WORKDIR /app

COPY package.json package-lock.json ./
# The workspaces' package.json files (package.json "workspaces"): npm ci links them into node_modules.
COPY libs/domain/src/package.json ./libs/domain/src/
COPY libs/temporal-common/src/package.json ./libs/temporal-common/src/
COPY libs/db/src/package.json ./libs/db/src/
COPY libs/config/src/package.json ./libs/config/src/
COPY libs/logging/src/package.json ./libs/logging/src/
COPY libs/notifications/src/package.json ./libs/notifications/src/
COPY libs/telemetry/src/package.json ./libs/telemetry/src/
COPY activities/package.json ./activities/
COPY workflows/package.json ./workflows/
RUN npm ci --no-audit --no-fund
# The web console (React + Vite) has its own dependencies; its build lands in dist/console.
COPY console/package.json console/package-lock.json ./console/
# npm install from the lock (npm ci refuses vite's optional Windows dependency the registry lacks).
RUN npm install --prefix console --no-audit --no-fund

COPY tsconfig.json tsconfig.build.json ./
COPY apps ./apps
COPY libs ./libs
COPY workflows ./workflows
COPY activities ./activities
COPY scripts ./scripts
COPY console ./console
COPY test/client/schema.d.ts ./test/client/schema.d.ts
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

# ---- runtime: compiled output and production dependencies, run as the unprivileged node user ----
FROM node:20-bookworm-slim AS runtime
WORKDIR /app
# Two malloc arenas instead of glibc's 8 per core: the worker's native threads (Temporal's core SDK)
# otherwise spread freed memory over many arenas the process keeps (npm run bench, rss: the worker
# with 1 000 tenders processed holds 493 MiB instead of 625).
ENV NODE_ENV=production \
    PORT=3000 \
    MALLOC_ARENA_MAX=2

# Files stay owned by root (read-only for the process); the process runs as `node` (uid 1000).
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist

USER node
EXPOSE 3000

# Liveness of the API (GET /health needs no token). Worker and migrate containers disable it in compose.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

CMD ["node", "dist/apps/api/src/main.js"]
