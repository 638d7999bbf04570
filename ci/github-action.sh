#!/usr/bin/env bash
# The scan step of keylint's GitHub Action (action.yml runs it as it is;
# tests/ci_scripts.rs runs it with a faked GitHub environment, one test per event).
#
# It picks what to scan from the event, prints each finding as an annotation
# (`--format github`), writes a job summary, optionally a SARIF file, and exits
# 0 (clean), 1 (findings, as `fail-on` says) or 2 (an error).
#
#   pull_request, pull_request_target   base..head of the pull request
#   merge_group                         base..head of the merge group
#   push                                before..after; after a force-push, from the
#                                       merge base of before and after, or when
#                                       `before` is gone, as for a new branch
#   push of a new branch or tag         its commits not on the default branch (the
#                                       default branch itself: its whole history)
#   anything else (schedule, workflow_dispatch, ...)   the checked-out tree
#
# Settings (the action's inputs): KEYLINT (the binary), KEYLINT_MODE
# (auto|tree|history|range), KEYLINT_PATH, KEYLINT_ARGS, KEYLINT_FAIL_ON
# (any|live|none), KEYLINT_VERIFY (true|false), KEYLINT_SARIF (a file, or empty).
# GitHub's: GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_SHA, GITHUB_WORKSPACE,
# GITHUB_STEP_SUMMARY, GITHUB_OUTPUT, RUNNER_TEMP. Needs bash, git and python3
# (to read the event's JSON), all on GitHub's runners.
set -euo pipefail

keylint=${KEYLINT:-keylint}
mode=${KEYLINT_MODE:-auto}
target=${KEYLINT_PATH:-.}
fail_on=${KEYLINT_FAIL_ON:-any}
verify=${KEYLINT_VERIFY:-false}
sarif=${KEYLINT_SARIF:-}
event=${GITHUB_EVENT_NAME:-}

# A workflow command's message: `%`, CR and LF escaped, so no value ends the line.
command_data() {
  local s=${1//%/%25}
  s=${s//$'\r'/%0D}
  printf '%s' "${s//$'\n'/%0A}"
}

die() {
  printf '::error title=keylint::%s\n' "$(command_data "$*")"
  exit 2
}

say() {
  printf 'keylint: %s\n' "$*"
}

case "$mode" in auto | tree | history | range) ;; *) die "mode must be auto, tree, history or range, not '$mode'" ;; esac
case "$fail_on" in any | live | none) ;; *) die "fail-on must be any, live or none, not '$fail_on'" ;; esac
case "$verify" in true | false) ;; *) die "verify must be true or false, not '$verify'" ;; esac

if [ -n "${GITHUB_WORKSPACE:-}" ]; then
  cd "$GITHUB_WORKSPACE"
fi

# A string field of the event's payload (`pull_request.base.sha`), or nothing.
payload() {
  if [ -z "${GITHUB_EVENT_PATH:-}" ] || [ ! -f "$GITHUB_EVENT_PATH" ]; then
    return 0
  fi
  python3 - "$GITHUB_EVENT_PATH" "$1" <<'PY'
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    value = json.load(f)
for key in sys.argv[2].split("."):
    value = value.get(key) if isinstance(value, dict) else None
print(value if isinstance(value, str) else "")
PY
}

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

# The commit a SHA from the payload names, or the run stops: a range is never
# guessed from a commit the checkout lacks.
need_commit() {
  is_sha "$1" || die "the event's $2 is not a commit id: '$1'"
  has_commit "$1" || die "commit $1 (the event's $2) is not in the checkout: check out with actions/checkout and fetch-depth: 0"
}

# What keylint is asked to scan, and how the log and summary say it.
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

# The commits of `$1` not on the default branch; for the default branch itself
# (its first push, or a force-push that left nothing to compare with), its history.
new_commits() {
  local head=$1 ref=$2 why=$3 default base
  default=$(payload repository.default_branch)
  if [ -n "$default" ] && git check-ref-format "refs/heads/$default" && [ "$ref" != "refs/heads/$default" ]; then
    base="refs/remotes/origin/$default"
    if ! g rev-parse -q --verify "$base^{commit}" >/dev/null; then
      # A checkout with the default fetch-depth has no other branch: try to fetch it.
      g fetch -q --no-tags origin "+refs/heads/$default:$base" >/dev/null 2>&1 || true
    fi
    if base=$(g rev-parse -q --verify "$base^{commit}"); then
      scan_range "$base" "$head" "$why: the commits not on $default"
      return
    fi
    scan_branch "$head" "$why, and the default branch $default is not in the checkout"
  elif [ -n "$default" ]; then
    scan_branch "$head" "$why, on the default branch"
  else
    scan_branch "$head" "$why, and the event names no default branch"
  fi
}

