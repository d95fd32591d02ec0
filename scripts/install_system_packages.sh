#!/usr/bin/env bash
# Debian packages the test suite reads real clients with: GNU gettext (msgfmt, msgmerge, msginit) for the
# catalog checks; Chromium, its WebDriver and Arabic/CJK fonts for the browser tests of the web glossary.
# Installs only what is missing; where apt-get is not available, says what will be skipped.
set -euo pipefail
packages=(gettext chromium chromium-driver fonts-noto-core fonts-noto-cjk)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "warning: cannot install ${missing[*]} (no apt-get): catalog or browser tests that need them will skip" >&2
  exit 0
fi
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
echo "installing ${missing[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
