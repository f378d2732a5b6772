# syntax=docker/dockerfile:1
#
# AWA application image. One image, three roles: the role is chosen by the command, e.g.
#   docker run awa start --roles api        (default)
#   docker run awa start --roles worker
#   docker run awa start --roles scheduler
#   docker run awa migrate
# bin/awa.mjs bundles src/ into dist/cli/ (an entry and its chunks) with esbuild (a production
# dependency); the bundle is made once at image build time, since the app folder is read-only at
# run time.

ARG NODE_IMAGE=node:20-bookworm-slim

# --- web: the browser app, built with the dev dependencies (Vite), which the image does not keep ------
FROM ${NODE_IMAGE} AS web
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY web ./web
# npm ci runs the package's prepare step, which builds web/ into dist/web
RUN npm ci --no-audit --no-fund && test -f dist/web/index.html

# --- deps: production node_modules only ------------------------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
RUN npm ci --omit=dev --no-audit --no-fund \
  && npm cache clean --force

# --- runtime ---------------------------------------------------------------------------------------
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000 \
    AWA_DATA_DIR=/var/lib/awa
WORKDIR /app

# Application files stay owned by root (read-only for the app); only the data dir is writable.
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY bin ./bin
COPY migrations ./migrations
COPY src ./src
COPY --from=web /app/dist/web ./dist/web

RUN node bin/awa.mjs --version \
  && mkdir -p /var/lib/awa && chown node:node /var/lib/awa

USER node
EXPOSE 8000

# No curl in slim images: use node's built-in fetch. Every role serves /ready on $PORT.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8000)+'/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

ENTRYPOINT ["node", "bin/awa.mjs"]
CMD ["start", "--roles", "api"]
