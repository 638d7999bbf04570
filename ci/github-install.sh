#!/usr/bin/env bash
# The install step of keylint's GitHub Action: puts the keylint binary at
# $RUNNER_TEMP/keylint-bin/keylint. A binary already there (restored from the
# cache) is kept; else the release binary of KEYLINT_VERSION for this runner is
# downloaded by the repository's install.sh; only when that fails (no binary for
# this platform) is keylint built from the action's own source with
# `cargo install --locked`. tests/ci_scripts.rs runs it with stand-ins for
# install.sh and cargo.
set -euo pipefail

version=${KEYLINT_VERSION:-latest}
action=${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}
dir=${RUNNER_TEMP:?RUNNER_TEMP is not set}/keylint-bin
bin=$dir/keylint

if [ -x "$bin" ] && "$bin" --version >/dev/null 2>&1; then
  echo "keylint: using the cached $("$bin" --version)"
  exit 0
fi

if [ -x "$action/install.sh" ] && "$action/install.sh" --version "$version" --dir "$dir" && [ -x "$bin" ]; then
  echo "keylint: installed $("$bin" --version)"
  exit 0
fi

echo "::notice title=keylint::no release binary of keylint $version fits this runner: building it from the action's source (cargo install --locked)"
root=${RUNNER_TEMP}/keylint-cargo
cargo install --locked --quiet --path "$action" --root "$root"
mkdir -p "$dir"
cp "$root/bin/keylint" "$bin"
echo "keylint: built $("$bin" --version)"
