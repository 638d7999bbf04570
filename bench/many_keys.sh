#!/usr/bin/env bash
# Time against the number of findings in one file (issue 13, item 12): files of
# 2/4/8/16 MiB of ModelsLab body keys, on one line (a minified payload) and one
# per line. Linear is the goal: each doubling should about double the time.
#
# usage: bench/many_keys.sh [KEYLINT_BIN]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-$here/target/release/keylint}"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
python3 - "$dir" <<'PY'
import random, string, sys
rng = random.Random(7)
alphabet = string.ascii_letters + string.digits
def key():
    return "".join(rng.choice(alphabet) for _ in range(60))
for mib in (2, 4, 8, 16):
    items, size = [], 0
    while size < mib << 20:
        item = '{"key": "%s"}' % key()
        items.append(item)
        size += len(item) + 2
    head = "// https://modelslab.com/api/v6/images/text2img\n"
    open(f"{sys.argv[1]}/one-line-{mib}.json", "w").write(head + ", ".join(items) + "\n")
    open(f"{sys.argv[1]}/per-line-{mib}.json", "w").write(head + ",\n".join(items) + "\n")
PY
echo "| file | findings | wall s | peak RSS MiB |"
echo "|---|---:|---:|---:|"
for shape in one-line per-line; do
  for mib in 2 4 8 16; do
    f="$dir/$shape-$mib.json"
    /usr/bin/time -f "%e %M" -o "$dir/time" "$bin" scan "$f" --no-config --format jsonl -q --max-file-size 64MiB > "$dir/out" || true
    read -r secs kb < <(tail -n 1 "$dir/time")
    echo "| $shape $mib MiB | $(wc -l < "$dir/out") | $secs | $((kb / 1024)) |"
  done
done