# Sets the selection from the event; returns 1 for an event that brings no commits.
event_range() {
  local base head before after ref merge_base
  case "$event" in
    pull_request | pull_request_target)
      base=$(payload pull_request.base.sha)
      head=$(payload pull_request.head.sha)
      need_commit "$base" "pull_request.base.sha"
      need_commit "$head" "pull_request.head.sha"
      scan_range "$base" "$head" "pull request"
      ;;
    merge_group)
      base=$(payload merge_group.base_sha)
      head=$(payload merge_group.head_sha)
      need_commit "$base" "merge_group.base_sha"
      need_commit "$head" "merge_group.head_sha"
      scan_range "$base" "$head" "merge group"
      ;;
    push)
      before=$(payload before)
      after=$(payload after)
      after=${after:-${GITHUB_SHA:-}}
      ref=$(payload ref)
      if is_zero "$after"; then
        say "$ref was deleted: nothing to scan"
        selection=()
        return 0
      fi
      need_commit "$after" "after"
      if [ -z "$before" ] || is_zero "$before"; then
        new_commits "$after" "$ref" "new ref $ref"
      elif ! is_sha "$before"; then
        die "the event's before is not a commit id: '$before'"
      elif has_commit "$before" && g merge-base --is-ancestor "$before" "$after"; then
        scan_range "$before" "$after" "push"
      elif has_commit "$before" && merge_base=$(g merge-base "$before" "$after"); then
        scan_range "$merge_base" "$after" "force-push: from the merge base of $before and $after"
      else
        new_commits "$after" "$ref" "force-push: $before is gone"
      fi
      ;;
    *) return 1 ;;
  esac
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
    event_range || die "mode range needs a push, pull_request or merge_group event, not '$event'"
    ;;
  auto)
    if ! event_range; then
      selection=(scan "$target")
      label="the tree at $target ($event event)"
    fi
    ;;
esac

out=${GITHUB_OUTPUT:-/dev/null}
if [ ${#selection[@]} -eq 0 ]; then
  printf 'findings=0\nexit-code=0\n' >>"$out"
  exit 0
fi

extra=()
read -r -a extra <<<"${KEYLINT_ARGS:-}"
options=(--fail-on "$fail_on")
if [ "$verify" = true ]; then
  options+=(--verify)
fi

work=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/keylint.XXXXXX")
trap 'rm -rf "$work"' EXIT

say "scanning $label"
set +e
"$keylint" "${selection[@]}" --format github "${options[@]}" ${extra[@]+"${extra[@]}"} | tee "$work/annotations"
code=${PIPESTATUS[0]}
set -e

if [ -n "$sarif" ]; then
  # A second scan of the same selection, for the SARIF file: it never verifies
  # (each key is sent to its provider once at most) and never fails the step.
  say "writing $sarif"
  sarif_code=0
  "$keylint" "${selection[@]}" --format sarif --fail-on none -q ${extra[@]+"${extra[@]}"} >"$sarif" || sarif_code=$?
  if [ "$sarif_code" -ne 0 ]; then
    printf '::error title=keylint::%s\n' "$(command_data "the SARIF scan failed (exit $sarif_code)")"
    code=2
  fi
fi

findings=$(grep -cE '^::(error|warning|notice) file=' "$work/annotations" || true)

summary() {
  printf '## keylint\n\nScanned %s.\n\n' "$label"
  case "$code" in
    0) printf 'Exit code 0: ' ;;
    1) printf 'Exit code 1 (fail-on: %s): ' "$fail_on" ;;
    *) printf 'Exit code %s: keylint could not finish the scan; the log says why. ' "$code" ;;
  esac
  if [ "$findings" -eq 0 ]; then
    printf 'no leaked key.\n'
    return
  fi
  printf '%s finding(s), each an annotation on its line in the log and the changed files.\n\n' "$findings"
  printf '| rule | findings |\n| --- | ---: |\n'
  awk '/^::(error|warning|notice) file=/ {
         if (match($0, /,title=keylint [^%:,]*/)) n[substr($0, RSTART + 15, RLENGTH - 15)]++
       }
       END { for (r in n) printf "| `%s` | %d |\n", r, n[r] }' "$work/annotations" | sort
  printf '\n| level | file | line | rule |\n| --- | --- | ---: | --- |\n'
  awk -v max=50 '
    function unescape(s) {
      gsub(/%2C/, ",", s); gsub(/%3A/, ":", s); gsub(/%0D/, " ", s); gsub(/%0A/, " ", s); gsub(/%25/, "%", s)
      gsub(/`/, "'\''", s); gsub(/\|/, "\\|", s); gsub(/</, "\\&lt;", s)
      return s
    }
    /^::(error|warning|notice) file=/ {
      if (++shown > max) next
      level = substr($0, 3, index($0, " ") - 3)
      file = $0; sub(/^[^ ]* file=/, "", file); sub(/,line=.*/, "", file)
      line = $0; sub(/^.*,line=/, "", line); sub(/,.*/, "", line)
      rule = ""
      if (match($0, /,title=keylint [^%:,]*/)) rule = substr($0, RSTART + 15, RLENGTH - 15)
      printf "| %s | `%s` | %s | `%s` |\n", level, unescape(file), line, rule
    }
    END { if (shown > max) printf "\nThe first %d of %d; the log has them all.\n", max, shown }
  ' "$work/annotations"
}

if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  summary >>"$GITHUB_STEP_SUMMARY"
fi
{
  printf 'findings=%s\n' "$findings"
  printf 'exit-code=%s\n' "$code"
} >>"$out"
exit "$code"
