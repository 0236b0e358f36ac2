//! Journals written by every released schema version (tests/fixtures/journals/vN,
//! made by that version's own CLI) open with the current code: the schema is
//! brought up to date, a backup of the old file is left beside it, and every
//! case, contact, note, transaction, file, mapping, official channel and scam
//! report the old version wrote is still there with the same values. A journal
//! from a newer Casebook is refused and left byte for byte as it was.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use casebook::cases::CaseFilter;
use casebook::contacts::ContactPatch;
use casebook::search::SearchQuery;
use casebook::timeline::TimelineEntry;
use casebook::{Error, Journal, db};
use rusqlite::{Connection, OpenFlags};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

// ------------------------------------------------------------ expected.json

#[derive(Deserialize)]
struct Expected {
    schema_version: i64,
    cases: Vec<ExpCase>,
    contacts: Vec<ExpContact>,
    notes: Vec<ExpNote>,
    transactions: Vec<ExpTxn>,
    attachments: Vec<ExpAttachment>,
    search: Vec<ExpSearch>,
    #[serde(default)]
    mappings: Vec<ExpMapping>,
    #[serde(default)]
    imports: Vec<ExpImport>,
    #[serde(default)]
    official_channels: Vec<ExpChannel>,
    #[serde(default)]
    scam_reports: Vec<i64>,
    /// The journal's settings (v5 on); before, none are set.
    #[serde(default)]
    settings: Option<casebook::settings::Settings>,
    /// Reminders snoozed (v7 on): (item, until).
    #[serde(default)]
    snoozes: Vec<(String, String)>,
}

#[derive(Deserialize)]
struct ExpMoney {
    amount: String,
    currency: String,
}

#[derive(Deserialize)]
struct ExpCase {
    id: i64,
    title: String,
    provider: Option<String>,
    category: String,
    status: String,
    opened_at: String,
    deadline: Option<String>,
    amount: Option<ExpMoney>,
    desired_outcome: String,
    tags: Vec<String>,
    checklist_done: Vec<String>,
    status_changes: Vec<(Option<String>, String)>,
    escalation_route: Option<String>,
    first_complaint: Option<String>,
}

#[derive(Deserialize, PartialEq, Debug)]
struct ExpRef {
    kind: String,
    value: String,
}

#[derive(Deserialize, PartialEq, Debug)]
struct ExpFollowUp {
    date: String,
    promise: String,
    done: bool,
}

#[derive(Deserialize)]
struct ExpContact {
    id: i64,
    case_id: i64,
    at: String,
    channel: String,
    direction: String,
    via: String,
    agent: String,
    asked: String,
    reply: String,
    outcome: String,
    duration_secs: Option<i64>,
    references: Vec<ExpRef>,
    follow_up: Option<ExpFollowUp>,
    trashed: bool,
    revisions: Vec<String>,
    reply_before_first_revision: Option<String>,
}

#[derive(Deserialize)]
struct ExpNote {
    id: i64,
    case_id: i64,
    at: String,
    text: String,
    trashed: bool,
    revisions: Vec<String>,
    text_before_first_revision: Option<String>,
}

#[derive(Deserialize)]
struct ExpTxn {
    id: i64,
    case_id: i64,
    txid: String,
    at: String,
    amount: String,
    currency: String,
    direction: String,
    signed_amount: String,
    counterparty: String,
    method: String,
    status: String,
    note: String,
    trashed: bool,
    source_attachment_id: Option<i64>,
    source_line: Option<i64>,
}

#[derive(Deserialize)]
struct ExpAttachment {
    id: i64,
    case_id: i64,
    contact_id: Option<i64>,
    transaction_id: Option<i64>,
    name: String,
    size: u64,
    media_type: String,
    sha256: String,
}

#[derive(Deserialize)]
struct ExpSearch {
    query: String,
    hits: Vec<ExpHit>,
}

#[derive(Deserialize)]
struct ExpHit {
    kind: String,
    id: i64,
}

#[derive(Deserialize)]
struct ExpMapping {
    name: String,
    date: String,
    amount: String,
}

#[derive(Deserialize)]
struct ExpImport {
    statement: i64,
    transactions: Vec<i64>,
}

#[derive(Deserialize)]
struct ExpChannel {
    id: i64,
    provider: String,
    kind: String,
    value: String,
    verified_how: String,
}

// ---------------------------------------------------------------- helpers

