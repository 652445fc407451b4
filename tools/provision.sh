#!/usr/bin/env bash
# Provisions the Temporal executables into .tools/ without internet (DESIGN.md §6). Idempotent:
# a second run on the same machine checks and returns in well under a second.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.tools"
mkdir -p "$tools/bin"
CLI_VERSION=1.5.1

say() { echo "provision: $*" >&2; }

provision_cli() {
  if [[ -n "${TEMPORAL_CLI_PATH:-}" ]]; then
    [[ -x "$TEMPORAL_CLI_PATH" ]] || { say "TEMPORAL_CLI_PATH=$TEMPORAL_CLI_PATH is not an executable"; exit 1; }
    return
  fi
  local bin="$tools/bin/temporal"
  # The binary reports itself as 0.0.0-DEV when built by `go install`, so a stamp records the version.
  if [[ -x "$bin" && "$(cat "$tools/temporal-cli.version" 2>/dev/null)" == "$CLI_VERSION" ]]; then return; fi
  if ! command -v go >/dev/null; then
    say "no Go toolchain: the Temporal SDK will download its dev server (needs internet)"
    return
  fi
  say "building the Temporal CLI v$CLI_VERSION from the Go module proxy (a few minutes the first time)"
  local start=$SECONDS
  GOBIN="$tools/bin" GOFLAGS=-mod=mod go install "github.com/temporalio/cli/cmd/temporal@v$CLI_VERSION"
  echo "$CLI_VERSION" >"$tools/temporal-cli.version"
  say "Temporal CLI built in $((SECONDS - start)) s: $("$bin" --version)"
}

provision_test_server() {
  if [[ -n "${TEMPORAL_TEST_SERVER_PATH:-}" ]]; then
    [[ -x "$TEMPORAL_TEST_SERVER_PATH" ]] || { say "TEMPORAL_TEST_SERVER_PATH=$TEMPORAL_TEST_SERVER_PATH is not an executable"; exit 1; }
    return
  fi
  local wrapper="$tools/bin/temporal-test-server"
  local stamp="$tools/test-server.pom.sha"
  local want
  want="$(sha256sum "$root/tools/test-server/pom.xml" | cut -d' ' -f1)"
  if [[ -x "$wrapper" && -f "$tools/test-server.jsa" && "$(cat "$stamp" 2>/dev/null)" == "$want" ]]; then return; fi
  if ! command -v mvn >/dev/null || ! command -v java >/dev/null; then
    say "no Java/Maven: the Temporal SDK will download its time-skipping test server (needs internet)"
    return
  fi
  say "resolving io.temporal:temporal-test-server from Maven Central"
  (cd "$root/tools/test-server" && mvn -q -B dependency:build-classpath -Dmdep.outputFile="$tools/test-server.classpath")
  local cp
  cp="$(cat "$tools/test-server.classpath")"
  # Fast, predictable JVM start: C1 only, serial GC, and an application class-data-sharing archive
  # recorded once here (-XX:ArchiveClassesAtExit) so classes load from a mapped file.
  local flags="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -XX:SharedArchiveFile=$tools/test-server.jsa -Xss512k"
  cat >"$wrapper" <<WRAP
#!/bin/sh
# Temporal's time-skipping test server (Java), provisioned by tools/provision.sh. Usage: temporal-test-server <port>
exec java $flags -cp "$cp" io.temporal.testserver.TestServer "\$@"
WRAP
  chmod +x "$wrapper"
  record_cds_archive "$cp"
  echo "$want" >"$stamp"
}

# Starts the server once with -XX:ArchiveClassesAtExit, waits for its port, stops it: the JVM writes the
# archive of every class it loaded on the way out.
record_cds_archive() {
  local cp="$1" port=47233
  rm -f "$tools/test-server.jsa"
  java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:ArchiveClassesAtExit="$tools/test-server.jsa" \
    -cp "$cp" io.temporal.testserver.TestServer "$port" >/dev/null 2>&1 &
  local pid=$!
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
  done
  kill -TERM "$pid"
  wait "$pid" || true
  [[ -f "$tools/test-server.jsa" ]] && say "class-data archive recorded" || say "no class-data archive (the server still starts, slower)"
}

provision_cli
provision_test_server
