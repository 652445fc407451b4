#!/bin/sh
# One-shot (temporalio/admin-tools): Temporal's two databases and their schema on PostgreSQL, as Temporal's
# own compose examples do it. Idempotent: a second run only applies schema versions newer than the stored one.
set -eu
sql() { temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "${DB_PORT:-5432}" -u "$POSTGRES_USER" "$@"; }
export SQL_PASSWORD="$POSTGRES_PWD"
schema="${SCHEMA_DIR:-/etc/temporal/schema/postgresql/v12}"

for pair in temporal:temporal temporal_visibility:visibility; do
  db="${pair%%:*}"
  dir="${pair#*:}"
  sql --db "$db" create-database 2>/dev/null || echo "database $db exists"
  # setup-schema creates the version table; on an existing schema it fails harmlessly and update-schema goes on.
  sql --db "$db" setup-schema -v 0.0 2>/dev/null || echo "schema of $db exists"
  sql --db "$db" update-schema -d "$schema/$dir/versioned"
done
echo 'Temporal schema is current'
