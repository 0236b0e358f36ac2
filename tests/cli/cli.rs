//! The `casebook` binary as a user runs it, on a journal in a temp dir.

use assert_cmd::Command;
use serde_json::Value;

struct Cli {
    dir: tempfile::TempDir,
}

impl Cli {
    fn new() -> Cli {
        Cli {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("casebook").unwrap();
        c.env_remove("CASEBOOK_DATA_DIR")
            .arg("--data-dir")
            .arg(self.dir.path())
            .env("TZ", "UTC");
        c
    }

    /// Runs with --json and returns the parsed document.
    fn json(&self, args: &[&str]) -> Value {
        let out = self.cmd().arg("--json").args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{args:?}: not JSON ({e}): {}",
                String::from_utf8_lossy(&out.stdout)
            )
        })
    }

    /// Runs expecting a bad-input failure; returns stderr.
    fn fails(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?} should exit 2; stdout: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert!(out.stdout.is_empty(), "{args:?} printed on stdout");
        String::from_utf8(out.stderr).unwrap()
    }

    fn snapshot(&self) -> Vec<u8> {
        let out = self
            .cmd()
            .args(["--json", "case", "list"])
            .output()
            .unwrap();
        let mut all = out.stdout;
        if let Ok(list) = serde_json::from_slice::<Vec<Value>>(&all.clone()) {
            for c in list {
                let id = c["id"].to_string();
                all.extend(
                    self.cmd()
                        .args(["--json", "case", "show", &id])
                        .output()
                        .unwrap()
                        .stdout,
                );
            }
        }
        all
    }
}

