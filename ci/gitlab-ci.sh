#!/usr/bin/env bash
# The script of keylint's GitLab CI template (ci/gitlab/keylint.gitlab-ci.yml
# runs it; tests/ci_scripts.rs runs it with a faked GitLab environment).
#
# It picks what to scan from the pipeline, prints findings in the job log, writes
# GitLab's secret detection report, and exits 0 (clean), 1 (findings, as
# KEYLINT_FAIL_ON says) or 2 (an error).
#
#   merge request pipeline    CI_MERGE_REQUEST_DIFF_BASE_SHA..the source branch's head
#   branch pipeline (push)    CI_COMMIT_BEFORE_SHA..CI_COMMIT_SHA; after a force-push,
#                             from the merge base of the two, or when the old head is
#                             gone, as for a first push
#   a branch's first push     its commits not on CI_DEFAULT_BRANCH (the default
#   (before is all zeros)     branch itself: its whole history)
#   anything else (schedules, tags, the web, the API)   the checked-out tree
#
# Settings (the template's variables): KEYLINT (the binary; installed when
# unset and not on PATH), KEYLINT_VERSION, KEYLINT_MODE (auto|tree|history|range),
# KEYLINT_PATH, KEYLINT_ARGS, KEYLINT_FAIL_ON (any|live|none), KEYLINT_VERIFY
# (true|false), KEYLINT_REPORT (the report's file, or empty for none). GitLab's: CI_PIPELINE_SOURCE, CI_MERGE_REQUEST_DIFF_BASE_SHA,
# CI_MERGE_REQUEST_SOURCE_BRANCH_SHA, CI_COMMIT_SHA, CI_COMMIT_BEFORE_SHA,
# CI_COMMIT_BRANCH, CI_DEFAULT_BRANCH, CI_PROJECT_DIR. Needs bash and git; to
# install keylint, curl and tar (or cargo).
set -euo pipefail

version=${KEYLINT_VERSION:-latest}
mode=${KEYLINT_MODE:-auto}
target=${KEYLINT_PATH:-.}
fail_on=${KEYLINT_FAIL_ON:-any}
verify=${KEYLINT_VERIFY:-false}
report=${KEYLINT_REPORT:-}
source=${CI_PIPELINE_SOURCE:-}

die() {
  printf 'keylint: error: %s\n' "$*" >&2
  exit 2
}

say() {
  printf 'keylint: %s\n' "$*"
}

case "$mode" in auto | tree | history | range) ;; *) die "KEYLINT_MODE must be auto, tree, history or range, not '$mode'" ;; esac
case "$fail_on" in any | live | none) ;; *) die "KEYLINT_FAIL_ON must be any, live or none, not '$fail_on'" ;; esac
case "$verify" in true | false) ;; *) die "KEYLINT_VERIFY must be true or false, not '$verify'" ;; esac

if [ -n "${CI_PROJECT_DIR:-}" ]; then
  cd "$CI_PROJECT_DIR"
fi

# The binary: KEYLINT, else keylint on PATH, else the release binary (install.sh
# of the same version), else `cargo install`.
install_keylint() {
  local dir=${TMPDIR:-/tmp}/keylint-bin ref
  ref=$version
  [ "$ref" = latest ] && ref=main
  if curl --proto '=https' --tlsv1.2 -sSfL "https://raw.githubusercontent.com/keylint/keylint/$ref/install.sh" \
    -o "$dir.install.sh" && sh "$dir.install.sh" --version "$version" --dir "$dir" && [ -x "$dir/keylint" ]; then
    keylint=$dir/keylint
    return
  fi
  say "no release binary of keylint $version fits this runner: building it with cargo install --locked"
  if [ "$version" = latest ]; then
    cargo install --locked --quiet --git https://github.com/keylint/keylint --root "$dir.cargo" keylint
  else
    cargo install --locked --quiet --git https://github.com/keylint/keylint --tag "$version" --root "$dir.cargo" keylint
  fi
  keylint=$dir.cargo/bin/keylint
}

if [ -n "${KEYLINT:-}" ]; then
  keylint=$KEYLINT
elif command -v keylint >/dev/null 2>&1; then
  keylint=keylint
else
  install_keylint
fi

g() {
  git -C "$target" "$@"
}

is_sha() {
  [[ $1 =~ ^[0-9a-f]{40}([0-9a-f]{24})?$ ]]
}

is_zero() {
  [[ $1 =~ ^0+$ ]]
}

has_commit() {
  g cat-file -e "$1^{commit}" 2>/dev/null
}

