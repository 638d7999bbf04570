#!/bin/sh
# Installs a keylint release binary: picks the asset for this machine, checks it
# against the release's sha256sums.txt, and installs it atomically.
#
#   curl -fsSL https://raw.githubusercontent.com/keylint/keylint/v0.2.0/install.sh | sh -s -- --version v0.2.0
#
# Usage: install.sh [--version vX.Y.Z|latest] [--dir DIR]
#
# Environment:
#   KEYLINT_VERSION       the release to install when --version is not given (default: latest)
#   KEYLINT_INSTALL_DIR   where to install when --dir is not given (default: $HOME/.local/bin)
#   KEYLINT_DOWNLOAD_URL  a base URL holding the release's assets (a mirror, a local copy);
#                         overrides GitHub, whatever the version
#   KEYLINT_REPO_URL      the repository whose GitHub releases are used
#                         (default: https://github.com/keylint/keylint)
#   KEYLINT_OS, KEYLINT_ARCH
#                         install for this `uname -s` / `uname -m` instead of this machine's
#
# Needs: curl or wget; sha256sum, shasum or openssl; tar (unzip for Windows).
set -eu

SOURCE_INSTALL='cargo install --locked --git https://github.com/keylint/keylint'

say() {
	printf 'keylint-install: %s\n' "$*"
}

die() {
	printf 'keylint-install: error: %s\n' "$*" >&2
	exit 1
}

# fail CODE MESSAGE: die with another exit code (2: a usage error)
fail() {
	code=$1
	shift
	printf 'keylint-install: error: %s\n' "$*" >&2
	exit "$code"
}

usage() {
	cat <<'EOF'
Installs a keylint release binary.

Usage: install.sh [--version vX.Y.Z|latest] [--dir DIR]

  --version V   the release to install: a tag such as v0.2.0, or latest
                (default: $KEYLINT_VERSION, else latest)
  --dir DIR     the folder to install keylint into
                (default: $KEYLINT_INSTALL_DIR, else $HOME/.local/bin)
  -h, --help    this help

KEYLINT_DOWNLOAD_URL, when set, is a base URL holding the release's assets
(keylint-<target>.tar.gz or .zip and sha256sums.txt); it replaces GitHub.
KEYLINT_OS and KEYLINT_ARCH install for another `uname -s` / `uname -m`.
EOF
}

version=${KEYLINT_VERSION:-latest}
dir=${KEYLINT_INSTALL_DIR:-}

while [ $# -gt 0 ]; do
	case $1 in
	--version)
		[ $# -ge 2 ] || fail 2 "--version needs a value (vX.Y.Z or latest)"
		version=$2
		shift 2
		;;
	--version=*)
		version=${1#--version=}
		shift
		;;
	--dir)
		[ $# -ge 2 ] || fail 2 "--dir needs a folder"
		dir=$2
		shift 2
		;;
	--dir=*)
		dir=${1#--dir=}
		shift
		;;
	-h | --help)
		usage
		exit 0
		;;
	*)
		usage >&2
		fail 2 "unknown argument '$1'"
		;;
	esac
done

# The version: latest, or a release tag; 0.2.0 is taken as v0.2.0. Only the
# characters a tag of this project can hold go into a URL.
case $version in
latest) ;;
[0-9]*) version=v$version ;;
esac
case $version in
latest) ;;
v[0-9]*)
	case $version in
	*[!A-Za-z0-9.+-]*) fail 2 "'$version' is not a release version (vX.Y.Z or latest)" ;;
	esac
	;;
*) fail 2 "'$version' is not a release version (vX.Y.Z or latest)" ;;
esac

if [ -z "$dir" ]; then
	[ -n "${HOME:-}" ] || fail 2 "HOME is not set: say where to install with --dir DIR"
	dir=$HOME/.local/bin
fi

# The platform, as `uname` names it, mapped to a release target.
os=${KEYLINT_OS:-}
arch=${KEYLINT_ARCH:-}
native=yes
if [ -n "$os" ] || [ -n "$arch" ]; then
	native=no
fi
[ -n "$os" ] || os=$(uname -s)
[ -n "$arch" ] || arch=$(uname -m)

# A shell under Rosetta 2 reports x86_64 on an Apple silicon Mac: the native
# binary is the better pick there.
if [ "$native" = yes ] && [ "$os" = Darwin ] && [ "$arch" = x86_64 ]; then
	if [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || true)" = 1 ]; then
		arch=arm64
	fi
fi

target=
case $os in
Linux)
	case $arch in
	x86_64 | amd64) target=x86_64-unknown-linux-musl ;;
	aarch64 | arm64) target=aarch64-unknown-linux-musl ;;
	esac
	;;
Darwin)
	case $arch in
	x86_64 | amd64) target=x86_64-apple-darwin ;;
	arm64 | aarch64) target=aarch64-apple-darwin ;;
	esac
	;;
MINGW* | MSYS* | CYGWIN* | Windows_NT)
	case $arch in
	x86_64 | amd64 | AMD64) target=x86_64-pc-windows-msvc ;;
	esac
	;;
esac

