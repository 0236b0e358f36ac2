//! Any bytes given to restore as a backup archive are refused with a
//! sentence (or restored, if they are a real backup), never a panic, and a
//! refused restore leaves nothing behind.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("temp dir");
    let archive = dir.path().join("backup.tar");
    std::fs::write(&archive, data).expect("write");
    let target = dir.path().join("restored");
    if casebook::backup::restore(&archive, &target, false, None).is_err() {
        assert!(
            !target.exists(),
            "a refused restore created the data directory"
        );
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .flatten()
            .map(|e| e.file_name())
            .filter(|n| n != "backup.tar")
            .collect();
        assert!(left.is_empty(), "a refused restore left {left:?}");
    }
});
