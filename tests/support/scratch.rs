//! Scratch directories for tests: one fresh directory per test, under the system
//! temp dir, removed when the test is done with it. Not a crate: the tests that
//! need it include this file with `#[path]`, so that it is written once for the
//! whole workspace.

use std::path::{Path, PathBuf};

/// A scratch directory; it reads as its path, and is removed when dropped.
pub struct Scratch(PathBuf);

impl Scratch {
    /// A fresh, empty `<temp>/<prefix>-<pid>-<name>` (emptied if a run before
    /// left it).
    pub fn new(prefix: &str, name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("{prefix}-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create scratch dir");
        Scratch(dir)
    }
}

impl std::ops::Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for Scratch {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
