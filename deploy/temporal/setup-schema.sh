#!/bin/sh
# Creates Temporal's two PostgreSQL databases (persistence and visibility) when missing and brings
# both schemas to the version of the server, with the server's own schema tool. Safe to run on
# every start: creation skips an existing database, setup-schema -v 0.0 only adds the version
# tables, update-schema applies only the versions a database does not have yet.
#
# Run by `npm run cluster` (scripts/lib/temporal-cluster.ts) and, in docker-compose.yml, by the
# temporal-schema service in the official admin-tools image. Connection from the tool's own
# variables: SQL_HOST, SQL_PORT, SQL_USER, SQL_PASSWORD.
set -eu
tool="${TEMPORAL_SQL_TOOL:-temporal-sql-tool}"
schema="${TEMPORAL_SCHEMA_DIR:-/etc/temporal/schema}/postgresql/v12"
for pair in "${DBNAME:-temporal}:temporal" "${VISIBILITY_DBNAME:-temporal_visibility}:visibility"; do
  db="${pair%%:*}"
  kind="${pair##*:}"
  "$tool" --plugin postgres12 --db "$db" create-database
  "$tool" --plugin postgres12 --db "$db" setup-schema -v 0.0
  "$tool" --plugin postgres12 --db "$db" update-schema -d "$schema/$kind/versioned"
  echo "schema of $db ($kind) is current"
done
