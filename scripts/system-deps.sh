#!/usr/bin/env bash
# Debian packages the tests use: GNU gettext (msgfmt --check on the catalogs) and Chromium
# (the preview page's browser test). Installs only what is missing; needs root for apt-get.
set -euo pipefail
missing=()
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
  echo "system-deps: please install: ${missing[*]} (apt-get install ${missing[*]})" >&2
  exit 1
fi
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
echo "system-deps: installing ${missing[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
