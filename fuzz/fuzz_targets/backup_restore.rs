//! Any bytes given to restore as a backup archive are refused with a
//! sentence (or restored, if they are a real backup), never a panic; and,
//! whatever the outcome, **nothing outside the data folder changes**: the
//! oracle lists every file, folder and link under a temporary root (with a
//! folder of the user's own files in it) before and after each restore, so
//! a write through `..`, an absolute name or a link fails the fuzzer even
//! when restore then refuses the archive.
#![no_main]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use libfuzzer_sys::fuzz_target;

/// Every entry under `root` with its kind and content, except `skip`.
fn tree(root: &Path, skip: &[&Path]) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in fs::read_dir(&dir).expect("list").flatten() {
            let p = e.path();
            if skip.contains(&p.as_path()) {
                continue;
            }
            let meta = fs::symlink_metadata(&p).expect("stat");
            let what = if meta.file_type().is_symlink() {
                [b"link:".as_slice(), fs::read_link(&p).expect("link").as_os_str().as_encoded_bytes()].concat()
            } else if meta.is_dir() {
                stack.push(p.clone());
                b"dir".to_vec()
            } else {
                [b"file:".as_slice(), &fs::read(&p).expect("read")].concat()
            };
            out.insert(p, what);
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let root = tempfile::tempdir().expect("temp dir");
    // The data folder sits a few levels down, beside the user's own files,
    // so that names climbing out by `..` land inside the watched root.
    let home = root.path().join("home");
    let parent = home.join("user").join(".local").join("share");
    fs::create_dir_all(&parent).expect("folders");
    fs::create_dir_all(home.join("user").join(".config").join("autostart")).expect("folders");
    fs::write(home.join("user").join("keep.txt"), b"the user's own file").expect("write");
    let archive = root.path().join("backup.tar");
    fs::write(&archive, data).expect("write");
    let target = parent.join("casebook");
    let before = tree(root.path(), &[&archive]);
    let result = casebook::backup::restore(&archive, &target, false, None);
    let after = tree(root.path(), &[&archive, &target]);
    if result.is_err() {
        assert!(
            !target.exists(),
            "a refused restore created the data directory"
        );
    }
    let changed: Vec<_> = after
        .keys()
        .filter(|k| before.get(*k) != after.get(*k))
        .chain(before.keys().filter(|k| !after.contains_key(*k)))
        .collect();
    assert!(
        changed.is_empty(),
        "restore ({}) changed files outside the data folder: {changed:?}",
        if result.is_ok() { "accepted" } else { "refused" }
    );
});
