#!/usr/bin/env bash
# Install what the test suite needs (GNU gettext for msgfmt checks, the package with its test extra), then run it.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v msgfmt >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq gettext >/dev/null
  else
    echo "warning: GNU gettext (msgfmt) not found; catalog checks that need it will be skipped" >&2
  fi
fi
python3 -m pip install -q --disable-pip-version-check -e ".[test]"
exec python3 -m pytest "$@"