#[test]
fn a_new_user_logs_a_case_from_start_to_finish() {
    let cli = Cli::new();
    let case = cli.json(&[
        "case",
        "new",
        "--title",
        "支付宝账户被冻结",
        "--provider",
        "支付宝",
        "--category",
        "account_locked",
        "--amount",
        "1250.50",
        "--currency",
        "CNY",
        "--deadline",
        "2026-12-01",
    ]);
    let case_id = case["id"].as_i64().unwrap();
    assert_eq!(case["amount"]["amount"], "1250.50");
    assert_eq!(case["status"], "open");
    let cid = case_id.to_string();

    let contact = cli.json(&[
        "contact",
        "add",
        "--case",
        &cid,
        "--channel",
        "phone",
        "--at",
        "2026-11-20T14:30:00+08:00",
        "--via",
        "95188",
        "--direction",
        "out",
        "--agent",
        "工号 8823",
        "--asked",
        "为什么冻结我的账户？",
        "--reply",
        "您的账户因风险控制被临时冻结，请提供身份证明。",
        "--ref",
        "ticket:工单-TK20241120",
        "--ref",
        "complaint:投诉88812345",
        "--follow-up",
        "2026-11-22",
        "--promise",
        "回电说明进度",
        "--duration",
        "12:30",
    ]);
    let contact_id = contact["id"].as_i64().unwrap();
    assert_eq!(contact["at"], "2026-11-20T14:30:00+08:00");
    assert_eq!(contact["references"].as_array().unwrap().len(), 2);
    assert_eq!(contact["duration_secs"], 750);
    let kid = contact_id.to_string();

    cli.json(&[
        "contact",
        "add",
        "--case",
        &cid,
        "--channel",
        "email",
        "--at",
        "2026-11-21T09:00:00Z",
        "--reply",
        "Your refund request is under review.",
    ]);
    cli.json(&[
        "note",
        "add",
        "--case",
        &cid,
        "--at",
        "2026-11-21T10:00:00+08:00",
        "客服说48小时内回电",
    ]);
    let txn = cli.json(&[
        "txn",
        "add",
        "--case",
        &cid,
        "--txid",
        "2026112022001400001234",
        "--at",
        "2026-11-19T10:00:00+08:00",
        "--amount",
        "-1250.50",
        "--currency",
        "CNY",
        "--counterparty",
        "某商家",
    ]);
    assert_eq!(txn["signed_amount"], "-1250.50");
    assert_eq!(txn["direction"], "out");

    // 1-, 2- and 3-character Chinese queries and a reference fragment.
    for (q, kind) in [
        ("冻", "contact"),
        ("冻结", "contact"),
        ("身份证", "contact"),
        ("12345", "contact"),
        ("48小时", "note"),
        ("某商家", "transaction"),
        ("1234", "transaction"),
    ] {
        let hits = cli.json(&["search", q]);
        let hits = hits.as_array().unwrap();
        assert!(hits.iter().any(|h| h["kind"] == kind), "{q}: {hits:?}");
        for h in hits {
            for key in ["kind", "id", "case_id", "at", "snippet"] {
                assert!(h.get(key).is_some(), "{q}: hit without {key}");
            }
        }
    }
    let hits = cli.json(&["search", "冻结", "--channel", "phone"]);
    assert_eq!(hits[0]["id"].as_i64(), Some(contact_id));
    assert_eq!(
        cli.json(&["search", "refund", "--channel", "phone"])
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        cli.json(&["search", "冻结", "--from", "2026-11-21"])
            .as_array()
            .unwrap()
            .iter()
            .filter(|h| h["kind"] == "contact")
            .count(),
        0
    );

    // Edit, then see the history with the old text.
    let edited = cli.json(&["contact", "edit", &kid, "--reply", "您的账户已解冻。"]);
    assert_eq!(edited["edited"], true);
    let history = cli.json(&["contact", "history", &kid]);
    assert_eq!(
        history["revisions"][0]["before"]["reply"],
        "您的账户因风险控制被临时冻结，请提供身份证明。"
    );
    assert_eq!(history["revisions"][0]["changed"][0], "reply");
    assert_eq!(history["current"]["reply"], "您的账户已解冻。");
    let text = cli
        .cmd()
        .args(["contact", "history", &kid])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&text.stdout).contains("reply was"));

    // Case show: timeline oldest first with every kind of entry.
    let show = cli.json(&["case", "show", &cid]);
    let kinds: Vec<&str> = show["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds[..4], ["transaction", "contact", "note", "contact"]);
    assert_eq!(show["references"].as_array().unwrap().len(), 2);

    // Due: the follow-up and the deadline (looking far enough ahead).
    let due = cli.json(&["due", "--within", "3650"]);
    let due = due.as_array().unwrap();
    assert_eq!(due.len(), 2);
    assert_eq!(due[0]["kind"], "follow_up");
    assert_eq!(due[1]["kind"], "deadline");

    // Delete and restore.
    cli.json(&["contact", "delete", &kid]);
    assert!(cli.json(&["search", "解冻"]).as_array().unwrap().is_empty());
    cli.json(&["contact", "restore", &kid]);
    assert_eq!(cli.json(&["search", "解冻"]).as_array().unwrap().len(), 1);

    let status = cli.json(&["case", "status", &cid, "escalated"]);
    assert_eq!(status["status"], "escalated");
    assert_eq!(
        cli.json(&["case", "list", "--status", "escalated"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn bad_input_gets_a_sentence_exit_2_and_changes_nothing() {
    let cli = Cli::new();
    let case = cli.json(&["case", "new", "--title", "Refund"]);
    let cid = case["id"].to_string();
    let before = cli.snapshot();
    let cases: &[(&[&str], &str)] = &[
        (
            &["contact", "add", "--case", "999", "--channel", "phone"],
            "no case with id 999",
        ),
        (
            &[
                "contact",
                "add",
                "--case",
                &cid,
                "--channel",
                "phone",
                "--at",
                "yesterday",
            ],
            "not a valid time",
        ),
        (
            &["contact", "add", "--case", &cid, "--channel", "pigeon"],
            "not a known channel",
        ),
        (
            &[
                "contact",
                "add",
                "--case",
                &cid,
                "--channel",
                "phone",
                "--follow-up",
                "2026-02-30",
            ],
            "not a valid date",
        ),
        (
            &[
                "contact",
                "add",
                "--case",
                &cid,
                "--channel",
                "phone",
                "--ref",
                "ticket:",
            ],
            "has no number",
        ),
        (
            &[
                "txn",
                "add",
                "--case",
                &cid,
                "--txid",
                "X",
                "--at",
                "2026-11-20T10:00:00Z",
                "--amount",
                "12,50",
                "--currency",
                "CNY",
            ],
            "not an amount",
        ),
        (
            &[
                "txn",
                "add",
                "--case",
                &cid,
                "--txid",
                "X",
                "--at",
                "2026-11-20T10:00:00Z",
                "--amount",
                "abc",
                "--currency",
                "CNY",
            ],
            "not an amount",
        ),
        (&["case", "new", "--title", "  "], "needs a title"),
        (
            &["case", "new", "--title", "x", "--amount", "12.50"],
            "needs its currency",
        ),
        (
            &["case", "new", "--title", "x", "--deadline", "next week"],
            "not a valid date",
        ),
        (&["case", "status", &cid, "done-ish"], "not a known status"),
        (&["case", "show", "77"], "no case with id 77"),
        (
            &["contact", "edit", "5", "--reply", "x"],
            "no contact with id 5",
        ),
        (&["search", "x", "--case", "42"], "no case with id 42"),
        (&["search", "x", "--from", "2026-13-01"], "not a valid date"),
    ];
    for (args, expected) in cases {
        let err = cli.fails(args);
        assert!(err.contains(expected), "{args:?}: {err}");
        assert!(
            err.lines().count() == 1 && err.ends_with('\n'),
            "{args:?}: one sentence, got {err:?}"
        );
    }
    assert_eq!(
        cli.snapshot(),
        before,
        "bad input must not change the journal"
    );
}

#[test]
fn data_dir_flag_beats_the_environment_variable() {
    let env_dir = tempfile::tempdir().unwrap();
    let flag_dir = tempfile::tempdir().unwrap();
    let mut c = Command::cargo_bin("casebook").unwrap();
    c.env("CASEBOOK_DATA_DIR", env_dir.path())
        .args(["case", "new", "--title", "env"])
        .assert()
        .success();
    assert!(env_dir.path().join("journal.sqlite3").exists());
    let mut c = Command::cargo_bin("casebook").unwrap();
    c.env("CASEBOOK_DATA_DIR", env_dir.path())
        .arg("--data-dir")
        .arg(flag_dir.path())
        .args(["case", "new", "--title", "flag"])
        .assert()
        .success();
    assert!(flag_dir.path().join("journal.sqlite3").exists());
    let mut c = Command::cargo_bin("casebook").unwrap();
    let out = c
        .env("CASEBOOK_DATA_DIR", env_dir.path())
        .args(["--json", "case", "list"])
        .output()
        .unwrap();
    let list: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["title"], "env");
}

#[test]
fn long_pasted_replies_can_come_from_standard_input() {
    let cli = Cli::new();
    let cid = cli.json(&["case", "new", "--title", "chat"])["id"].to_string();
    let transcript: String = (0..2000)
        .map(|i| format!("[{i:04}] 客服: 请稍等，正在为您查询退款进度 / please wait\n"))
        .collect();
    let out = cli
        .cmd()
        .args([
            "--json",
            "contact",
            "add",
            "--case",
            &cid,
            "--channel",
            "chat",
            "--reply",
            "-",
        ])
        .write_stdin(transcript.clone())
        .output()
        .unwrap();
    assert!(out.status.success());
    let contact: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        contact["reply"].as_str().unwrap(),
        transcript,
        "stored verbatim"
    );
    assert_eq!(cli.json(&["search", "1999"]).as_array().unwrap().len(), 1);
}

#[test]
fn bench_prints_percentiles() {
    let out = Command::cargo_bin("casebook")
        .unwrap()
        .args(["bench", "--contacts", "300"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "p50 ms",
        "p95 ms",
        "log a contact",
        "1-char Chinese",
        "2-char Chinese",
        "reference fragment",
        "rare word",
        "common word",
        "index/text",
    ] {
        assert!(text.contains(needle), "missing {needle} in\n{text}");
    }
}

fn statement(name: &str) -> String {
    format!(
        "{}/tests/fixtures/statements/{name}",
        concat!(env!("CARGO_MANIFEST_DIR"), "/..")
    )
}

/// The story from the command line: three screenshots and the
/// Alipay statement, two disputed payments picked, `verify` proves the files.
#[test]
fn attach_screenshots_import_two_disputed_payments_and_verify() {
    let cli = Cli::new();
    let case = cli.json(&[
        "case",
        "new",
        "--title",
        "冒充客服诈骗",
        "--category",
        "fraud",
    ]);
    let cid = case["id"].to_string();
    let shots = cli.dir.path().join("shots");
    std::fs::create_dir_all(&shots).unwrap();
    let mut paths = Vec::new();
    for i in 1..=3 {
        let p = shots.join(format!("聊天截图{i}.png"));
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend_from_slice(format!("screenshot {i}").as_bytes());
        std::fs::write(&p, png).unwrap();
        paths.push(p.to_string_lossy().into_owned());
    }
    let mut args = vec!["attach", "--case", &cid];
    args.extend(paths.iter().map(String::as_str));
    let attached = cli.json(&args);
    assert_eq!(attached.as_array().unwrap().len(), 3);
    assert_eq!(attached[0]["media_type"], "image/png");

    // Dry run: shows the rows, writes nothing.
    let before = cli.snapshot();
    let preview = cli.json(&[
        "txn",
        "import",
        "--case",
        &cid,
        &statement("alipay-2023.csv"),
        "--dry-run",
        "--match",
        "李客服",
    ]);
    assert_eq!(preview["rows"].as_array().unwrap().len(), 2);
    assert_eq!(cli.snapshot(), before);

    let report = cli.json(&[
        "txn",
        "import",
        "--case",
        &cid,
        &statement("alipay-2023.csv"),
        "--rows",
        "26,27",
    ]);
    assert_eq!(report["imported"].as_array().unwrap().len(), 2);
    let shown = cli.json(&["case", "show", &cid]);
    let kinds: Vec<&str> = shown["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.iter().filter(|k| **k == "transaction").count(), 2);
    // Three screenshots and the statement itself.
    assert_eq!(kinds.iter().filter(|k| **k == "attachment").count(), 4);

    let ok = cli.cmd().arg("verify").output().unwrap();
    assert!(ok.status.success());
    assert!(String::from_utf8_lossy(&ok.stdout).contains("Checked 4 stored file(s)"));

    // Damage one stored file: verify names it and exits non-zero.
    let sha = attached[1]["sha256"].as_str().unwrap();
    let stored = cli
        .dir
        .path()
        .join("evidence/sha256")
        .join(&sha[..2])
        .join(sha);
    std::fs::write(&stored, b"tampered").unwrap();
    let bad = cli.cmd().arg("verify").output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let out = String::from_utf8_lossy(&bad.stdout);
    assert!(
        out.contains("ALTERED") && out.contains("聊天截图2.png"),
        "{out}"
    );
}

#[test]
fn bad_statements_and_files_get_a_message_and_change_nothing() {
    let cli = Cli::new();
    let case = cli.json(&["case", "new", "--title", "bad input"]);
    let cid = case["id"].to_string();
    let before = cli.snapshot();
    // A 1 GB file is refused before it is read (sparse, so the test is quick).
    let huge = cli.dir.path().join("huge.csv");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(1 << 30)
        .unwrap();
    let err = cli.fails(&["txn", "import", "--case", &cid, huge.to_str().unwrap()]);
    assert!(err.contains("1024 MB"), "{err}");
    let unknown = cli.dir.path().join("other.csv");
    std::fs::write(&unknown, "Datum;Betrag;Empfänger\n01.11.2026;-5,00;X\n").unwrap();
    let err = cli.fails(&["txn", "import", "--case", &cid, unknown.to_str().unwrap()]);
    assert!(err.contains("Datum, Betrag, Empfänger"), "{err}");
    let err = cli.fails(&[
        "txn",
        "import",
        "--case",
        &cid,
        &statement("alipay-web-truncated.txt"),
    ]);
    assert!(err.contains("line 8"), "{err}");
    let err = cli.fails(&["attach", "--case", "999", &statement("paypal-us.csv")]);
    assert!(err.contains("no case with id 999"), "{err}");
    assert_eq!(cli.snapshot(), before);
    // With a mapping, the same unknown file imports; the mapping is saved.
    let r = cli.json(&[
        "txn",
        "import",
        "--case",
        &cid,
        unknown.to_str().unwrap(),
        "--map-date",
        "Datum",
        "--map-amount",
        "Betrag",
        "--currency",
        "EUR",
        "--map-counterparty",
        "Empfänger",
        "--day-first",
        "--save-mapping",
        "Sparkasse",
    ]);
    assert_eq!(r["imported"].as_array().unwrap().len(), 1);
    let maps = cli.json(&["txn", "mappings"]);
    assert_eq!(maps[0]["name"], "Sparkasse");
}

#[test]
fn scan_lists_red_flags_with_entry_rule_and_reason() {
    let cli = Cli::new();
    let case = cli.json(&["case", "new", "--title", "冒充客服"]);
    let cid = case["id"].to_string();
    let bad = cli.json(&[
        "contact",
        "add",
        "--case",
        &cid,
        "--channel",
        "phone",
        "--via",
        "00852 6123 4567",
        "--reply",
        "为了解冻，请把验证码告诉我，再把余额转到安全账户",
    ]);
    cli.json(&[
        "contact",
        "add",
        "--case",
        &cid,
        "--channel",
        "chat",
        "--reply",
        "We never ask for your password. Please provide your transaction ID.",
    ]);
    let report = cli.json(&["scan", "--case", &cid]);
    assert_eq!(report["entries_checked"], 2);
    let flags = report["flags"].as_array().unwrap();
    let rules: Vec<&str> = flags
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        [
            "verification_code",
            "safe_account",
            "script",
            "channel_international_00"
        ]
    );
    assert!(
        flags
            .iter()
            .all(|f| f["entry_id"] == bad["id"] && f["entry"] == "contact")
    );
    assert_eq!(flags[3]["field"], "via");
    // The script warning names its parts.
    let script = flags[2]["reason_en"].as_str().unwrap();
    assert!(
        script.contains("asks for a code") && script.contains("asks you to move money"),
        "{script}"
    );
    assert!(
        flags[0]["reason_en"]
            .as_str()
            .unwrap()
            .contains("verification")
    );
    let text = cli.cmd().args(["scan"]).output().unwrap();
    assert!(String::from_utf8_lossy(&text.stdout).contains("4 warning(s)"));
    // The case detail carries them for the app.
    let shown = cli.json(&["case", "show", &cid]);
    assert_eq!(shown["flags"].as_array().unwrap().len(), 4);
}

#[test]
fn channel_register_and_scam_reports_from_the_command_line() {
    let cli = Cli::new();
    let case = cli.json(&["case", "new", "--title", "账户冻结", "--provider", "支付宝"]);
    let cid = case["id"].to_string();
    let added = cli.json(&[
        "channel",
        "add",
        "--provider",
        "支付宝",
        "--kind",
        "phone",
        "--verified-how",
        "支付宝 App 客服中心",
        "95188",
    ]);
    assert_eq!(added[0]["value"], "95188");
    let ok = cli.json(&["channel", "check", "--case", &cid, "+86 95188"]);
    assert_eq!(ok.as_array().unwrap().len(), 0);

    // Logging a call through an unknown number warns on standard error.
    let out = cli
        .cmd()
        .args([
            "contact",
            "add",
            "--case",
            &cid,
            "--channel",
            "phone",
            "--via",
            "400-820-1234",
            "--reply",
            "请提供验证码，然后转到安全账户",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    for rule in ["verification_code", "safe_account", "channel_unverified"] {
        assert!(err.contains(rule), "{rule} missing in {err}");
    }
    cli.json(&["contact", "report-scam", "1"]);
    let flags = cli.json(&["channel", "check", "--case", &cid, "4008201234"]);
    let ids: Vec<&str> = flags
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["channel_unverified", "channel_scam_reported"]);
    cli.json(&["contact", "report-scam", "1", "--undo"]);
    let flags = cli.json(&["channel", "check", "--case", &cid, "4008201234"]);
    assert_eq!(flags.as_array().unwrap().len(), 1);

    let bad = cli
        .cmd()
        .args([
            "channel",
            "add",
            "--provider",
            "支付宝",
            "--kind",
            "fax",
            "123",
        ])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("phone, email"));
    let list = cli.json(&["channel", "list"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
    let removed = cli.cmd().args(["channel", "remove", "1"]).output().unwrap();
    assert!(removed.status.success());
    assert_eq!(cli.json(&["channel", "list"]).as_array().unwrap().len(), 0);
}

/// `casebook … | head`: the reader goes away after one line; the program
/// ends quietly with status 0 (it panicked with a backtrace, status 101).
#[test]
fn a_closed_pipe_ends_the_program_quietly() {
    use std::io::{BufRead, BufReader};
    let cli = Cli::new();
    {
        let mut j = casebook::Journal::open_dir(cli.dir.path()).unwrap();
        for i in 0..1500 {
            j.create_case(casebook::cases::NewCase {
                title: format!("支付宝 account frozen, case {i}"),
                ..Default::default()
            })
            .unwrap();
        }
    }
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_casebook"))
        .env_remove("CASEBOOK_DATA_DIR")
        .arg("--data-dir")
        .arg(cli.dir.path())
        .args(["--json", "case", "list"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader (and the pipe's only read end) is dropped here.
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(first.starts_with('['), "{first}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.is_empty(), "nothing on stderr: {stderr}");
}

/// Issue 14: the CLI speaks the user's language: `--lang`, else the
/// journal's setting, else the locale (LC_ALL, LC_MESSAGES, LANG).
#[test]
fn the_cli_answers_in_chinese_by_locale_setting_or_flag() {
    let cli = Cli::new();
    let run = |env: &[(&str, &str)], args: &[&str]| {
        let mut c = cli.cmd();
        c.env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("LANG");
        for (k, v) in env {
            c.env(k, v);
        }
        let out = c.args(args).output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let zh = [("LANG", "zh_CN.UTF-8")];
    // No language set in the journal: the locale decides.
    let (code, _, err) = run(
        &zh,
        &["contact", "add", "--case", "99", "--channel", "phone"],
    );
    assert_eq!(code, Some(2));
    assert!(err.contains("没有编号为 99 的案件"), "{err}");
    assert!(
        err.contains("casebook case list"),
        "the CLI's own advice: {err}"
    );
    let (_, out, _) = run(
        &zh,
        &[
            "case",
            "new",
            "--title",
            "支付宝冻结",
            "--category",
            "frozen",
        ],
    );
    assert!(
        out.contains("账户被锁定或冻结") && out.contains("已持续 0 天"),
        "{out}"
    );
    let (_, out, _) = run(&[("LANG", "en_US.UTF-8")], &["case", "list"]);
    assert!(out.contains("Account locked or frozen"), "{out}");
    // LC_ALL beats LANG.
    let (_, out, _) = run(
        &[("LANG", "en_US.UTF-8"), ("LC_ALL", "zh_CN.UTF-8")],
        &["case", "list"],
    );
    assert!(out.contains("已持续"), "{out}");
    // The journal's setting beats the locale; --lang beats both.
    run(&[], &["settings", "language", "zh"]);
    let (_, out, _) = run(&[("LANG", "en_US.UTF-8")], &["case", "list"]);
    assert!(out.contains("已持续"), "{out}");
    let (_, out, _) = run(&zh, &["--lang", "en", "case", "list"]);
    assert!(out.contains("open 0 days"), "{out}");
    let (code, _, err) = run(&[], &["case", "status", "1", "done-ish"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("不是可用的状态"), "{err}");
    let (code, _, err) = run(&[], &["--lang", "fr", "case", "list"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("fr"), "{err}");
    // The help too: every command and option (a unit test walks them all).
    let (code, out, _) = run(&zh, &["contact", "add", "--help"]);
    assert_eq!(code, Some(0));
    assert!(
        out.contains("记录一次与客服的联系") && out.contains("用法"),
        "{out}"
    );
    assert!(
        out.contains("显示帮助") && !out.contains("Print help"),
        "{out}"
    );
}

/// A statement in no known layout: the CLI names what it found and prints
/// the `--map-…` options it guesses; added to the same command, they import
/// the file. A file whose dates all read both ways needs --day-first or
/// --month-first, and the error says so, in Chinese too.
#[test]
fn statements_the_cli_cannot_read_alone_say_what_would_help() {
    let cli = Cli::new();
    let case = cli.json(&["case", "new", "--title", "Bank"]);
    let cid = case["id"].to_string();
    let before = cli.snapshot();
    let bank = cli.dir.path().join("umsaetze.csv");
    std::fs::write(
        &bank,
        "Buchungstag;Valuta;Auftraggeber/Empfänger;Verwendungszweck;Betrag;Währung;Kategorie\n\
         01.10.2026;01.10.2026;Stadtwerke;Abschlag;-85,00;EUR;Wohnen\n\
         14.10.2026;14.10.2026;Arbeitgeber GmbH;Gehalt;2.345,67;EUR;Einkommen\n",
    )
    .unwrap();
    let err = cli.fails(&["txn", "import", "--case", &cid, bank.to_str().unwrap()]);
    assert!(err.contains("does not understand: Kategorie"), "{err}");
    let line = err
        .lines()
        .find(|l| l.trim_start().starts_with("--format csv"))
        .unwrap_or_else(|| panic!("no --map line in: {err}"));
    assert!(line.contains("--map-date 'Buchungstag'"), "{line}");
    assert!(line.contains("--map-amount 'Betrag'"), "{line}");
    assert!(line.contains("--map-currency 'Währung'"), "{line}");
    assert_eq!(cli.snapshot(), before);
    // The printed options, added to the same command, import the file.
    let mut args: Vec<String> = ["txn", "import", "--case", &cid, bank.to_str().unwrap()]
        .iter()
        .map(|s| s.to_string())
        .collect();
    args.extend(shlex_split(line.trim()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = cli.json(&args);
    assert_eq!(r["imported"].as_array().unwrap().len(), 2, "{r}");

    // Every date reads both ways: nothing is guessed.
    let paypal = cli.dir.path().join("paypal.csv");
    std::fs::write(
        &paypal,
        "Date,Time,TimeZone,Name,Type,Status,Currency,Gross,Fee,Net,Transaction ID\n\
         03/04/2026,10:00:00,GMT,Shop,Payment,Completed,GBP,-5.00,0.00,-5.00,TXA1\n\
         05/06/2026,11:00:00,GMT,Shop,Payment,Completed,GBP,-7.00,0.00,-7.00,TXA2\n",
    )
    .unwrap();
    let before = cli.snapshot();
    let err = cli.fails(&["txn", "import", "--case", &cid, paypal.to_str().unwrap()]);
    assert!(
        err.contains("03/04/2026") && err.contains("--day-first"),
        "{err}"
    );
    let err = cli.fails(&[
        "--lang",
        "zh",
        "txn",
        "import",
        "--case",
        &cid,
        paypal.to_str().unwrap(),
    ]);
    assert!(
        err.contains("日在前") && err.contains("--month-first"),
        "{err}"
    );
    assert_eq!(cli.snapshot(), before);
    let r = cli.json(&[
        "txn",
        "import",
        "--case",
        &cid,
        paypal.to_str().unwrap(),
        "--month-first",
        "--dry-run",
    ]);
    assert_eq!(
        r["rows"][0]["draft"]["at"], "2026-03-04T10:00:00+00:00",
        "{r}"
    );
    let r = cli.json(&[
        "txn",
        "import",
        "--case",
        &cid,
        paypal.to_str().unwrap(),
        "--day-first",
    ]);
    assert_eq!(r["imported"].as_array().unwrap().len(), 2);
}

/// Splits the CLI's suggested options as a shell would (single quotes).
fn shlex_split(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in s.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            c => {
                cur.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(cur);
    }
    out
}

/// Issue 17 from the command line: screenshots read into search, an e-mail
/// logged as a contact with its file and its reference, a copied chat logged
/// verbatim and read as lines, found references offered and added only when
/// asked; --json stays one document.
#[test]
fn screenshots_an_email_and_a_pasted_chat_from_the_command_line() {
    let cli = Cli::new();
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let case = cli.json(&[
        "case",
        "new",
        "--title",
        "转账失败",
        "--provider",
        "中国某银行",
        "--category",
        "failed",
    ]);
    let cid = case["id"].to_string();
    let shots: Vec<String> = [
        "ocr/01-alipay-kefu-light.png",
        "ocr/04-wechatpay-kefu-dark.png",
    ]
    .iter()
    .map(|f| fixtures.join(f).display().to_string())
    .collect();
    let attached = cli.json(&["attach", "--case", &cid, &shots[0], &shots[1]]);
    assert_eq!(attached.as_array().unwrap().len(), 2);
    for (q, id) in [
        ("TK20241130072615", &attached[0]["id"]),
        ("退款", &attached[1]["id"]),
    ] {
        let hits = cli.json(&["search", q]);
        assert!(
            hits.as_array()
                .unwrap()
                .iter()
                .any(|h| h["kind"] == "attachment" && &h["id"] == id),
            "{q}: {hits}"
        );
    }

    // An e-mail: previewed without saving, then logged with its file.
    let eml = fixtures
        .join("email/01-bank-gbk-base64.eml")
        .display()
        .to_string();
    let preview = cli.json(&["contact", "from-email", &eml, "--case", &cid, "--dry-run"]);
    assert_eq!(preview["from_address"], "service@icbc.example.com.cn");
    assert_eq!(preview["references"][0]["value"], "SR20261128004417");
    let shown = cli.json(&["case", "show", &cid]);
    assert!(
        !shown.to_string().contains("service@icbc.example.com.cn"),
        "a dry run saves nothing"
    );
    let logged = cli.json(&["contact", "from-email", &eml, "--case", &cid]);
    let kid = logged["contact"]["id"].to_string();
    assert_eq!(logged["contact"]["channel"], "email");
    assert_eq!(logged["contact"]["at"], "2026-11-28T10:35:12+08:00");
    assert_eq!(logged["contact"]["references"], serde_json::json!([]));
    assert_eq!(logged["attachment"]["contact_id"], logged["contact"]["id"]);
    // The reference is offered, not added, until the user adds it.
    let offered = cli.json(&["contact", "refs", &kid]);
    assert_eq!(offered[0]["value"], "SR20261128004417");
    cli.json(&["contact", "edit", &kid, "--ref", "ticket:SR20261128004417"]);
    assert_eq!(cli.json(&["contact", "refs", &kid]), serde_json::json!([]));

    // A copied chat, from standard input.
    let chat = "2026年11月30日\n小蚂蚁 14:05\n您好，请问有什么可以帮您？\n我 14:06\n我的转账失败了\n小蚂蚁 14:08\n已提交工单，工单号：TK88102345";
    let out = cli
        .cmd()
        .args([
            "--json",
            "contact",
            "from-chat",
            "-",
            "--case",
            &cid,
            "--all-refs",
        ])
        .write_stdin(chat)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let logged: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(logged["contact"]["reply"], chat, "kept verbatim");
    assert_eq!(logged["contact"]["agent"], "小蚂蚁");
    assert!(
        logged["contact"]["at"]
            .as_str()
            .unwrap()
            .starts_with("2026-11-30T14:05:00")
    );
    assert_eq!(logged["contact"]["references"][0]["value"], "TK88102345");
    assert_eq!(logged["transcript"]["lines"].as_array().unwrap().len(), 3);

    // Not an e-mail: a clear error, nothing changed.
    let before = cli.snapshot();
    let err = cli.fails(&["contact", "from-email", &shots[0], "--case", &cid]);
    assert!(err.contains("not an e-mail"), "{err}");
    assert_eq!(cli.snapshot(), before);
}
