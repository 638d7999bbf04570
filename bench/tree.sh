#!/usr/bin/env bash
# bench/tree.sh [compare.sh options...]
#
# Times keylint against ripgrep and the peer scanners on the shared benchmark
# corpus (1.5 GB of real third-party code with 220 planted keys), in one run, and
# lists every keylint finding that is not a planted key (each one is a false
# positive to examine). Uses ../shared/bench (see its README): installs the peers
# and builds the corpus on first use (~3 min), then e.g.
#   bench/tree.sh                                   # all peers, 3 runs each (~5 min)
#   bench/tree.sh --tools ripgrep,keylint --runs 5  # quick loop
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
shared=${KEYLINT_BENCH_KIT:-$repo/../shared/bench}
cache=${KEYLINT_BENCH_CACHE:-$HOME/.cache/keylint-bench}

[ -x "$cache/bin/rg" ] || "$shared/install-peers.sh" "$cache"
[ -f "$cache/corpus/planted.tsv" ] || "$shared/make-corpus.sh" "$cache/corpus"

cargo build --release --locked --manifest-path "$repo/Cargo.toml"
bin="$repo/target/release/keylint"

args=("$@")
[ ${#args[@]} -gt 0 ] || args=(--slow-after 100)
"$shared/compare.sh" "$cache/corpus/tree" "$bin" "${args[@]}"

echo
echo "## keylint findings that are not planted keys"
"$bin" scan "$cache/corpus/tree" --format json -q --no-config > "$cache/keylint-tree.json" || true
python3 "$here/unplanted.py" "$cache/corpus/planted.tsv" "$cache/keylint-tree.json" "$cache/corpus"
