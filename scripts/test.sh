#!/usr/bin/env bash
# The whole suite on SQLite; then the database-touching part again on PostgreSQL when CI is set
# (a throw-away cluster is started by scripts/pg_start.sh) or when DATABASE_URL is given.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export PARTNERNET_HOME="${PARTNERNET_HOME:-$(mktemp -d)}"

pg_url="${DATABASE_URL:-}"
if [[ -z "$pg_url" && -n "${CI:-}" ]]; then
  pg_url="$(bash scripts/pg_start.sh)"
fi

# Both passes always run, so one report shows every failure; the exit status is the worst.
status=0
echo "== lint: ruff and mypy"
"$BIN/ruff" check src tests bench || status=$?
"$BIN/ruff" format --check --quiet src tests bench || status=$?
"$BIN/mypy" src || status=$?

echo "== partnernet test suite on SQLite"
env -u DATABASE_URL "$BIN/python" -m pytest -n 2 --dist loadfile "$@" || status=$?

if [[ -n "$pg_url" ]]; then
  echo "== partnernet test suite on PostgreSQL (database-touching tests)"
  DATABASE_URL="$pg_url" "$BIN/python" -m pytest -n 2 --dist loadfile -m "not browser" \
    tests/apps tests/cli tests/web "$@" || status=$?
fi
exit "$status"
