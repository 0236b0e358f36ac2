//! Copies made for the system viewer go to a private, randomly named folder
//! under `$XDG_RUNTIME_DIR` (else inside the data folder), never to a fixed
//! name in the shared temporary folder, and are removed at lock, exit and
//! the next start. One test in its own binary: it sets the environment.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use casebook::evidence::{AttachTo, remove_open_copies, remove_stale_open_copies};
use common::*;

fn copy_folders(parent: &Path) -> Vec<PathBuf> {
    fs::read_dir(parent)
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .unwrap()
                        .to_string_lossy()
                        .starts_with("casebook-open-")
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
#[allow(unsafe_code)]
fn viewer_copies_live_in_a_private_random_folder_that_is_emptied() {
    use std::os::unix::fs::PermissionsExt;
    let runtime = tempfile::tempdir().unwrap();
    // The fixed folder older versions used (left by an earlier run).
    let _ = fs::remove_dir_all(std::env::temp_dir().join("casebook-open"));
    // SAFETY: the only test in this binary; no other thread reads the environment.
    unsafe { std::env::set_var("XDG_RUNTIME_DIR", runtime.path()) };
    let mut t = journal();
    let case = new_case(&mut t.journal, "查看");
    let a = t
        .journal
        .attach_reader(AttachTo::case(case), "a.png", &mut &PNG[..])
        .unwrap();
    let copy = t.journal.attachment_copy_to_open(a.id).unwrap();
    let folder = copy.parent().unwrap().to_path_buf();
    assert_eq!(folder.parent().unwrap(), runtime.path());
    assert!(
        folder.file_name().unwrap().to_string_lossy().len() > "casebook-open-".len() + 4,
        "randomly named: {}",
        folder.display()
    );
    assert_eq!(
        fs::metadata(&folder).unwrap().permissions().mode() & 0o777,
        0o700
    );
    assert_eq!(
        fs::metadata(&copy).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert!(!std::env::temp_dir().join("casebook-open").exists());
    // A second copy goes to the same folder; locking removes it all.
    let again = t.journal.attachment_copy_to_open(a.id).unwrap();
    assert_eq!(again.parent().unwrap(), folder);
    remove_open_copies();
    assert!(!folder.exists());

    // A folder a crashed run left (here and in the data folder) is removed
    // at the next start; other files are not touched.
    let stale = runtime.path().join("casebook-open-crashed");
    fs::create_dir(&stale).unwrap();
    fs::write(stale.join("casebook-1.pdf"), b"%PDF").unwrap();
    let stale_in_data = t.dir.path().join("casebook-open-old");
    fs::create_dir(&stale_in_data).unwrap();
    fs::write(runtime.path().join("other-app.sock"), b"").unwrap();
    remove_stale_open_copies(t.dir.path());
    assert!(copy_folders(runtime.path()).is_empty());
    assert!(copy_folders(t.dir.path()).is_empty());
    assert!(runtime.path().join("other-app.sock").exists());

    // Without a runtime folder the copies go inside the data folder.
    // SAFETY: as above.
    unsafe { std::env::remove_var("XDG_RUNTIME_DIR") };
    let copy = t.journal.attachment_copy_to_open(a.id).unwrap();
    assert_eq!(copy.parent().unwrap().parent().unwrap(), t.dir.path());
    remove_open_copies();
    assert!(copy_folders(t.dir.path()).is_empty());
}
