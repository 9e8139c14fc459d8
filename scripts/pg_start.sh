#!/usr/bin/env bash
# Start a local PostgreSQL (Debian's cluster tools) for the test pass and print its DATABASE_URL.
# Idempotent: reuses a running cluster. The role may create the per-run test databases.
set -euo pipefail
{
  if ! command -v pg_lsclusters >/dev/null; then
    echo "PostgreSQL is not installed: apt-get install postgresql" >&2
    exit 1
  fi
  version="$(pg_lsclusters -h | awk 'NR==1 {print $1}')"
  cluster="$(pg_lsclusters -h | awk 'NR==1 {print $2}')"
  if [[ -z "$version" ]]; then
    version="$(ls /usr/lib/postgresql | sort -n | tail -1)"
    cluster=main
    pg_createcluster "$version" "$cluster"
  fi
  pg_ctlcluster "$version" "$cluster" start 2>/dev/null || true
  for _ in $(seq 30); do
    runuser -u postgres -- pg_isready -q -h 127.0.0.1 && break
    sleep 1
  done
  runuser -u postgres -- psql -q -v ON_ERROR_STOP=1 <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'partnernet') THEN
    CREATE ROLE partnernet LOGIN CREATEDB PASSWORD 'partnernet';
  END IF;
END $$;
SQL
  if ! runuser -u postgres -- psql -tAc "SELECT 1 FROM pg_database WHERE datname='partnernet'" | grep -q 1; then
    runuser -u postgres -- createdb -O partnernet partnernet
  fi
} >&2
port="$(pg_lsclusters -h | awk 'NR==1 {print $3}')"
echo "postgres://partnernet:partnernet@127.0.0.1:${port}/partnernet"
