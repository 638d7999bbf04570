#!/bin/sh
# The `keylint-bin` pre-commit hook: runs the keylint release binary of the
# version this hook repository is at (the `rev` of .pre-commit-config.yaml),
# installing it on first use with install.sh into
# ${XDG_CACHE_HOME:-$HOME/.cache}/keylint/<version>/. Needs no Rust toolchain.
# KEYLINT_DOWNLOAD_URL (see install.sh) points the download at a mirror.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)

# The version is the one Cargo.toml carries at this revision: a release tag
# vX.Y.Z holds version = "X.Y.Z" (the release workflow checks that).
version=$(sed -n 's/^version = "\([^"]*\)".*/\1/p' "$here/Cargo.toml" | head -n 1)
[ -n "$version" ] || {
	echo "keylint-bin: cannot read the version from $here/Cargo.toml" >&2
	exit 2
}
version=v$version

cache=${XDG_CACHE_HOME:-}
if [ -z "$cache" ]; then
	[ -n "${HOME:-}" ] || {
		echo "keylint-bin: set HOME or XDG_CACHE_HOME (where the keylint binary is kept)" >&2
		exit 2
	}
	cache=$HOME/.cache
fi
dir=$cache/keylint/$version

exe=keylint
case $(uname -s) in
MINGW* | MSYS* | CYGWIN* | Windows_NT) exe=keylint.exe ;;
esac

if [ ! -x "$dir/$exe" ]; then
	# install.sh talks on stdout; keep the hook's stdout for keylint's report.
	sh "$here/install.sh" --version "$version" --dir "$dir" >&2 || {
		echo "keylint-bin: could not install keylint $version (above); the keylint hook (builds with cargo) or keylint-system (a keylint on PATH) are the alternatives" >&2
		exit 2
	}
fi

exec "$dir/$exe" scan --staged "$@"
