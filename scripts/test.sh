#!/usr/bin/env bash
# The test command. Installs the Debian packages the tests need (scripts/install_system_packages.sh), then,
# for each dependency resolution, builds a NEW virtual environment, installs the project with its test
# extra into it from nothing, and runs the whole suite:
#   newest  the newest releases of every dependency (what `pip install` gives a new user today);
#   lowest  the lowest versions pyproject.toml declares for its direct dependencies (uv's lowest-direct).
# Both must export byte-identical catalogs, equal to the committed locales/, and both must pass.
# GLOSSARY_TEST_RESOLUTIONS="newest" runs one resolution only; arguments are passed on to pytest.
set -euo pipefail
shopt -s inherit_errexit  # a failed install inside $(make_venv ...) stops the run
cd "$(dirname "$0")/.."
resolutions=${GLOSSARY_TEST_RESOLUTIONS:-newest lowest}
bash scripts/install_system_packages.sh

work=$(mktemp -d "${TMPDIR:-/tmp}/ctbt-glossary-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
pip_quiet=(-q --disable-pip-version-check)

make_venv() {  # make_venv RESOLUTION: a new venv with the project installed, its path on stdout
  local venv="$work/venv-$1"
  python3 -m venv "$venv"
  case "$1" in
    newest) "$venv/bin/python" -m pip install "${pip_quiet[@]}" -e ".[test]" >&2 ;;
    lowest) "$venv/bin/python" -m pip install "${pip_quiet[@]}" uv >&2
            "$venv/bin/python" -m uv pip install -q --python "$venv/bin/python" --resolution lowest-direct \
              -e ".[test]" >&2 ;;
    *) echo "unknown resolution $1 (newest, lowest)" >&2; exit 2 ;;
  esac
  echo "$venv"
}

junit_counts() {  # junit_counts FILE...: "N passed, N failed, N skipped" over pytest's JUnit reports
  python3 - "$@" <<'PY'
import sys, xml.etree.ElementTree as ET
tests = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        suites = ET.parse(path).getroot().iter("testsuite")
    except (OSError, ET.ParseError):
        failed += 1  # no report: the run itself broke
        continue
    for suite in suites:
        tests += int(suite.get("tests", 0))
        failed += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skipped += int(suite.get("skipped", 0))
print(f"{tests - failed - skipped} passed, {failed} failed, {skipped} skipped")
PY
}

summary=()
status=0
for resolution in $resolutions; do
  venv=$(make_venv "$resolution")
  echo "== $resolution: $("$venv/bin/python" -m pip list --format=freeze 2>/dev/null \
    | grep -i -E '^(babel|polib|jieba|rapidfuzz|click|pyyaml|numpy|opencc|lxml|openpyxl|jinja2|pymorphy3|pystemmer|defusedxml|saxonche|selenium|pytest|hypothesis|translate-toolkit)==' \
    | tr '\n' ' ')"
  "$venv/bin/glossary" export po --out "$work/locales-$resolution" >/dev/null
  if ! diff -r -q "$work/locales-$resolution" locales >&2; then
    echo "$resolution: the catalogs it exports differ from the committed locales/" >&2
    status=1
  fi
  set +e
  "$venv/bin/python" -m pytest -p no:cacheprovider --junitxml="$work/junit-$resolution.xml" "$@"
  code=$?
  set -e
  [ "$code" -eq 0 ] || status=1
  summary+=("$resolution: $(junit_counts "$work/junit-$resolution.xml") (pytest exit $code)")
done
printf '%s\n' "${summary[@]}"
echo "total: $(junit_counts "$work"/junit-*.xml)"
exit $status
