#!/usr/bin/env bash
# Install the tool, then run the main job: mine the bundled report, align the candidates with the termbase
# (writing proposals for unknown terms), and export the six gettext catalogs to locales/.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install -q --disable-pip-version-check .
mkdir -p out
glossary mine --format json > out/candidates.json.tmp && mv out/candidates.json.tmp out/candidates.json
glossary align --candidates out/candidates.json --write-proposals out/proposals.yaml --force --format json \
  > out/alignment.json.tmp && mv out/alignment.json.tmp out/alignment.json
glossary export po
glossary stats
echo "wrote out/candidates.json, out/alignment.json, out/proposals.yaml and locales/" >&2
