//! Crash safety: a writer process (`casebook write-stream`) adds contacts,
//! edits, notes, attachments and statement imports, announcing each write
//! after it is committed; the harness kills it with SIGKILL at random points
//! and, after each kill, opens the journal as the next start would and checks
//! that every announced write is there, `PRAGMA integrity_check` is ok, no
//! entry is half-written (each has its search document and revision rows, an
//! import is all or nothing), no attachment row lacks its file, and no
//! temporary file is left behind.
//!
//! `CASEBOOK_CRASH_KILLS` sets the number of kills (default 200, as in CI);
//! `CASEBOOK_CRASH_SEED` replays a run.

#![cfg(unix)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use casebook::Journal;
use casebook::cases::NewCase;
use casebook_cli::stress::{IMPORT_ROWS, Rng, Saved};

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// What the writers announced, across all runs.
#[derive(Default)]
struct Expected {
    contacts: BTreeMap<i64, u64>,
    /// The last announced edit of each contact.
    edits: BTreeMap<i64, u64>,
    notes: Vec<i64>,
    files: BTreeMap<i64, String>,
    /// (tag, seq) of every announced import.
    imports: Vec<(String, u64)>,
}

fn seq_in(text: &str, tag: &str) -> Option<u64> {
    let at = text.find(&format!("{tag}-"))? + tag.len() + 1;
    text[at..]
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

fn check(dir: &std::path::Path, expected: &Expected, tags: &[String], run: u64, full: bool) {
    // The next start: opening cleans the temporary files of dead writers.
    let j = Journal::open_dir(dir)
        .unwrap_or_else(|e| panic!("run {run}: the journal does not open: {e}"));
    let conn = rusqlite::Connection::open(dir.join(casebook::db::JOURNAL_FILE)).unwrap();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok", "run {run}");

    for (&id, &seq) in &expected.contacts {
        let c = j.contact(id).unwrap_or_else(|e| {
            panic!("run {run}: contact {id} announced as saved is missing: {e}")
        });
        let tag = tags
            .iter()
            .find(|t| c.reply.contains(&format!("{t}-")))
            .expect("tagged reply");
        let now = seq_in(&c.reply, tag).unwrap();
        assert!(now >= seq, "run {run}: contact {id} went back in time");
        if let Some(&edit) = expected.edits.get(&id) {
            assert!(
                c.reply.starts_with("edited ") && now >= edit,
                "run {run}: the edit {edit} of contact {id} was announced but the reply is {:?}",
                c.reply
            );
        }
    }
    for &id in &expected.notes {
        j.note(id)
            .unwrap_or_else(|e| panic!("run {run}: note {id} announced as saved is missing: {e}"));
    }
    for (&id, sha) in &expected.files {
        let a = j
            .attachment(id)
            .unwrap_or_else(|e| panic!("run {run}: file {id} announced as saved is missing: {e}"));
        assert_eq!(&a.sha256, sha, "run {run}");
    }
    // No attachment row without its (complete) file; every so often, and
    // at the end, every file re-hashed.
    let rows: Vec<(i64, String, i64)> = conn
        .prepare("SELECT id, sha256, size FROM attachments")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    for (id, sha, size) in rows {
        let path = dir
            .join("evidence")
            .join("sha256")
            .join(&sha[..2])
            .join(&sha);
        let len = std::fs::metadata(&path).map(|m| m.len());
        assert_eq!(
            len.ok(),
            Some(size as u64),
            "run {run}: attachment {id} without its complete file"
        );
    }
    if full {
        let report = j.verify_evidence().unwrap();
        assert!(report.ok(), "run {run}: {:?}", report.damaged);
    }

    // Imports are all or nothing; announced ones are all there.
    let mut stmt = conn
        .prepare("SELECT txid FROM transactions WHERE deleted_ms IS NULL")
        .unwrap();
    let mut per_import: BTreeMap<String, usize> = BTreeMap::new();
    for txid in stmt.query_map([], |r| r.get::<_, String>(0)).unwrap() {
        let txid = txid.unwrap();
        let key = txid
            .rsplit_once('-')
            .map(|(k, _)| k.to_string())
            .unwrap_or(txid);
        *per_import.entry(key).or_default() += 1;
    }
    for (key, n) in &per_import {
        assert_eq!(*n, IMPORT_ROWS, "run {run}: import {key} is half there");
    }
    for (tag, seq) in &expected.imports {
        assert!(
            per_import.contains_key(&format!("{tag}-{seq}")),
            "run {run}: import {tag}-{seq} announced as saved is missing"
        );
    }

    // No half-written entry: every row has its search document.
    for (table, kind) in [
        ("contacts", 2),
        ("notes", 3),
        ("transactions", 4),
        ("attachments", 5),
    ] {
        let missing: i64 = conn
            .query_row(
                &format!(
                    "SELECT count(*) FROM {table} t WHERE NOT EXISTS
                       (SELECT 1 FROM search_doc d WHERE d.kind = {kind} AND d.entity_id = t.id)"
                ),
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            missing, 0,
            "run {run}: {table} without their search document"
        );
    }
    // Every edit kept its before-image.
    let edited: i64 = conn
        .query_row(
            "SELECT count(*) FROM contacts k WHERE k.reply LIKE 'edited %' AND NOT EXISTS
               (SELECT 1 FROM revisions r WHERE r.entity = 'contact' AND r.entity_id = k.id)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(edited, 0, "run {run}: an edit without its history");

    // No temporary file left after the start.
    let tmp = dir.join("evidence").join("tmp");
    let left: Vec<_> = std::fs::read_dir(&tmp)
        .map(|d| d.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "run {run}: temporary files left: {left:?}");
}

#[test]
fn killed_writers_lose_nothing_they_announced_and_leave_nothing_half_written() {
    let kills = env_u64("CASEBOOK_CRASH_KILLS", 200);
    let seed = env_u64("CASEBOOK_CRASH_SEED", 20261129);
    let mut rng = Rng::new(seed);
    let dir = tempfile::tempdir().unwrap();
    let case_id = {
        let mut j = Journal::open_dir(dir.path()).unwrap();
        j.create_case(NewCase {
            title: "崩溃测试".into(),
            ..NewCase::default()
        })
        .unwrap()
        .id
    };
    let exe = env!("CARGO_BIN_EXE_casebook");
    let mut expected = Expected::default();
    let mut tags = Vec::new();
    let mut announced = 0usize;
    let mut killed_mid_stream = 0u64;
    let started = Instant::now();
    for run in 0..kills {
        let tag = format!("w{run}");
        tags.push(tag.clone());
        let mut child = Command::new(exe)
            .args(["--data-dir"])
            .arg(dir.path())
            .args([
                "write-stream",
                "--case",
                &case_id.to_string(),
                "--tag",
                &tag,
                "--seed",
            ])
            .arg((seed ^ run).to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        let errors = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = std::io::Read::read_to_string(&mut BufReader::new(stderr), &mut text);
            text
        });
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(|l| l.ok())
                .collect::<Vec<String>>()
        });
        // Kill somewhere between start-up and a few dozen writes.
        std::thread::sleep(Duration::from_millis(5 + rng.below(300)));
        child.kill().unwrap(); // SIGKILL
        let status = child.wait().unwrap();
        let said = errors.join().unwrap();
        assert!(
            status.code().is_none(),
            "run {run}: the writer stopped on its own: {status}; it said: {said}"
        );
        let lines = reader.join().unwrap();
        if !lines.is_empty() {
            killed_mid_stream += 1;
        }
        for line in &lines {
            announced += 1;
            match line.parse::<Saved>().unwrap() {
                Saved::Contact { id, seq } => {
                    expected.contacts.insert(id, seq);
                }
                Saved::Edit { id, seq } => {
                    expected.edits.insert(id, seq);
                }
                Saved::Note { id } => expected.notes.push(id),
                Saved::File { id, sha256 } => {
                    expected.files.insert(id, sha256);
                }
                Saved::Import { seq, rows } => {
                    assert_eq!(rows, IMPORT_ROWS);
                    expected.imports.push((tag.clone(), seq));
                }
            }
        }
        check(
            dir.path(),
            &expected,
            &tags,
            run,
            run % 25 == 24 || run + 1 == kills,
        );
    }
    println!(
        "crash harness: {kills} SIGKILLs ({killed_mid_stream} after at least one write), {announced} writes announced and found, {} contacts, {} edits, {} notes, {} files, {} imports, in {:.1} s",
        expected.contacts.len(),
        expected.edits.len(),
        expected.notes.len(),
        expected.files.len(),
        expected.imports.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        killed_mid_stream * 2 >= kills,
        "most kills should land in the middle of writing ({killed_mid_stream} of {kills})"
    );
}
