#!/usr/bin/env bash
# Installs the Debian packages the test run needs when they are missing (as root, via apt).
set -euo pipefail
missing=()
ls -d /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v chromium >/dev/null || missing+=(chromium)
command -v msgfmt >/dev/null || missing+=(gettext)
fc-list 2>/dev/null | grep -qi dejavu || missing+=(fonts-dejavu-core)
# WeasyPrint (quarterly PDF report) loads Pango at run time.
ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
if [ ${#missing[@]} -eq 0 ]; then
  echo "Systeempakketten aanwezig: PostgreSQL, Redis, Chromium, gettext, Pango."
  exit 0
fi
echo "Installeren: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "Niet als root: installeer zelf met 'sudo apt-get install ${missing[*]}'" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The Debian package starts system-wide services; the tests run their own on loopback.
for svc in postgresql redis-server; do
  (command -v service >/dev/null && service "$svc" stop >/dev/null 2>&1) || true
done
