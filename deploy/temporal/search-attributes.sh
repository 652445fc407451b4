#!/bin/sh
# One-shot (temporalio/admin-tools): pinflow's search attributes (src/temporal/search-attributes.ts; a test
# keeps this list equal to it). Operators search the Web UI by them: PostId = "post_…", PostStatus = "failed".
set -eu
ns="${NAMESPACE:-default}"
existing="$(temporal operator search-attribute list --address "$TEMPORAL_ADDRESS" -n "$ns")"
for pair in PostId:Keyword WorkspaceId:Keyword SocialAccountIds:KeywordList BoardIds:KeywordList ScheduledAt:Datetime PostStatus:Keyword; do
  name="${pair%%:*}"
  type="${pair#*:}"
  if printf '%s\n' "$existing" | grep -qw "$name"; then
    echo "search attribute $name exists"
  else
    temporal operator search-attribute create --address "$TEMPORAL_ADDRESS" -n "$ns" --name "$name" --type "$type"
  fi
done
