#!/usr/bin/env bash
# Provisions the Temporal server and its SQL schema tool for `npm run cluster` (the production topology,
# natively): both built from the Go module go.temporal.io/server, pinned to the server version of the
# compose file and of the Temporal CLI (1.29.1). Idempotent: a second run checks a stamp and returns.
# The schema files come with the module source (`go env GOMODCACHE`), so nothing else is fetched.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
tools="$root/.tools"
SERVER_VERSION=1.29.1
stamp="$tools/temporal-server.version"

say() { echo "provision(cluster): $*" >&2; }

if [[ -x "$tools/bin/temporal-server" && -x "$tools/bin/temporal-sql-tool" && -d "$tools/temporal-schema/postgresql/v12" && "$(cat "$stamp" 2>/dev/null)" == "$SERVER_VERSION" ]]; then
  exit 0
fi
command -v go >/dev/null || { say "Go is required to build the Temporal server (https://go.dev/dl, or apt-get install golang)"; exit 1; }

say "building the Temporal server v$SERVER_VERSION and temporal-sql-tool from the Go module proxy (minutes on a cold cache)"
start=$SECONDS
build="$(mktemp -d)"
trap 'rm -rf "$build"' EXIT
# `go install` names the binaries after their folders (server, sql): install into a scratch folder, then
# give them the names Temporal's own images use.
GOBIN="$build" GOFLAGS=-mod=mod go install \
  "go.temporal.io/server/cmd/server@v$SERVER_VERSION" \
  "go.temporal.io/server/cmd/tools/sql@v$SERVER_VERSION"
mkdir -p "$tools/bin"
mv -f "$build/server" "$tools/bin/temporal-server"
mv -f "$build/sql" "$tools/bin/temporal-sql-tool"
# The module source holds the PostgreSQL schema the sql tool applies (as Temporal's admin-tools image has
# it under /etc/temporal/schema): copy it next to the binaries, so starting a cluster needs no Go.
module_dir="$(GOFLAGS=-mod=mod go mod download -json "go.temporal.io/server@v$SERVER_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
[[ -d "$module_dir/schema/postgresql/v12" ]] || { say "no PostgreSQL schema in $module_dir"; exit 1; }
rm -rf "$tools/temporal-schema"
mkdir -p "$tools/temporal-schema/postgresql"
cp -R "$module_dir/schema/postgresql/v12" "$tools/temporal-schema/postgresql/v12"
chmod -R u+w "$tools/temporal-schema" # the module cache is read-only; a later rm -rf must work
echo "$SERVER_VERSION" >"$stamp"
say "built in $((SECONDS - start)) s"
