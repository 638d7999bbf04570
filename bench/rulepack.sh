#!/usr/bin/env bash
# bench/rulepack.sh [runs]
#
# What the rule pack costs: scans the shared benchmark corpus with the full
# built-in rule set and with the seed-only set (the same binary, the pack's rules
# turned off with `disable` in a config), alternating, and prints the medians of
# wall time, CPU time and peak RSS for each and their ratio, plus the planted keys
# each finds. Needs the corpus of bench/tree.sh; default 11 runs of each.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
shared=${KEYLINT_BENCH_KIT:-$repo/../shared/bench}
cache=${KEYLINT_BENCH_CACHE:-$HOME/.cache/keylint-bench}
runs=${1:-11}

[ -f "$cache/corpus/planted.tsv" ] || "$shared/make-corpus.sh" "$cache/corpus"
cargo build --release --locked --manifest-path "$repo/Cargo.toml"
bin="$repo/target/release/keylint"
tree="$cache/corpus/tree"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Seed-only: every rule whose provider is not a seed provider, generic or practice.
"$bin" rules list --no-config | awk 'NR > 1 && $2 !~ /^(modelslab|getimg|imagen|phota|generic|practice)$/ { printf "%s\"%s\"", (n++ ? ", " : ""), $1 }
  END { print "" }' | sed 's/^/disable = [/; s/$/]/' > "$work/seed.toml"
: > "$work/full.toml"
echo "seed-only config: $(grep -o '"' "$work/seed.toml" | wc -l | awk '{print $1 / 2}') rules disabled"

for i in $(seq "$runs"); do
  for set in seed full; do
    /usr/bin/time -f "$set %e %U %S %M" -a -o "$work/times" \
      "$bin" scan "$tree" --config "$work/$set.toml" --format json -q > "$work/$set.json" || true
  done
done

python3 - "$work" "$cache/corpus/planted.tsv" <<'PY'
import json, statistics, sys
work, planted_tsv = sys.argv[1], sys.argv[2]
rows = {}
for line in (l for l in open(f"{work}/times") if l.split()[0] in ("seed", "full")):
    s, wall, user, sys_, rss = line.split()
    rows.setdefault(s, []).append((float(wall), float(user) + float(sys_), int(rss) / 1024))
med = {s: [statistics.median(c) for c in zip(*v)] for s, v in rows.items()}
print(f"| rule set | runs | median wall s | median CPU s | median peak RSS MiB | findings |")
print(f"|---|---:|---:|---:|---:|---:|")
for s in ("seed", "full"):
    d = json.load(open(f"{work}/{s}.json"))
    n = len(d["findings"]) if isinstance(d, dict) else len(d)
    w, c, r = med[s]
    print(f"| {s} | {len(rows[s])} | {w:.2f} | {c:.2f} | {r:.0f} | {n} |")
w = med["full"][0] / med["seed"][0]
c = med["full"][1] / med["seed"][1]
paired = statistics.median(f[0] / s[0] for s, f in zip(rows["seed"], rows["full"]))
print(f"\nfull / seed: wall {w:.3f} ({(w - 1) * 100:+.1f}%), paired-run median {paired:.3f}, CPU {c:.3f} ({(c - 1) * 100:+.1f}%)")
PY

for set in seed full; do
  echo
  echo "## $set rule set against the planted keys"
  python3 "$here/unplanted.py" "$cache/corpus/planted.tsv" "$work/$set.json" "$cache/corpus" | head -5
done
