#!/bin/sh
# The parts of the official postgres entrypoint the suites use: POSTGRES_USER, _PASSWORD and
# _DB on first start, then the server as the postgres user, listening on every interface.
set -eu
[ "${1:-postgres}" = postgres ] || exec "$@"
shift || true
user=${POSTGRES_USER:-postgres}
db=${POSTGRES_DB:-$user}
as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  install -d -o postgres -g postgres -m 700 "$PGDATA"
  secret=$(mktemp) && chown postgres "$secret"
  printf '%s\n' "${POSTGRES_PASSWORD:-postgres}" >"$secret"
  auth=trust
  [ -n "${POSTGRES_PASSWORD:-}" ] && auth=scram-sha-256
  as_postgres initdb --pgdata="$PGDATA" --username="$user" --pwfile="$secret" --encoding=UTF8 \
    --locale=C.UTF-8 --auth-local=trust --auth-host="$auth" --no-sync >/dev/null
  rm -f "$secret"
  echo "host all all all $auth" >>"$PGDATA/pg_hba.conf"
  if [ "$db" != postgres ]; then
    as_postgres postgres --single -D "$PGDATA" postgres >/dev/null <<SQL
CREATE DATABASE "$db";
SQL
  fi
fi
# Test data need not survive a crash: skip fsync, as a throwaway container can.
exec setpriv --reuid=postgres --regid=postgres --init-groups \
  postgres -D "$PGDATA" -c listen_addresses='*' -c fsync=off "$@"
