# The extranet manager, production image. Neo4j runs in its own container (docker-compose.yml),
# so this image needs no Java: NEO4J_URI is always set here. `serve` polls each device's
# mgmtAddress:161 (or the SNMP_TARGETS file); the simulated network only with LAB=1 (the demo).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.base.json ./
COPY topology/package.json topology/
COPY backend/package.json backend/
COPY frontend/package.json frontend/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/backend/package.json backend/
COPY --from=build /app/backend/dist backend/dist
COPY --from=build /app/backend/openapi.json backend/
COPY --from=build /app/frontend/dist frontend/dist
COPY --from=build /app/plans plans
# The server key lives in /app/data (a volume in docker-compose.yml), written by the unprivileged user.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s CMD node -e "fetch('http://127.0.0.1:8080/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "backend/dist/main.js", "serve"]
