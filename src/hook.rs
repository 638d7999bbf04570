//! `keylint hook install|uninstall`: a git pre-commit hook that runs the staged scan.
//!
//! An existing hook (husky, lefthook, a hand-written one) is kept: it is moved
//! aside to `pre-commit.keylint-chained` and run first by keylint's hook, and
//! `uninstall` puts it back. The hook finds keylint on PATH, else at the absolute
//! path it was installed from (GUI git clients often run hooks with a short PATH).

use std::path::{Path, PathBuf};

use git2::Repository;

/// The line that marks a hook as ours: uninstall removes only files holding it.
const MARKER: &str = "# keylint pre-commit hook";
/// Where an existing hook is kept while keylint's hook runs it.
const CHAINED: &str = "pre-commit.keylint-chained";
/// The baseline the hook honours when the repository has one.
pub const BASELINE: &str = ".keylint-baseline.json";

/// Single quotes for sh: `'it'\''s'`.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

fn script(installed_from: Option<&Path>) -> String {
    let fallback = installed_from.map(|p| sh_quote(&p.display().to_string())).unwrap_or_else(|| "''".into());
    format!(
        r#"#!/bin/sh
{MARKER} (written by `keylint hook install`; `keylint hook uninstall` removes it
# and puts back the hook it chained, if any).
# Runs the hook that was here before, then scans what is about to be committed.
# Set KEYLINT to use another binary.
hooks=$(dirname "$0")
if [ -x "$hooks/{CHAINED}" ]; then
  "$hooks/{CHAINED}" "$@" || exit $?
fi
bin=${{KEYLINT:-}}
if [ -z "$bin" ]; then
  if command -v keylint >/dev/null 2>&1; then
    bin=keylint
  elif [ -x {fallback} ]; then
    bin={fallback}
  else
    echo "keylint: not found on PATH (nor at "{fallback}"); install it or set KEYLINT" >&2
    exit 1
  fi
fi
set -- scan --staged
root=$(git rev-parse --show-toplevel 2>/dev/null) && [ -f "$root/{BASELINE}" ] && set -- "$@" --baseline "$root/{BASELINE}"
"$bin" "$@"
status=$?
if [ "$status" -eq 1 ]; then
  cat >&2 <<'MSG'

keylint: commit blocked: the staged changes add the key(s) above. Three ways forward:
  1. remove the key from the file (read it from an environment variable), stage
     the file again and commit; rotate the key if it was ever pushed or shared;
  2. if it is not a secret (a test value, a public id), add `keylint:allow` in a
     comment on its line;
  3. to accept what is there now, record it in the baseline the hook honours:
       keylint baseline write {BASELINE} .
     and commit that file.
MSG
fi
exit "$status"
"#,
    )
}

/// Where the repository's hooks live (`core.hooksPath` if set, else `.git/hooks`;
/// a linked worktree shares the main repository's hooks).
fn hooks_dir(repo: &Repository) -> PathBuf {
    let configured = repo.config().ok().and_then(|c| c.get_path("core.hooksPath").ok());
    match configured {
        Some(p) if p.is_absolute() => p,
        Some(p) => repo.workdir().unwrap_or_else(|| repo.path()).join(p),
        None => repo.commondir().join("hooks"),
    }
}

fn hook_path(start: &Path) -> Result<PathBuf, String> {
    let repo = Repository::discover(start)
        .map_err(|e| format!("{}: not in a git repository: {}", start.display(), e.message()))?;
    Ok(hooks_dir(&repo).join("pre-commit"))
}

fn make_executable(path: &Path) -> Result<(), String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let _ = path;
    Ok(())
}

/// What `install` did.
pub enum Installed {
    /// A new hook (or keylint's own, rewritten).
    Written(PathBuf),
    /// The existing hook was kept, moved aside and chained.
    Chained { hook: PathBuf, chained: PathBuf },
}

/// Writes the hook. An existing hook that is not ours is chained (run first),
/// unless `force`, which replaces it.
pub fn install(start: &Path, force: bool) -> Result<Installed, String> {
    let path = hook_path(start)?;
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let chained = dir.join(CHAINED);
    let existing = match std::fs::read(&path) {
        Ok(bytes) => Some(String::from_utf8_lossy(&bytes).contains(MARKER)),
        Err(_) if path.symlink_metadata().is_ok() => Some(false),
        Err(_) => None,
    };
    let mut moved = false;
    if existing == Some(false) && !force {
        if chained.symlink_metadata().is_ok() {
            return Err(format!(
                "{}: both a pre-commit hook and {CHAINED} exist; keylint left them alone (use --force to replace the hook)",
                path.display()
            ));
        }
        std::fs::rename(&path, &chained).map_err(|e| format!("{}: cannot move it aside: {e}", path.display()))?;
        moved = true;
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let me = std::env::current_exe().ok().and_then(|p| p.canonicalize().ok());
    let tmp = dir.join(".pre-commit.keylint-tmp");
    std::fs::write(&tmp, script(me.as_deref())).map_err(|e| format!("{}: {e}", tmp.display()))?;
    make_executable(&tmp)?;
    std::fs::rename(&tmp, &path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(if moved { Installed::Chained { hook: path, chained } } else { Installed::Written(path) })
}

/// Removes the hook if keylint wrote it, and puts back the hook it chained.
pub fn uninstall(start: &Path) -> Result<PathBuf, String> {
    let path = hook_path(start)?;
    match std::fs::read(&path) {
        Ok(bytes) if String::from_utf8_lossy(&bytes).contains(MARKER) => {
            let chained = path.with_file_name(CHAINED);
            if chained.symlink_metadata().is_ok() {
                std::fs::rename(&chained, &path).map_err(|e| format!("{}: {e}", chained.display()))?;
            } else {
                std::fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            }
            Ok(path)
        }
        Ok(_) => Err(format!("{}: this pre-commit hook was not written by keylint; left alone", path.display())),
        Err(_) => Err(format!("{}: no pre-commit hook to remove", path.display())),
    }
}
