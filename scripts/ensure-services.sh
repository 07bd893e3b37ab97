#!/usr/bin/env bash
# Makes sure the services the test suite talks to are up: PostgreSQL (the second store every
# server suite runs on). Starts it the way this machine's notes say when it is down; never
# installs or reconfigures anything. Skipped when TEST_DATABASE_URL points elsewhere.
set -euo pipefail

pg_url="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"

pg_up() { pg_isready -q -d "$pg_url" 2>/dev/null || (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; }

if ! pg_up; then
  echo "PostgreSQL is not answering at $pg_url; starting it" >&2
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
  fi
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
  pg_up || { echo "PostgreSQL did not come up; set TEST_DATABASE_URL to a reachable server" >&2; exit 1; }
fi
