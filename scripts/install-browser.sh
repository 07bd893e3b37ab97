#!/usr/bin/env bash
# Installs Debian's Chromium and the fonts that screenshots need (Chinese, emoji) for the
# browser tests. Nothing is downloaded from outside the distribution's archive. Idempotent.
set -euo pipefail

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
# Read whole, then searched: `fc-list | grep -q` under pipefail fails when grep stops reading
# at its first match while fc-list is still writing (SIGPIPE), and installed fonts looked absent.
fonts=$(fc-list 2>/dev/null || true)
grep -qi 'Noto Sans CJK' <<<"$fonts" || need+=(fonts-noto-cjk)
grep -qi 'Noto Color Emoji' <<<"$fonts" || need+=(fonts-noto-color-emoji)
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "The browser tests need: ${need[*]} (apt-get install ${need[*]}); run as root or install them." >&2
  exit 1
fi
echo "Installing ${need[*]} from Debian's archive" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" fontconfig >/dev/null
fc-cache -f >/dev/null 2>&1 || true
