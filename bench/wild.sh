#!/usr/bin/env bash
# Scores keylint and the peers on tests/wild (the labelled real-idiom corpus), in
# one run on the same files. Peers come from ../shared/bench/install-peers.sh.
#
# usage: bench/wild.sh [KEYLINT_BIN] [BIN_DIR]
# Prints a markdown table: recall on the seed providers and on the pack (a key
# counts as found when a finding in its file holds it), precision over all
# findings (negatives included), and keylint's recall with the provider required
# to be right. Per-tool JSON reports stay in $OUT (default: a temp dir).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
keylint="${1:-$here/target/release/keylint}"
bin="${2:-$HOME/.cache/keylint-bench/bin}"
out="${OUT:-$(mktemp -d)}"
corpus="$out/wild"
rm -rf "$corpus"
mkdir -p "$corpus"
# The code only: labels, notes and settings are not part of what is scanned.
(cd "$here/tests/wild" && find seed pack negatives -type f ! -name labels.tsv ! -name SOURCES.md ! -name FORMATS.md -print0 |
  xargs -0 cp --parents -t "$corpus")
printf 'skip_paths = []\n' > "$out/empty.toml"

score() { python3 "$here/bench/wild_score.py" "$here/tests/wild" "$1" "$2" ${3:-}; }
row() {
  python3 - "$1" "$2" "${3:-}" <<'PY'
import json, sys
name, report, strict = sys.argv[1], json.load(open(sys.argv[2])), sys.argv[3]
r, p = report["recall"], report["precision"]
cell = lambda g: f'{r[g]["found"]}/{r[g]["total"]} ({r[g]["recall"]:.3f})' if g in r else "-"
print(f'| {name} | {cell("seed")} | {cell("pack")} | {p["true"]}/{p["true"] + p["false"]} ({p["precision"]:.3f}) |')
PY
}

echo "| tool | seed recall | pack recall | precision |"
echo "|---|---:|---:|---:|"
(cd "$out" && "$keylint" scan wild --config empty.toml --format json --show-secrets -q > keylint.json) || true
score "$out/keylint.json" keylint > "$out/keylint.score.json"
row "keylint" "$out/keylint.score.json"
score "$out/keylint.json" keylint --strict > "$out/keylint.strict.json"
row "keylint (provider right)" "$out/keylint.strict.json"
if [ -x "$bin/gitleaks" ]; then
  (cd "$out" && "$bin/gitleaks" dir wild --no-banner -l error --report-format json --report-path gitleaks.json --exit-code 0)
  score "$out/gitleaks.json" gitleaks > "$out/gitleaks.score.json"
  row "gitleaks $("$bin/gitleaks" version 2>/dev/null)" "$out/gitleaks.score.json"
fi
if [ -x "$bin/betterleaks" ]; then
  (cd "$out" && "$bin/betterleaks" wild --no-banner -s -l error -o betterleaks.json --exit-code 0)
  score "$out/betterleaks.json" betterleaks > "$out/betterleaks.score.json"
  row "betterleaks" "$out/betterleaks.score.json"
fi
if [ -x "$bin/kingfisher" ]; then
  (cd "$out" && "$bin/kingfisher" scan wild --no-validate --format json --output kingfisher.json --no-update-check -q) || true
  score "$out/kingfisher.json" kingfisher > "$out/kingfisher.score.json"
  row "kingfisher" "$out/kingfisher.score.json"
fi
echo
echo "reports: $out"
