#!/usr/bin/env bash
# Debian packages the project needs: Chromium (prints the PDFs, and the tests open the HTML
# in it), DejaVu fonts, git (reports record their commit); poppler for the tests. Installs them when run as
# root, otherwise prints the exact command and fails.
set -euo pipefail
case "${1:-build}" in
  build) pkgs=(chromium fonts-dejavu-core fonts-dejavu-extra git) ;;
  test)  pkgs=(chromium fonts-dejavu-core fonts-dejavu-extra git poppler-utils) ;;
  bench) pkgs=(chromium fonts-dejavu-core) ;;
  *) echo "usage: $0 [build|test|bench]" >&2; exit 2 ;;
esac
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
cmd="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${missing[*]}" >&2
  echo "Run as root:  $cmd" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
