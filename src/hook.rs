//! `keylint hook install|uninstall`: a git pre-commit hook that runs the staged scan.

use std::path::{Path, PathBuf};

use git2::Repository;

/// The line that marks a hook as ours: uninstall removes only files holding it.
const MARKER: &str = "# keylint pre-commit hook";

fn script() -> String {
    format!(
        "#!/bin/sh\n{MARKER} (written by `keylint hook install`; `keylint hook uninstall` removes it)\n\
         # Scans what is about to be committed; set KEYLINT to use another binary.\n\
         exec \"${{KEYLINT:-keylint}}\" scan --staged\n"
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

/// Writes the hook. An existing hook that is not ours is kept unless `force`.
pub fn install(start: &Path, force: bool) -> Result<PathBuf, String> {
    let path = hook_path(start)?;
    if let Ok(existing) = std::fs::read_to_string(&path) {
        if !existing.contains(MARKER) && !force {
            return Err(format!(
                "{}: a pre-commit hook already exists; keylint left it alone (use --force to replace it)",
                path.display()
            ));
        }
    } else if path.exists() && !force {
        return Err(format!("{}: exists and is not readable; use --force to replace it", path.display()));
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(&path, script()).map_err(|e| format!("{}: {e}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(path)
}

/// Removes the hook if keylint wrote it.
pub fn uninstall(start: &Path) -> Result<PathBuf, String> {
    let path = hook_path(start)?;
    match std::fs::read_to_string(&path) {
        Ok(text) if text.contains(MARKER) => {
            std::fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            Ok(path)
        }
        Ok(_) => Err(format!("{}: this pre-commit hook was not written by keylint; left alone", path.display())),
        Err(_) => Err(format!("{}: no pre-commit hook to remove", path.display())),
    }
}
