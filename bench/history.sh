#!/usr/bin/env bash
# bench/history.sh [compare.sh options...]
#
# Times `keylint git` against the peers' history scans of the shared bench
# repository (10k commits, 20 planted keys on branches, tags and deleted files),
# in one run; then times `keylint scan --staged` for a one-file commit in a
# clone of that repository.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
shared=${KEYLINT_BENCH_KIT:-$repo/../shared/bench}
cache=${KEYLINT_BENCH_CACHE:-$HOME/.cache/keylint-bench}

[ -x "$cache/bin/rg" ] || "$shared/install-peers.sh" "$cache"
[ -f "$cache/history/history-planted.tsv" ] || "$shared/make-history.sh" "$cache/history"

cargo build --release --locked --manifest-path "$repo/Cargo.toml"
bin="$repo/target/release/keylint"

"$shared/compare.sh" --history "$cache/history/repo" "$bin" "$@"

echo
echo "## keylint scan --staged, one-file commit"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone -q "$cache/history/repo" "$work/repo"
cd "$work/repo"
echo 'print("hello")' > staged_example.py
git add staged_example.py
echo "tracked files: $(git ls-files | wc -l)"
for i in 1 2 3 4 5; do
  /usr/bin/time -f "%e s wall, %M KiB peak RSS" "$bin" scan --staged -q --no-config || true
done 2>&1 | sort -n | sed -n 3p | sed 's/^/median of 5: /'
