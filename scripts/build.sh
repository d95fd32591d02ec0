#!/usr/bin/env bash
# Install the tool, then run the main job: mine the bundled report, align the candidates with the termbase
# (writing proposals for unknown terms), export the six gettext catalogs to locales/ and write the web glossary.
set -euo pipefail
cd "$(dirname "$0")/.."
# A virtual environment of the project's own (.venv), so the install never touches the system Python.
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check .
PATH="$PWD/.venv/bin:$PATH"
mkdir -p out
glossary mine --format json > out/candidates.json.tmp && mv out/candidates.json.tmp out/candidates.json
glossary align --candidates out/candidates.json --write-proposals out/proposals.yaml --force --format json \
  > out/alignment.json.tmp && mv out/alignment.json.tmp out/alignment.json
glossary export po
glossary export html --out out/site
glossary stats
echo "wrote out/candidates.json, out/alignment.json, out/proposals.yaml, locales/ and the web glossary out/site/ (open out/site/index.html)" >&2
