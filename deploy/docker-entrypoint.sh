#!/bin/sh
# pinflow's container entrypoint: `api` or `worker`; anything else runs as given
# (e.g. `docker compose run --rm api node bin/pinflow.js key create --workspace ws_…`).
# `exec` makes node PID 1's replacement, so SIGTERM from the orchestrator reaches it and it drains.
set -e
case "$1" in
  api) shift; exec node --import tsx src/main/api.ts "$@" ;;
  worker) shift; exec node --import tsx src/main/worker.ts "$@" ;;
  *) exec "$@" ;;
esac
