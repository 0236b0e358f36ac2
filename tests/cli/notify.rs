//! `casebook due --notify` against a real session bus (dbus-daemon) and a
//! notification server (tests/notify/server.py, Debian's python3-gi): what
//! it sends, in the user's language, each reminder once, the user's text
//! escaped as the body's markup, nothing sent in a dry run, and nothing
//! marked as told when no notification service answers.
//!
//! dbus-daemon and python3-gi are installed by `./dev test`; without them
//! this test fails (it never skips).

#![cfg(unix)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Std, Stdio};

use assert_cmd::Command;
use serde_json::Value;

/// A private session bus with the test notification server on it; both
/// are stopped when dropped.
struct Bus {
    address: String,
    log: PathBuf,
    daemon: Child,
    server: Child,
}

impl Bus {
    fn start(dir: &Path) -> Bus {
        let mut daemon = Std::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("dbus-daemon (Debian's dbus-daemon) is needed by this test");
        let mut line = String::new();
        BufReader::new(daemon.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let address = line.trim().to_string();
        assert!(address.starts_with("unix:"), "dbus-daemon said {line:?}");
        let log = dir.join("notifications.jsonl");
        let server_py = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/notify/server.py");
        // Debian's python3, which has python3-gi (a pyenv python may not).
        let mut server = Std::new("/usr/bin/python3")
            .arg(server_py)
            .arg(&log)
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .stdout(Stdio::piped())
            .spawn()
            .expect("/usr/bin/python3 with python3-gi is needed by this test");
        let mut ready = String::new();
        BufReader::new(server.stdout.take().unwrap())
            .read_line(&mut ready)
            .unwrap();
        assert_eq!(
            ready.trim(),
            "ready",
            "the notification server did not start"
        );
        Bus {
            address,
            log,
            daemon,
            server,
        }
    }

    fn shown(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

impl Drop for Bus {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}

fn cb(data: &Path, bus: &str) -> Command {
    let mut c = Command::cargo_bin("casebook").unwrap();
    c.env_remove("CASEBOOK_DATA_DIR")
        .env("DBUS_SESSION_BUS_ADDRESS", bus)
        .arg("--data-dir")
        .arg(data);
    c
}

fn ok(c: &mut Command) -> String {
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn due_notify_sends_each_reminder_once_as_a_desktop_notification() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("journal");
    let bus = Bus::start(tmp.path());
    let a = bus.address.as_str();
    // The machine's own day and zone, as the user's cron job would run.
    let today = chrono::Local::now().date_naive();
    let tomorrow = today.succ_opt().unwrap();
    ok(cb(&data, a).args([
        "case",
        "new",
        "--title",
        "支付宝 <b>退款</b>",
        "--deadline",
        &tomorrow.to_string(),
    ]));
    ok(cb(&data, a).args([
        "contact",
        "add",
        "--case",
        "1",
        "--channel",
        "phone",
        "--reply",
        "今天会回电",
        "--ref",
        "ticket:TK-20261201-88",
        "--follow-up",
        &today.to_string(),
        "--promise",
        "回电 <a href=\"http://x.top\">说明</a> & 退款",
    ]));
    // Any time of day: no quiet hours.
    ok(cb(&data, a).args(["settings", "quiet-hours", "off"]));

    // A dry run shows and sends nothing.
    let dry = ok(cb(&data, a).args(["--lang", "zh", "due", "--notify", "--dry-run"]));
    assert!(
        dry.contains("将发送：今天到期的跟进 · 支付宝 <b>退款</b>"),
        "{dry}"
    );
    assert!(bus.shown().is_empty());

    let sent = ok(cb(&data, a).args(["--lang", "zh", "due", "--notify"]));
    assert!(sent.contains("已发送："), "{sent}");
    let shown = bus.shown();
    assert_eq!(shown.len(), 2, "{shown:#?}");
    let follow = shown
        .iter()
        .find(|n| n["summary"].as_str().unwrap().starts_with("今天到期的跟进"))
        .expect("the follow-up");
    assert_eq!(follow["app_name"], "Casebook");
    assert_eq!(follow["summary"], "今天到期的跟进 · 支付宝 <b>退款</b>");
    assert_eq!(
        follow["body"],
        "客服承诺今天：回电 &lt;a href=\"http://x.top\"&gt;说明&lt;/a&gt; &amp; 退款 · 工单号 TK-20261201-88"
    );
    assert!(
        shown
            .iter()
            .any(|n| n["summary"] == "明天是截止日期 · 支付宝 <b>退款</b>")
    );

    // Told once.
    let again = ok(cb(&data, a).args(["--lang", "en", "due", "--notify"]));
    assert!(again.contains("No reminder to send now."), "{again}");
    assert_eq!(bus.shown().len(), 2);

    // A second promise for today, with no notification service: a sentence,
    // a failure status, and nothing marked as told.
    ok(cb(&data, a).args([
        "contact",
        "add",
        "--case",
        "1",
        "--channel",
        "chat",
        "--reply",
        "We will email you today.",
        "--follow-up",
        &today.to_string(),
        "--promise",
        "email the refund receipt",
    ]));
    let gone = tmp.path().join("no-bus");
    let out = cb(&data, &format!("unix:path={}", gone.display()))
        .args(["--lang", "en", "due", "--notify"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("could not be shown as a desktop notification")
            && err.contains("Nothing was marked as told"),
        "{err}"
    );
    // With the service back, it is sent, in English.
    ok(cb(&data, a).args(["--lang", "en", "due", "--notify"]));
    let shown = bus.shown();
    assert_eq!(shown.len(), 3, "{shown:#?}");
    assert_eq!(
        shown[2]["body"],
        "Support promised for today: email the refund receipt"
    );

    // Snoozed, then turned off: nothing more.
    let out = ok(cb(&data, a).args([
        "due",
        "--snooze",
        "deadline:1",
        "--until",
        &tomorrow.succ_opt().unwrap().to_string(),
    ]));
    assert!(out.contains("deadline:1"), "{out}");
    let bad = cb(&data, a)
        .args(["settings", "quiet-hours", "22:00"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    ok(cb(&data, a).args(["settings", "reminders", "off"]));
    let settings: Value =
        serde_json::from_str(&ok(cb(&data, a).args(["--json", "settings"]))).unwrap();
    assert_eq!(settings["reminders"]["enabled"], false);
    assert_eq!(settings["reminders"]["quiet_from"], Value::Null);
}