need_commit() {
  is_sha "$1" || die "$2 is not a commit id: '$1'"
  has_commit "$1" || die "commit $1 ($2) is not in the clone: set GIT_DEPTH to 0 (the template does)"
}

selection=()
label=

scan_range() {
  selection=(git "$target" --range "$1..$2")
  label="$1..$2 ($3)"
}

scan_branch() {
  selection=(git "$target" --branch "$1")
  label="the whole history of $1 ($2)"
}

# The commits of `$1` not on the default branch; for the default branch itself,
# its whole history.
new_commits() {
  local head=$1 branch=$2 why=$3 default=${CI_DEFAULT_BRANCH:-} base
  if [ -n "$default" ] && git check-ref-format "refs/heads/$default" && [ "$branch" != "$default" ]; then
    base="refs/remotes/origin/$default"
    if ! g rev-parse -q --verify "$base^{commit}" >/dev/null; then
      # GitLab fetches only the pipeline's branch: fetch the default one too.
      g fetch -q --no-tags origin "+refs/heads/$default:$base" >/dev/null 2>&1 || true
    fi
    if base=$(g rev-parse -q --verify "$base^{commit}"); then
      scan_range "$base" "$head" "$why: the commits not on $default"
      return
    fi
    scan_branch "$head" "$why, and the default branch $default cannot be fetched"
  elif [ -n "$default" ]; then
    scan_branch "$head" "$why, on the default branch"
  else
    scan_branch "$head" "$why, and CI_DEFAULT_BRANCH is not set"
  fi
}

# Sets the selection from the pipeline; returns 1 for a pipeline that brings no commits.
pipeline_range() {
  local base head before after branch merge_base
  if [ "$source" = merge_request_event ]; then
    base=${CI_MERGE_REQUEST_DIFF_BASE_SHA:-}
    head=${CI_MERGE_REQUEST_SOURCE_BRANCH_SHA:-${CI_COMMIT_SHA:-}}
    need_commit "$base" CI_MERGE_REQUEST_DIFF_BASE_SHA
    need_commit "$head" "the merge request's head"
    scan_range "$base" "$head" "merge request"
    return 0
  fi
  branch=${CI_COMMIT_BRANCH:-}
  if [ "$source" != push ] || [ -z "$branch" ]; then
    return 1
  fi
  before=${CI_COMMIT_BEFORE_SHA:-}
  after=${CI_COMMIT_SHA:-}
  need_commit "$after" CI_COMMIT_SHA
  if [ -z "$before" ] || is_zero "$before"; then
    new_commits "$after" "$branch" "first push of $branch"
  elif ! is_sha "$before"; then
    die "CI_COMMIT_BEFORE_SHA is not a commit id: '$before'"
  elif has_commit "$before" && g merge-base --is-ancestor "$before" "$after"; then
    scan_range "$before" "$after" "push"
  elif has_commit "$before" && merge_base=$(g merge-base "$before" "$after"); then
    scan_range "$merge_base" "$after" "force-push: from the merge base of $before and $after"
  else
    new_commits "$after" "$branch" "force-push: $before is gone"
  fi
}

case "$mode" in
  tree)
    selection=(scan "$target")
    label="the tree at $target"
    ;;
  history)
    selection=(git "$target")
    label="every commit of every ref in $target"
    ;;
  range)
    pipeline_range || die "KEYLINT_MODE=range needs a merge request or branch push pipeline, not '$source'"
    ;;
  auto)
    if ! pipeline_range; then
      selection=(scan "$target")
      label="the tree at $target (${source:-unknown} pipeline)"
    fi
    ;;
esac

extra=()
read -r -a extra <<<"${KEYLINT_ARGS:-}"
options=(--fail-on "$fail_on")
if [ "$verify" = true ]; then
  options+=(--verify)
fi

say "scanning $label"
code=0
"$keylint" "${selection[@]}" "${options[@]}" ${extra[@]+"${extra[@]}"} || code=$?

if [ -n "$report" ]; then
  # A second scan of the same selection, for the report: it never verifies (each
  # key is sent to its provider once at most) and never fails the job by itself.
  say "writing $report"
  report_code=0
  "$keylint" "${selection[@]}" --format gitlab --fail-on none -q ${extra[@]+"${extra[@]}"} >"$report" || report_code=$?
  if [ "$report_code" -ne 0 ]; then
    printf 'keylint: error: the report scan failed (exit %s)\n' "$report_code" >&2
    code=2
  fi
fi
exit "$code"
