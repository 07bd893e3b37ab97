#!/usr/bin/env bash
# Makes sure the services the test suite talks to are up: PostgreSQL (the second store every
# server suite runs on) and Redis (the cluster's shared state). Starts each the way this
# machine's notes say when it is down; never installs or reconfigures anything. A service is
# left alone when TEST_DATABASE_URL or TEST_REDIS_URL points elsewhere.
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

redis_url="${TEST_REDIS_URL:-redis://127.0.0.1:6379}"
redis_up() { redis-cli -u "$redis_url" ping 2>/dev/null | grep -q PONG || { [ -z "${TEST_REDIS_URL:-}" ] && (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; }; }

if ! redis_up; then
  if [ -n "${TEST_REDIS_URL:-}" ]; then
    echo "Redis is not answering at $redis_url (TEST_REDIS_URL); start it, or unset TEST_REDIS_URL for the local one" >&2
    exit 1
  fi
  echo "Redis is not answering at $redis_url; starting it" >&2
  if command -v redis-server >/dev/null 2>&1; then
    mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
  fi
  for _ in $(seq 1 30); do redis_up && break; sleep 1; done
  redis_up || { echo "Redis did not come up; set TEST_REDIS_URL to a reachable server" >&2; exit 1; }
fi
