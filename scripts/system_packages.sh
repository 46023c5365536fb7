#!/usr/bin/env bash
# What the project needs outside Python, found on any Unix-like machine (Linux, macOS, WSL):
#   a Chromium or Chrome (prints the PDFs; the tests open the HTML in it): the search order is in
#     src/trafficking_reports/browser.py alone (TR_CHROMIUM, the usual names on the PATH, the macOS
#     applications, playwright's own browser);
#   the fonts: matplotlib's DejaVu copy (src/trafficking_reports/fonts.py), no system font needed;
#   git (reports record their commit); for the tests, poppler's pdffonts and pdftotext.
# Where something is missing and apt exists (Debian, Ubuntu, WSL's default), Debian's package is installed
# when run as root, else the exact apt-get command is printed (the browser: on Debian only); with no apt, the
# message names what to install. Exits non-zero if anything is missing. Runs once the virtual environment exists: TR_PYTHON is
# its python (the Makefile passes it), so the playwright command it names is the right one.
set -euo pipefail
case "${1:-build}" in
  build|bench) tools=(git) ;;
  test) tools=(git pdffonts pdftotext) ;;
  *) echo "usage: $0 [build|test|bench]" >&2; exit 2 ;;
esac
py="${TR_PYTHON:-python3}"
src="$(cd "$(dirname "$0")/../src" && pwd)"
export PYTHONPATH="$src${PYTHONPATH:+:$PYTHONPATH}"  # check this checkout's code, installed or not

have() { command -v "$1" >/dev/null 2>&1; }
apt=false
if have apt-get && have dpkg-query; then apt=true; fi
# Debian's chromium is a browser; Ubuntu's (chromium-browser, also WSL's default) only installs a snap, which
# WSL and containers cannot run: there, playwright's browser with the libraries it needs (--with-deps).
debian_chromium=false
os_release="${TR_OS_RELEASE:-/etc/os-release}"  # another file only in the tests
if $apt && [ -r "$os_release" ] && ! (. "$os_release"; [[ " ${ID:-} ${ID_LIKE:-} " == *" ubuntu "* ]]); then
  debian_chromium=true
fi
missing=()  # Debian packages
failed=0

deps_flag=""  # a word or none (an empty array trips `set -u` in macOS's bash 3.2)
if $apt; then deps_flag=--with-deps; fi
# shellcheck disable=SC2086
if ! browser_problem=$("$py" -m trafficking_reports.browser --python "$py" $deps_flag 2>&1 >/dev/null); then
  if $debian_chromium; then missing+=(chromium); else echo "$browser_problem" >&2; failed=1; fi
fi
# Not needed (the reports' fonts travel with them), so never asked of a user; installed as root on Debian (CI),
# where they give Chromium fonts of its own for anything outside the reports.
if $apt && [ "$(id -u)" -eq 0 ]; then
  for p in fonts-dejavu-core fonts-dejavu-extra; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi
"$py" -m trafficking_reports.fonts >/dev/null || failed=1

for tool in "${tools[@]}"; do
  have "$tool" && continue
  case "$tool" in
    git) package=git hint="git (macOS: xcode-select --install; conda: conda install -c conda-forge git)" ;;
    *) package=poppler-utils hint="poppler, for $tool (macOS: brew install poppler; conda: conda install -c conda-forge poppler)" ;;
  esac
  if $apt; then
    [[ " ${missing[*]:-} " == *" $package "* ]] || missing+=("$package")
  else
    echo "$tool is not on the PATH: install $hint" >&2
    failed=1
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  cmd="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing Debian packages: ${missing[*]}" >&2
    echo "Run as root:  $cmd" >&2
    exit 1
  fi
  echo "Installing Debian packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
exit $failed
