#!/bin/sh
# One-shot (temporalio/admin-tools): the namespace pinflow uses, once the server answers.
set -eu
ns="${NAMESPACE:-default}"
until temporal operator cluster health --address "$TEMPORAL_ADDRESS"; do sleep 2; done
temporal operator namespace describe --address "$TEMPORAL_ADDRESS" -n "$ns" >/dev/null 2>&1 ||
  temporal operator namespace create --address "$TEMPORAL_ADDRESS" -n "$ns" --retention "${RETENTION:-168h}"
echo "namespace $ns is there"
