# Bamboo in a container (docs/operations.md). Build: docker build -t bamboo .
# One process, the record in SQLite on the volume: docker run -p 2567:2567 -v bamboo:/data bamboo
# Several behind a proxy, with PostgreSQL (DATABASE_URL) and Redis (REDIS_URL): docker compose up --build (compose.yaml).

# --- build: all dependencies, then the client (dist/client, precompressed) ---
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# --ignore-scripts: the pinned `node` devDependency would download a Node binary the image already has
# (its .bin/node link is removed so that the image's node runs everything).
RUN npm ci --ignore-scripts && rm -f node_modules/.bin/node
COPY client ./client
COPY shared ./shared
COPY server ./server
COPY scenarios ./scenarios
COPY tsconfig.json ./
RUN npx vite build --config client/vite.config.ts \
 && node server/http/precompress.ts dist/client

# --- production dependencies only ---
FROM node:24-slim AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# The client's own packages are bundled into dist/client already: the server never loads them (120 MB of Phaser).
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force \
 && rm -rf node_modules/phaser node_modules/world-atlas node_modules/topojson-client node_modules/d3-geo \
           node_modules/d3-array node_modules/codemirror node_modules/@codemirror node_modules/@lezer

# --- runtime: node, production node_modules, the server's TypeScript (run as is by Node 24), the client ---
FROM node:24-slim
ENV NODE_ENV=production \
    PORT=2567 \
    DATABASE_PATH=/data/bamboo.db \
    BAMBOO_SCENARIO_DIRS=/data/library:/app/scenarios
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY shared ./shared
COPY server ./server
COPY scenarios ./scenarios
COPY --from=build /app/dist/client ./dist/client
# The image's own `node` user (uid 1000) owns only the data folder: the SQLite record, and the library
# (the first scenario folder), where the workshop publishes; with PostgreSQL the library comes back
# from the record at each start, so a container's own /data may be thrown away.
RUN mkdir -p /data/library && chown -R node:node /data
USER node
VOLUME ["/data"]
EXPOSE 2567
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||2567)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM stops it cleanly (sessions kept in the record; with PostgreSQL another process takes them over at once).
STOPSIGNAL SIGTERM
CMD ["node", "server/main.ts"]
