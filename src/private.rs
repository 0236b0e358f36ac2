//! Files and folders only the user can read: the data folder is 0700; the
//! journal, its WAL and SHM files, the key file, backups and exports are
//! 0600 — set explicitly, whatever the umask (a shared machine's 022 would
//! otherwise leave the journal readable by every account). A no-op on
//! systems without Unix permissions.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::Path;

/// Creates `dir` (and its parents) and makes it 0700. A folder that is
/// already there and not this user's to change (another account's, a
/// read-only mount) is left as it is: it is opened for reading only.
pub(crate) fn create_dir(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    match set_mode(dir, 0o700) {
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem
            ) =>
        {
            Ok(())
        }
        r => r,
    }
}

/// A new randomly named folder in `parent`, 0700 from the moment it exists.
pub(crate) fn temp_dir_in(parent: &Path, prefix: &str) -> io::Result<tempfile::TempDir> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix);
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o700));
    builder.tempdir_in(parent)
}

/// Makes an existing file 0600.
pub(crate) fn restrict_file(path: &Path) -> io::Result<()> {
    set_mode(path, 0o600)
}

/// Makes the file 0600 if it exists and this user owns it (a journal in
/// someone else's read-only folder is left as it is).
pub(crate) fn restrict_if_present(path: &Path) {
    if path.exists() {
        let _ = restrict_file(path);
    }
}

/// Creates (or truncates) `path` for writing, 0600.
pub(crate) fn create_file(path: &Path) -> io::Result<File> {
    let mut o = OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    let f = o.open(path)?;
    restrict_file(path)?;
    Ok(f)
}

/// Creates `path`, which must not exist (not even as a link), 0600.
pub(crate) fn create_new_file(path: &Path) -> io::Result<File> {
    let mut o = OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    let f = o.open(path)?;
    restrict_file(path)?;
    Ok(f)
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let current = fs::metadata(path)?.permissions().mode() & 0o7777;
    if current != mode {
        fs::set_permissions(path, fs::Permissions::from_mode(mode))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) -> io::Result<()> {
    Ok(())
}