if [ -z "$target" ]; then
	cat >&2 <<EOF
keylint-install: error: there is no keylint release binary for this platform ($os $arch).
Release binaries exist for Linux x86_64 and aarch64, macOS x86_64 and arm64, and
Windows x86_64. Elsewhere, build keylint from source with a Rust toolchain:

    $SOURCE_INSTALL
EOF
	exit 1
fi

case $target in
*-windows-*)
	asset=keylint-$target.zip
	exe=keylint.exe
	;;
*)
	asset=keylint-$target.tar.gz
	exe=keylint
	;;
esac

if [ -n "${KEYLINT_DOWNLOAD_URL:-}" ]; then
	base=${KEYLINT_DOWNLOAD_URL%/}
else
	repo=${KEYLINT_REPO_URL:-https://github.com/keylint/keylint}
	repo=${repo%/}
	if [ "$version" = latest ]; then
		base=$repo/releases/latest/download
	else
		base=$repo/releases/download/$version
	fi
fi

# download URL FILE
if command -v curl >/dev/null 2>&1; then
	download() {
		case $1 in
		https://*) curl --proto '=https' --tlsv1.2 -fsSL --retry 2 -o "$2" "$1" ;;
		*) curl -fsSL --retry 2 -o "$2" "$1" ;;
		esac
	}
elif command -v wget >/dev/null 2>&1; then
	download() {
		case $1 in
		https://*) wget -q --https-only -O "$2" "$1" ;;
		*) wget -q -O "$2" "$1" ;;
		esac
	}
else
	die "neither curl nor wget is installed: install one, or build from source: $SOURCE_INSTALL"
fi

# sha256 FILE: prints the file's SHA-256 in lowercase hex.
if command -v sha256sum >/dev/null 2>&1; then
	sha256() { sha256sum "$1" | cut -d ' ' -f 1; }
elif command -v shasum >/dev/null 2>&1; then
	sha256() { shasum -a 256 "$1" | cut -d ' ' -f 1; }
elif command -v openssl >/dev/null 2>&1; then
	sha256() { openssl dgst -sha256 -r "$1" | cut -d ' ' -f 1; }
else
	die "no SHA-256 tool (sha256sum, shasum or openssl) to verify the download with; nothing was installed"
fi

tmp=$(mktemp -d 2>/dev/null || mktemp -d -t keylint-install)
staged=
cleanup() {
	rm -rf "$tmp"
	if [ -n "$staged" ]; then rm -f "$staged"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "installing keylint $version for $target into $dir"
say "downloading $base/$asset"
download "$base/$asset" "$tmp/$asset" ||
	die "could not download $base/$asset (is $version a published release?)"
download "$base/sha256sums.txt" "$tmp/sha256sums.txt" ||
	die "could not download $base/sha256sums.txt, so $asset cannot be verified; nothing was installed"

# A line of sha256sum's format: "<hex>  <name>" (or "<hex> *<name>" in binary mode).
expected=$(awk -v name="$asset" '$2 == name || $2 == "*" name { print tolower($1); exit }' "$tmp/sha256sums.txt")
[ -n "$expected" ] || die "sha256sums.txt has no checksum for $asset; nothing was installed"
actual=$(sha256 "$tmp/$asset" | tr 'A-F' 'a-f')
if [ "$expected" != "$actual" ]; then
	die "checksum mismatch for $asset: sha256sums.txt says $expected, the download is $actual; nothing was installed"
fi
say "verified SHA-256 $actual"

mkdir "$tmp/unpacked"
case $asset in
*.zip)
	command -v unzip >/dev/null 2>&1 || die "unzip is needed to unpack $asset"
	unzip -q "$tmp/$asset" -d "$tmp/unpacked" || die "could not unpack $asset"
	;;
*)
	tar -xzf "$tmp/$asset" -C "$tmp/unpacked" || die "could not unpack $asset"
	;;
esac
[ -f "$tmp/unpacked/$exe" ] || die "$asset holds no $exe at its top level; nothing was installed"

mkdir -p "$dir" || die "could not create $dir"
# Staged beside its final name, then renamed over it: a reader of $dir sees the
# old binary or the new one, never half of one.
staged=$dir/.$exe.install.$$
cp "$tmp/unpacked/$exe" "$staged" || die "could not write into $dir"
chmod 755 "$staged"

# Run the binary before it replaces anything. One built for another platform
# (KEYLINT_OS/KEYLINT_ARCH) may not run here; it is installed all the same.
if installed_version=$("$staged" --version 2>/dev/null); then
	:
elif [ "$native" = yes ]; then
	die "the downloaded keylint does not run on this machine ($os $arch); nothing was installed. Build from source instead: $SOURCE_INSTALL"
else
	installed_version="keylint $version for $target (not run: built for another platform)"
fi

mv -f "$staged" "$dir/$exe" || die "could not install $dir/$exe"
staged=

say "installed $dir/$exe: $installed_version"
case :${PATH:-}: in
*:"$dir":*) ;;
*) say "note: $dir is not on your PATH; add it, e.g. export PATH=\"$dir:\$PATH\"" ;;
esac
