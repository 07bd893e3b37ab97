#!/usr/bin/env bash
# Installs Debian's nginx for the cluster tests, which run several server processes behind it
# (the configuration of docs/operations.md, "Cluster mode"). The tests start their own nginx with
# their own configuration; the package's own service is kept from starting. Idempotent.
set -euo pipefail

[ -x /usr/sbin/nginx ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "The cluster tests need nginx (apt-get install nginx-light); run as root or install it." >&2
  exit 1
fi
echo "Installing nginx from Debian's archive" >&2
export DEBIAN_FRONTEND=noninteractive
# Keep the package from starting its own nginx on port 80 (policy-rc.d: 101 = action forbidden).
added_policy=0
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  added_policy=1
fi
trap '[ "$added_policy" -eq 1 ] && rm -f /usr/sbin/policy-rc.d' EXIT
apt-get update -qq
apt-get install -y -qq --no-install-recommends nginx-light >/dev/null