fn fixture(version: i64) -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .join("tests/fixtures/journals")
        .join(format!("v{version}"))
}

fn expected(version: i64) -> Expected {
    let path = fixture(version).join("expected.json");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// A copy of fixture `vN` in a fresh temporary directory (the fixture itself
/// is never opened by Casebook).
fn copy_of(version: i64) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(version), dir.path());
    fs::remove_file(dir.path().join("expected.json")).unwrap();
    dir
}

/// The stable key a value serialises to (`"account_locked"`, `"edit"`...).
fn key(v: &impl Serialize) -> String {
    match serde_json::to_value(v).unwrap() {
        serde_json::Value::String(s) => s,
        other => panic!("not a string key: {other}"),
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn read_only(path: &Path) -> Connection {
    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap()
}

fn user_version(conn: &Connection) -> i64 {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

fn integrity(conn: &Connection) -> String {
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

fn count(conn: &Connection, table: &str) -> i64 {
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

/// The names of the files directly in `dir` that end with `.bak`.
fn backups(dir: &Path) -> BTreeSet<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".bak"))
        .collect()
}

// ------------------------------------------------------------- the checks

/// Opens a copy of fixture `vN` with the current code and checks that the
/// migration kept everything the old version wrote.
fn opens_and_keeps_everything(version: i64) {
    let exp = expected(version);
    assert_eq!(exp.schema_version, version, "expected.json of v{version}");
    let tmp = copy_of(version);
    let dir = tmp.path();
    let path = dir.join(db::JOURNAL_FILE);
    assert!(
        !dir.join("journal.sqlite3-wal").exists(),
        "fixture v{version} has a WAL"
    );

    // As the old version left it.
    {
        let conn = read_only(&path);
        assert_eq!(user_version(&conn), version, "fixture v{version} schema");
        assert_eq!(integrity(&conn), "ok");
    }
    assert!(backups(dir).is_empty());

    let journal = Journal::open(&path).unwrap();
    assert!(!journal.is_read_only());
    check_contents(&journal, &exp, version);
    drop(journal);

    // On disk: the current schema, intact, with a backup of the old one.
    {
        let conn = read_only(&path);
        assert_eq!(user_version(&conn), db::schema_version());
        assert_eq!(integrity(&conn), "ok");
        let fk_problems: i64 = conn
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(fk_problems, 0, "foreign keys of migrated v{version}");
    }
    let bak = format!("journal.sqlite3.v{version}.bak");
    if version < db::schema_version() {
        assert_eq!(backups(dir), BTreeSet::from([bak.clone()]));
        let conn = read_only(&dir.join(&bak));
        assert_eq!(
            user_version(&conn),
            version,
            "the backup keeps the old schema"
        );
        assert_eq!(integrity(&conn), "ok");
        assert_eq!(count(&conn, "cases"), exp.cases.len() as i64);
        assert_eq!(count(&conn, "contacts"), exp.contacts.len() as i64);
        assert_eq!(count(&conn, "notes"), exp.notes.len() as i64);
        assert_eq!(count(&conn, "transactions"), exp.transactions.len() as i64);
    } else {
        assert!(backups(dir).is_empty(), "a current journal needs no backup");
    }
    let backup_bytes = backups(dir)
        .iter()
        .map(|n| fs::read(dir.join(n)).unwrap())
        .collect::<Vec<_>>();

    // Opening again changes nothing: no second migration or backup; and
    // the migrated journal takes new entries.
    let mut journal = Journal::open_dir(dir).unwrap();
    check_contents(&journal, &exp, version);
    let case_id = exp.cases[0].id;
    let note = journal
        .add_note(case_id, casebook::time::At::now(), "迁移后 migrated")
        .unwrap();
    let hits = journal.search(&SearchQuery::new("迁移后")).unwrap();
    assert!(hits.iter().any(|h| h.id == note.id), "v{version} new note");
    let k = exp.contacts.iter().find(|k| !k.trashed).unwrap();
    let edited = journal
        .edit_contact(
            k.id,
            ContactPatch {
                outcome: Some("after migration".into()),
                ..ContactPatch::default()
            },
        )
        .unwrap();
    assert_eq!(edited.revision_count, k.revisions.len() as i64 + 1);
    drop(journal);
    let again = backups(dir)
        .iter()
        .map(|n| fs::read(dir.join(n)).unwrap())
        .collect::<Vec<_>>();
    assert_eq!(backup_bytes, again, "the backup is written once");
}

fn check_contents(j: &Journal, exp: &Expected, version: i64) {
    let ctx = format!("v{version}");
    let conn = read_only(j.path());
    assert_eq!(count(&conn, "cases"), exp.cases.len() as i64, "{ctx} cases");
    assert_eq!(
        count(&conn, "contacts"),
        exp.contacts.len() as i64,
        "{ctx} contacts"
    );
    assert_eq!(count(&conn, "notes"), exp.notes.len() as i64, "{ctx} notes");
    assert_eq!(
        count(&conn, "transactions"),
        exp.transactions.len() as i64,
        "{ctx} transactions"
    );
    assert_eq!(
        count(&conn, "attachments"),
        exp.attachments.len() as i64,
        "{ctx} files"
    );

    // Cases, through the list and one by one.
    let listed = j.list_cases(&CaseFilter::default()).unwrap();
    let listed: BTreeSet<(i64, String)> = listed.iter().map(|c| (c.id, c.title.clone())).collect();
    let want: BTreeSet<(i64, String)> = exp.cases.iter().map(|c| (c.id, c.title.clone())).collect();
    assert_eq!(listed, want, "{ctx} case list");
    for e in &exp.cases {
        let ctx = format!("{ctx} case {}", e.id);
        let d = j.case_detail(e.id).unwrap();
        let c = &d.case;
        assert_eq!(c.title, e.title, "{ctx}");
        assert_eq!(
            c.provider.as_ref().map(|p| p.name.clone()),
            e.provider,
            "{ctx}"
        );
        assert_eq!(key(&c.category), e.category, "{ctx}");
        assert_eq!(key(&c.status), e.status, "{ctx}");
        assert_eq!(c.opened_at.to_rfc3339(), e.opened_at, "{ctx}");
        assert_eq!(c.deadline.map(|d| d.to_string()), e.deadline, "{ctx}");
        assert_eq!(
            c.amount
                .as_ref()
                .map(|m| (m.amount.to_string(), m.currency.to_string())),
            e.amount
                .as_ref()
                .map(|m| (m.amount.clone(), m.currency.clone())),
            "{ctx} amount"
        );
        assert_eq!(c.desired_outcome, e.desired_outcome, "{ctx}");
        assert_eq!(
            c.tags.iter().collect::<BTreeSet<_>>(),
            e.tags.iter().collect::<BTreeSet<_>>(),
            "{ctx} tags"
        );
        let done: Vec<&str> = c
            .checklist
            .iter()
            .filter(|i| i.done)
            .map(|i| i.item.as_str())
            .collect();
        assert_eq!(done, e.checklist_done, "{ctx} checklist");
        assert_eq!(c.escalation_route, e.escalation_route, "{ctx}");
        assert_eq!(
            c.first_complaint.map(|d| d.to_string()),
            e.first_complaint,
            "{ctx}"
        );
        match &e.escalation_route {
            Some(route) => {
                let esc = j.escalation(e.id).unwrap().expect("escalation clocks");
                assert_eq!(&esc.route, route, "{ctx}");
                if let Some(first) = &e.first_complaint {
                    // The clocks run from the day the user gave.
                    let from = esc.first_complaint.map(|d| d.to_string());
                    assert_eq!(from.as_ref(), Some(first), "{ctx}");
                    assert!(!esc.clocks.is_empty(), "{ctx}");
                }
            }
            None => assert!(d.escalation.is_none(), "{ctx}"),
        }

        let mut changes = Vec::new();
        let (mut contacts, mut notes, mut txns, mut files) = (
            BTreeSet::new(),
            BTreeSet::new(),
            BTreeSet::new(),
            BTreeSet::new(),
        );
        for entry in &d.timeline {
            match entry {
                TimelineEntry::StatusChange(s) => {
                    changes.push((s.from.map(|f| key(&f)), key(&s.to)));
                }
                TimelineEntry::Contact(k) => {
                    contacts.insert(k.id);
                }
                TimelineEntry::Note(n) => {
                    notes.insert(n.id);
                }
                TimelineEntry::Transaction(t) => {
                    txns.insert(t.id);
                }
                TimelineEntry::Attachment(a) => {
                    files.insert(a.id);
                }
            }
        }
        assert_eq!(changes, e.status_changes, "{ctx} status changes");
        let live = |case_id: i64, trashed: bool| case_id == e.id && !trashed;
        let want: BTreeSet<i64> = exp
            .contacts
            .iter()
            .filter(|k| live(k.case_id, k.trashed))
            .map(|k| k.id)
            .collect();
        assert_eq!(contacts, want, "{ctx} contacts in the timeline");
        let want: BTreeSet<i64> = exp
            .notes
            .iter()
            .filter(|n| live(n.case_id, n.trashed))
            .map(|n| n.id)
            .collect();
        assert_eq!(notes, want, "{ctx} notes in the timeline");
        let want: BTreeSet<i64> = exp
            .transactions
            .iter()
            .filter(|t| live(t.case_id, t.trashed))
            .map(|t| t.id)
            .collect();
        assert_eq!(txns, want, "{ctx} transactions in the timeline");
        let want: BTreeSet<i64> = exp
            .attachments
            .iter()
            .filter(|a| a.case_id == e.id && a.contact_id.is_none() && a.transaction_id.is_none())
            .map(|a| a.id)
            .collect();
        assert_eq!(files, want, "{ctx} case files in the timeline");
        let all: BTreeSet<i64> = j.attachments(e.id).unwrap().iter().map(|a| a.id).collect();
        let want: BTreeSet<i64> = exp
            .attachments
            .iter()
            .filter(|a| a.case_id == e.id)
            .map(|a| a.id)
            .collect();
        assert_eq!(all, want, "{ctx} files");
        let reported: Vec<i64> = exp
            .scam_reports
            .iter()
            .copied()
            .filter(|id| {
                exp.contacts
                    .iter()
                    .any(|k| k.id == *id && k.case_id == e.id)
            })
            .collect();
        assert_eq!(d.scam_reports, reported, "{ctx} scam reports");
    }

    // Contacts, each with its history.
    for e in &exp.contacts {
        let ctx = format!("{ctx} contact {}", e.id);
        let k = j.contact(e.id).unwrap();
        assert_eq!(k.case_id, e.case_id, "{ctx}");
        assert_eq!(k.at.to_rfc3339(), e.at, "{ctx}");
        assert_eq!(key(&k.channel), e.channel, "{ctx}");
        assert_eq!(key(&k.direction), e.direction, "{ctx}");
        assert_eq!(k.via, e.via, "{ctx}");
        assert_eq!(k.agent, e.agent, "{ctx}");
        assert_eq!(k.asked, e.asked, "{ctx}");
        assert_eq!(k.reply, e.reply, "{ctx}");
        assert_eq!(k.outcome, e.outcome, "{ctx}");
        assert_eq!(k.duration_secs, e.duration_secs, "{ctx}");
        let refs: Vec<ExpRef> = k
            .references
            .iter()
            .map(|r| ExpRef {
                kind: key(&r.kind),
                value: r.value.clone(),
            })
            .collect();
        assert_eq!(refs, e.references, "{ctx} references");
        let follow_up = k.follow_up.as_ref().map(|f| ExpFollowUp {
            date: f.date.to_string(),
            promise: f.promise.clone(),
            done: f.done,
        });
        assert_eq!(follow_up, e.follow_up, "{ctx} follow-up");
        assert_eq!(k.deleted_at.is_some(), e.trashed, "{ctx} trashed");
        assert_eq!(
            k.edited,
            e.revisions.iter().any(|a| a == "edit"),
            "{ctx} edited"
        );
        let history = j.contact_history(e.id).unwrap();
        let actions: Vec<String> = history.revisions.iter().map(|r| key(&r.action)).collect();
        assert_eq!(actions, e.revisions, "{ctx} history");
        // The version before the first change is kept as it was.
        let before = history.revisions.first().map(|r| r.before["reply"].clone());
        assert_eq!(
            before,
            e.reply_before_first_revision
                .as_ref()
                .map(|r| serde_json::json!(r))
        );
    }
    let trash: BTreeSet<i64> = j.trashed_contacts().unwrap().iter().map(|k| k.id).collect();
    let want: BTreeSet<i64> = exp
        .contacts
        .iter()
        .filter(|k| k.trashed)
        .map(|k| k.id)
        .collect();
    assert!(!want.is_empty(), "{ctx}: the fixture has a trashed contact");
    assert_eq!(trash, want, "{ctx} contacts in the trash");

    for e in &exp.notes {
        let ctx = format!("{ctx} note {}", e.id);
        let n = j.note(e.id).unwrap();
        assert_eq!(n.case_id, e.case_id, "{ctx}");
        assert_eq!(n.at.to_rfc3339(), e.at, "{ctx}");
        assert_eq!(n.text, e.text, "{ctx}");
        assert_eq!(n.deleted_at.is_some(), e.trashed, "{ctx} trashed");
        let history = j.note_history(e.id).unwrap();
        let actions: Vec<String> = history.revisions.iter().map(|r| key(&r.action)).collect();
        assert_eq!(actions, e.revisions, "{ctx} history");
        let before = history.revisions.first().map(|r| r.before["text"].clone());
        let want = e
            .text_before_first_revision
            .as_ref()
            .map(|t| serde_json::json!(t));
        assert_eq!(before, want, "{ctx} text before the first change");
    }

    for e in &exp.transactions {
        let ctx = format!("{ctx} transaction {}", e.id);
        let t = j.transaction(e.id).unwrap();
        assert_eq!(t.case_id, e.case_id, "{ctx}");
        assert_eq!(t.txid, e.txid, "{ctx}");
        assert_eq!(t.at.to_rfc3339(), e.at, "{ctx}");
        assert_eq!(t.money.amount.to_string(), e.amount, "{ctx} amount");
        assert_eq!(t.money.currency.as_str(), e.currency, "{ctx} currency");
        assert_eq!(key(&t.direction), e.direction, "{ctx}");
        assert_eq!(t.signed_amount.to_string(), e.signed_amount, "{ctx}");
        assert_eq!(t.counterparty, e.counterparty, "{ctx}");
        assert_eq!(t.method, e.method, "{ctx}");
        assert_eq!(t.status, e.status, "{ctx}");
        assert_eq!(t.note, e.note, "{ctx}");
        assert_eq!(t.deleted_at.is_some(), e.trashed, "{ctx} trashed");
        assert_eq!(t.source_attachment_id, e.source_attachment_id, "{ctx}");
        assert_eq!(t.source_line, e.source_line, "{ctx}");
    }

    // Files: the facts, and the stored bytes by their hash.
    for e in &exp.attachments {
        let ctx = format!("{ctx} file {}", e.id);
        let (a, bytes) = j.attachment_bytes(e.id).unwrap();
        assert_eq!(a.case_id, e.case_id, "{ctx}");
        assert_eq!(a.contact_id, e.contact_id, "{ctx}");
        assert_eq!(a.transaction_id, e.transaction_id, "{ctx}");
        assert_eq!(a.name, e.name, "{ctx}");
        assert_eq!(a.size, e.size, "{ctx}");
        assert_eq!(a.media_type, e.media_type, "{ctx}");
        assert_eq!(a.sha256, e.sha256, "{ctx}");
        assert_eq!(bytes.len() as u64, e.size, "{ctx}");
        assert_eq!(sha256_hex(&bytes), e.sha256, "{ctx} stored bytes");
    }
    let report = j.verify_evidence().unwrap();
    assert!(report.ok(), "{ctx}: damaged files {:?}", report.damaged);
    let distinct: BTreeSet<&str> = exp.attachments.iter().map(|a| a.sha256.as_str()).collect();
    assert_eq!(report.files_checked, distinct.len(), "{ctx} files verified");
    for imp in &exp.imports {
        let statement = j.attachment(imp.statement).unwrap();
        assert!(!imp.transactions.is_empty(), "{ctx}");
        for id in &imp.transactions {
            let t = j.transaction(*id).unwrap();
            assert_eq!(t.source_attachment_id, Some(statement.id), "{ctx} import");
            assert_eq!(t.case_id, statement.case_id, "{ctx} import");
        }
    }

    // Search, in Chinese and English, over what the old version indexed.
    assert!(
        exp.search.iter().any(|s| !s.query.is_ascii()),
        "{ctx}: a Chinese query"
    );
    assert!(
        exp.search.iter().any(|s| s.query.is_ascii()),
        "{ctx}: an English query"
    );
    for s in &exp.search {
        let mut q = SearchQuery::new(s.query.clone());
        q.limit = 200;
        let found: BTreeSet<(String, i64)> = j
            .search(&q)
            .unwrap()
            .iter()
            .map(|h| (key(&h.kind), h.id))
            .collect();
        for h in &s.hits {
            assert!(
                found.contains(&(h.kind.clone(), h.id)),
                "{ctx}: search {:?} does not find {} {} (found {found:?})",
                s.query,
                h.kind,
                h.id
            );
        }
    }

    let mappings: Vec<(String, String, String)> = j
        .mappings()
        .unwrap()
        .into_iter()
        .map(|m| (m.name, m.mapping.date, m.mapping.amount))
        .collect();
    let want: Vec<(String, String, String)> = exp
        .mappings
        .iter()
        .map(|m| (m.name.clone(), m.date.clone(), m.amount.clone()))
        .collect();
    assert_eq!(mappings, want, "{ctx} saved mappings");

    let channels: Vec<(i64, String, String, String, String)> = j
        .official_channels()
        .unwrap()
        .into_iter()
        .map(|c| (c.id, c.provider, key(&c.kind), c.value, c.verified_how))
        .collect();
    let want: Vec<(i64, String, String, String, String)> = exp
        .official_channels
        .iter()
        .map(|c| {
            let texts = [&c.provider, &c.kind, &c.value, &c.verified_how];
            let [provider, kind, value, how] = texts.map(String::clone);
            (c.id, provider, kind, value, how)
        })
        .collect();
    assert_eq!(channels, want, "{ctx} official channels");
    assert_eq!(
        j.scam_reports().unwrap(),
        exp.scam_reports,
        "{ctx} scam reports"
    );
    assert_eq!(
        j.settings().unwrap(),
        exp.settings.clone().unwrap_or_default(),
        "{ctx} settings"
    );
    let snoozed: Vec<(String, String)> = j
        .snoozed(chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap())
        .unwrap()
        .into_iter()
        .map(|(item, day)| (item, day.to_string()))
        .collect();
    assert_eq!(snoozed, exp.snoozes, "{ctx} snoozed reminders");
}

// ------------------------------------------------------------------ tests

#[test]
fn every_schema_version_has_a_fixture() {
    for v in 1..=db::schema_version() {
        let dir = fixture(v);
        assert!(
            dir.join(db::JOURNAL_FILE).is_file() && dir.join("expected.json").is_file(),
            "no fixture journal for schema {v}: make one with tests/fixtures/journals/make.sh \
             and the CLI of the commit that introduced it"
        );
        assert!(!dir.join("journal.sqlite3-wal").exists() && !dir.join("evidence/tmp").exists());
        assert_eq!(user_version(&read_only(&dir.join(db::JOURNAL_FILE))), v);
        assert!(
            backups(&dir).is_empty(),
            "fixture v{v} must not hold a backup"
        );
    }
    assert!(!fixture(db::schema_version() + 1).exists());
}

#[test]
fn v1_journal_opens_with_everything_kept() {
    opens_and_keeps_everything(1);
}

#[test]
fn v2_journal_opens_with_everything_kept() {
    opens_and_keeps_everything(2);
}

#[test]
fn v3_journal_opens_with_everything_kept() {
    opens_and_keeps_everything(3);
}

#[test]
fn v4_journal_opens_with_everything_kept() {
    opens_and_keeps_everything(4);
}

#[test]
fn v5_journal_opens_with_everything_kept() {
    opens_and_keeps_everything(5);
}

#[test]
fn v6_journal_opens_with_everything_kept() {
    opens_and_keeps_everything(6);
}

#[test]
fn v7_journal_opens_with_everything_kept() {
    opens_and_keeps_everything(7);
}

#[test]
fn fixtures_cover_every_kind_of_entry() {
    // So that the checks above cannot pass on an empty fixture.
    for v in 1..=db::schema_version() {
        let e = expected(v);
        assert!(
            e.cases.len() >= 6 && e.contacts.len() >= 9 && e.notes.len() >= 5,
            "v{v}"
        );
        assert!(e.transactions.len() >= 10, "v{v}");
        let statuses: BTreeSet<&str> = e.cases.iter().map(|c| c.status.as_str()).collect();
        let categories: BTreeSet<&str> = e.cases.iter().map(|c| c.category.as_str()).collect();
        assert_eq!(statuses.len(), 5, "v{v} statuses");
        assert_eq!(categories.len(), 6, "v{v} categories");
        let currencies: BTreeSet<&str> =
            e.transactions.iter().map(|t| t.currency.as_str()).collect();
        assert!(currencies.len() >= 5, "v{v} currencies {currencies:?}");
        assert!(
            e.contacts
                .iter()
                .any(|k| k.revisions.contains(&"edit".to_string()))
        );
        assert!(
            e.contacts
                .iter()
                .any(|k| k.follow_up.as_ref().is_some_and(|f| f.done))
        );
        assert!(
            e.notes.iter().any(|n| n.trashed) && e.notes.iter().any(|n| n.revisions.len() == 2)
        );
        assert!(e.transactions.iter().any(|t| t.trashed));
        if v >= 2 {
            assert!(e.attachments.len() >= 5 && !e.imports.is_empty() && !e.mappings.is_empty());
            assert!(e.attachments.iter().any(|a| a.contact_id.is_some()));
            assert!(e.attachments.iter().any(|a| a.transaction_id.is_some()));
            assert!(
                e.transactions
                    .iter()
                    .any(|t| t.source_attachment_id.is_some())
            );
        }
        if v >= 3 {
            assert!(e.cases.iter().any(|c| c.escalation_route.is_some()));
            assert!(e.cases.iter().any(|c| c.first_complaint.is_some()));
        }
        if v >= 4 {
            assert!(!e.official_channels.is_empty() && !e.scam_reports.is_empty());
        }
        if v >= 5 {
            assert!(e.settings.as_ref().is_some_and(|s| s.language.is_some()));
        }
    }
}

#[test]
fn journal_from_a_newer_casebook_is_refused_untouched() {
    let newer = db::schema_version() + 1;
    let tmp = copy_of(db::schema_version());
    let dir = tmp.path();
    let path = dir.join(db::JOURNAL_FILE);
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", newer).unwrap();
    }
    let listing = |d: &Path| -> BTreeSet<String> {
        fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into())
            .collect()
    };
    let before = fs::read(&path).unwrap();
    let files_before = listing(dir);

    for attempt in [Journal::open(&path), Journal::open_dir(dir)] {
        match attempt {
            Err(Error::JournalTooNew {
                path: p,
                found,
                supported,
            }) => {
                assert_eq!(p, path);
                assert_eq!(found, newer);
                assert_eq!(supported, db::schema_version());
            }
            Err(other) => panic!("expected JournalTooNew, got {other:?}"),
            Ok(_) => panic!("a journal of schema {newer} was opened"),
        }
    }
    // The CLI refuses it too, saying why.
    let out = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .env_remove("CASEBOOK_DATA_DIR")
        .arg("--data-dir")
        .arg(dir)
        // The fixture's journal is set to Chinese; the check reads English.
        .args(["--lang", "en", "case", "list"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("newer version of Casebook"), "{stderr}");

    let after = fs::read(&path).unwrap();
    assert_eq!(
        sha256_hex(&after),
        sha256_hex(&before),
        "the journal's bytes changed"
    );
    assert_eq!(listing(dir), files_before, "files were added or removed");
    assert!(backups(dir).is_empty());
}

#[test]
fn the_cli_reads_every_old_journal() {
    for v in 1..=db::schema_version() {
        let exp = expected(v);
        let tmp = copy_of(v);
        let run = |args: &[&str]| {
            let out = Command::new(env!("CARGO_BIN_EXE_casebook"))
                .env_remove("CASEBOOK_DATA_DIR")
                .env("TZ", "UTC")
                .arg("--data-dir")
                .arg(tmp.path())
                .args(args)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "v{v} {args:?} failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            String::from_utf8(out.stdout).unwrap()
        };
        let list = run(&["case", "list"]);
        for c in &exp.cases {
            assert!(
                list.contains(&c.title),
                "v{v}: case list lacks {:?}:\n{list}",
                c.title
            );
        }
        let shown: serde_json::Value =
            serde_json::from_str(&run(&["--json", "case", "show", "1"])).unwrap();
        assert_eq!(
            shown["case"]["title"],
            serde_json::json!(exp.cases[0].title),
            "v{v}"
        );
        let hits: serde_json::Value =
            serde_json::from_str(&run(&["--json", "search", "冻结"])).unwrap();
        assert!(
            hits.as_array().unwrap().iter().any(|h| h["case_id"] == 1),
            "v{v}: search 冻结 found {hits}"
        );
        run(&["verify"]);
        assert!(
            tmp.path()
                .join(format!("journal.sqlite3.v{v}.bak"))
                .exists()
                == (v < db::schema_version()),
            "v{v} backup"
        );
    }
}
