# syntax=docker/dockerfile:1
# One image per service, all from this file:
#   docker build --build-arg SERVICE=identity -t ticketry/identity .
# docker-compose.yml and deploy/ use it the same way.
ARG NODE_IMAGE=node:24-bookworm-slim

# --- manifests: only package.json files and the lockfile, so the `npm ci` layer below stays
# cached until a dependency changes (source edits do not change this stage's output).
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir -p /manifests \
 && cp package.json package-lock.json /manifests/ \
 && find libs services -mindepth 2 -maxdepth 2 -name package.json -exec cp --parents {} /manifests/ \;

# --- build: install, compile one service and the libs it references, drop dev dependencies.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY --from=manifests /manifests/ ./
# --ignore-scripts: no install script is needed to build or run (argon2 loads its prebuilt binary,
# the generated protobuf code is committed) and the `node` dev dependency's script would download
# a second Node binary. `npm ci` refuses a lockfile that lacks an optional platform package (a lock
# written on another OS); then install from package.json without touching the lockfile.
RUN npm ci --ignore-scripts --no-audit --no-fund \
 || { echo "npm ci refused the lockfile; falling back to npm install --no-save" >&2; \
      npm install --no-save --ignore-scripts --no-audit --no-fund; }
COPY tsconfig.base.json ./
COPY libs ./libs
COPY services ./services
ARG SERVICE
RUN if [ -z "$SERVICE" ] || [ ! -f "services/$SERVICE/tsconfig.json" ]; then \
      echo "build with --build-arg SERVICE=<one of: $(ls services | tr '\n' ' ')>" >&2; exit 1; \
    fi
# The image's own Node runs tsc (npx would prefer node_modules/.bin/node, absent with --ignore-scripts).
RUN node node_modules/typescript/bin/tsc -b "services/$SERVICE" \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
 && find libs "services/$SERVICE" -name '*.tsbuildinfo' -delete

# --- runtime: compiled JavaScript and production dependencies, run as a non-root user.
FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
ENV NODE_ENV=production \
    SERVICE=${SERVICE} \
    NODE_OPTIONS=--enable-source-maps
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/libs ./libs
COPY --from=build /app/services/${SERVICE} ./services/${SERVICE}
# uid 1000 is the image's `node` user; numeric so Kubernetes can verify runAsNonRoot.
USER 1000:1000
STOPSIGNAL SIGTERM
# `exec` makes node PID 1, so it receives SIGTERM and drains (libs/platform bootstrap).
# A Kubernetes migration Job overrides this with `node services/<svc>/dist/migrate.js`.
CMD ["/bin/sh", "-c", "exec node \"services/$SERVICE/dist/main.js\""]
