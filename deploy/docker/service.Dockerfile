# syntax=docker/dockerfile:1.7
#
# One image recipe for every backend service; the service is picked at build time:
#
#   docker build -f deploy/docker/service.Dockerfile --build-arg SERVICE=camera-registry \
#     -t safecity/camera-registry .
#
# The build context is the repository root. service.Dockerfile.dockerignore beside this file
# keeps local installs, caches and data directories out of it (BuildKit reads it in place of a
# root .dockerignore).

ARG NODE_IMAGE=node:20-bookworm-slim

# ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app

# package.json approves install scripts per package in its `allowScripts` block. Only npm 11
# enforces it; the npm 10 bundled with Node 20 would ignore the block and run every install
# script, including the ones it denies.
RUN npm install -g npm@11

COPY package.json package-lock.json ./
# NODE_ENV is deliberately unset here: with NODE_ENV=production `npm ci` would skip the
# devDependencies that the runtime needs (see below).
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund

# ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime

ARG SERVICE
WORKDIR /app

# video-analytics reads RTSP cameras with Debian's ffmpeg (a child process decoding to a pipe: it
# writes no file, so it runs on the read-only root filesystem); the other services need none.
# Before the sources are copied, so a change of the sources does not install it again.
RUN if [ "${SERVICE}" = "video-analytics" ]; then \
      apt-get update \
      && apt-get install -y --no-install-recommends ffmpeg \
      && rm -rf /var/lib/apt/lists/* \
      && ffmpeg -hide_banner -version > /dev/null; \
    fi

# The services run from TypeScript source through @swc-node/register, the same way as in
# development, and @swc-node/register and @swc/core are devDependencies, so `npm ci --omit=dev` would
# produce an image that cannot start. The whole dependency tree is kept until the services get
# a compiled build.
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig*.json ./
COPY proto ./proto
COPY libs ./libs
COPY services ./services
# The operations tools run from the same image: `tools/migrate.ts` (the Helm chart's migrations
# Job) and `tools/kafka-topics.ts` (its topics Job).
COPY tools ./tools

# Fails the build early (instead of the container at start) on a mistyped or not yet existing
# service.
RUN case "${SERVICE}" in \
      camera-registry|recognition|incidents|prevention|video-analytics|console) ;; \
      *) echo "build arg SERVICE must be camera-registry, recognition, incidents, prevention, video-analytics or console (got '${SERVICE}')" >&2; exit 1 ;; \
    esac \
 && if [ ! -f "services/${SERVICE}/src/main.ts" ]; then \
      echo "services/${SERVICE}/src/main.ts does not exist in this checkout" >&2; exit 1; \
    fi \
 && if [ "${SERVICE}" = console ]; then \
      node -r @swc-node/register services/console/src/web/build-cli.ts \
      && node -r @swc-node/register -e "process.exit(require('./services/console/src/web/build-web').webAppIsCurrent() ? 0 : 1)" \
      || { echo "the console's web application (services/console/dist/web) is not current after its build" >&2; exit 1; }; \
    fi

# Set only in this stage: the deps stage must install devDependencies.
# A 64 MB young generation: every consumed batch makes thousands of short-lived objects that a
# 16 MB one promotes or copies several times (docs/benchmarks.md, recognition).
ENV NODE_ENV=production \
    SAFECITY_SERVICE=${SERVICE} \
    SAFECITY_PROTO_ROOT=/app/proto \
    NODE_OPTIONS=--max-semi-space-size=64

# Sources and node_modules stay owned by root: the process only reads them. @swc-node/register
# keeps its transform cache under the OS temp directory, which `node` can write. The console's
# built application (above) is found current at start, so the console writes nothing there either;
# the packaged models and their WebAssembly are read from node_modules.
USER node

# EXPOSE cannot depend on SERVICE, so it lists the whole platform range. Each service uses one of
# each: HTTP 3001 camera-registry, 3002 recognition, 3003 incidents, 3004 prevention; gRPC
# 50051..50054 in the same order; the console (built into the image above) HTTP 3005 and
# video-analytics HTTP 3006 only.
EXPOSE 3001-3006 50051-50054

# Readiness rather than liveness: the database and Kafka are checked, which is what a container
# that depends on this one needs to wait for. 127.0.0.1 (not localhost) because Node may resolve
# localhost to ::1 while HTTP_HOST binds IPv4 only. Without HTTP_PORT the service listens on its
# default port, so the check falls back to the same default. The start period covers on-the-fly
# compilation and migrations.
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 \
  CMD ["node", "-e", "const port = process.env.HTTP_PORT || {'camera-registry': 3001, recognition: 3002, incidents: 3003, prevention: 3004, console: 3005, 'video-analytics': 3006}[process.env.SAFECITY_SERVICE]; fetch('http://127.0.0.1:' + port + '/health/ready', { signal: AbortSignal.timeout(4000) }).then((res) => process.exit(res.ok ? 0 : 1), () => process.exit(1));"]

# The shell is there only to expand the service name and add the service's own V8 flags, which
# NODE_OPTIONS cannot carry (tools/node-flags.ts); `exec` replaces it with node, so SIGTERM
# reaches the service and it drains in-flight work before exiting. Run with `--init` (compose
# `init: true`) so zombies of child processes are reaped too.
CMD ["/bin/sh", "-c", "case \"$SAFECITY_SERVICE\" in video-analytics) set -- --initial-old-space-size=256 ;; esac; exec node \"$@\" -r @swc-node/register \"services/${SAFECITY_SERVICE}/src/main.ts\""]
