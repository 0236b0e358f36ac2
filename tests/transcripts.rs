//! Pasted chat transcripts split into lines (issue 17), on 18 transcripts in
//! the layouts real apps copy and export (WhatsApp, Telegram, Zendesk,
//! Salesforce, Intercom, Discord, Messenger, WeChat, QQ, PayPal, Alipay, a
//! bank app), each with the split a person would make
//! (`tests/fixtures/transcripts/`, layouts and sources in SOURCES.md).
//! Prints, per file, how many of its lines were read exactly (speaker, time
//! and text); fails below the floors.
//!
//! `cargo test --test transcripts -- --nocapture` shows the figures;
//! `SHOW_MISSES=1` also shows the lines that differ.

use std::path::Path;

use casebook::transcript::{self, ChatLine};
use chrono::NaiveDate;
use serde_json::Value;

/// The invisible marks WhatsApp puts around names and times.
fn clean(s: &str) -> String {
    s.replace(['\u{200E}', '\u{200F}'], "")
        .replace('\u{202F}', " ")
        .trim()
        .to_string()
}

/// A line as `who|when|text`, `when` written as the fixture writes it.
fn ours(l: &ChatLine) -> String {
    let when = match (l.date, l.time) {
        (Some(d), Some(t)) => format!("{}T{}", d, t.format("%H:%M:%S")),
        (None, Some(t)) => t.format("%H:%M:%S").to_string(),
        _ => String::new(),
    };
    format!("{}|{}|{}", clean(&l.who), when, clean(&l.text))
}

fn theirs(v: &Value) -> String {
    let when = v["when"].as_str().unwrap_or_default();
    // `2024-11-30T14:05` and `14:05` written with seconds.
    let when = match when.len() {
        5 | 16 => format!("{when}:00"),
        _ => when.to_string(),
    };
    format!(
        "{}|{}|{}",
        clean(v["who"].as_str().unwrap_or_default()),
        when,
        clean(v["text"].as_str().unwrap_or_default())
    )
}

/// Reads every transcript of a fixture folder; returns (lines read
/// exactly, lines, transcripts split exactly, transcripts).
fn measure(folder: &str, show: bool) -> (usize, usize, usize, usize) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(folder);
    // The fixtures' "今天" is their day.
    let today = NaiveDate::from_ymd_opt(2024, 11, 30).unwrap();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| {
            let n = e.unwrap().file_name().into_string().unwrap();
            n.strip_suffix(".txt").map(str::to_string)
        })
        .collect();
    names.sort();
    assert!(names.len() >= 18, "{folder}: {names:?}");
    let (mut right, mut total, mut exact_files) = (0, 0, 0);
    for name in &names {
        let text = std::fs::read_to_string(dir.join(format!("{name}.txt"))).unwrap();
        let expected: Value = serde_json::from_str(
            &std::fs::read_to_string(dir.join(format!("{name}.expected.json"))).unwrap(),
        )
        .unwrap();
        let want: Vec<String> = expected["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(theirs)
            .collect();
        let got: Vec<String> = transcript::split(&text, today)
            .lines
            .iter()
            .map(ours)
            .collect();
        // Where the transcript gives only a time, the day we read (from
        // "Yesterday" or an earlier line) is not compared.
        let got: Vec<String> = got
            .into_iter()
            .enumerate()
            .map(|(i, g)| {
                let Some(w) = want.get(i) else { return g };
                let wf: Vec<&str> = w.splitn(3, '|').collect();
                let gf: Vec<&str> = g.splitn(3, '|').collect();
                match (wf[1].len(), gf[1].split_once('T')) {
                    (8, Some((_, t))) => format!("{}|{}|{}", gf[0], t, gf[2]),
                    _ => g,
                }
            })
            .collect();
        let ok = want.iter().filter(|w| got.contains(w)).count();
        println!(
            "{folder} {name:<32} {ok:>3}/{:<3} lines read exactly ({} read)",
            want.len(),
            got.len()
        );
        if show && (ok != want.len() || got.len() != want.len()) {
            for w in want.iter().filter(|w| !got.contains(w)) {
                eprintln!("  want {w:?}");
            }
            for g in got.iter().filter(|g| !want.contains(g)) {
                eprintln!("  got  {g:?}");
            }
        }
        right += ok;
        total += want.len();
        if ok == want.len() && got.len() == want.len() {
            exact_files += 1;
        }
    }
    println!(
        "{folder}: {right}/{total} lines ({:.1}%) read exactly; {exact_files}/{} transcripts split exactly",
        100.0 * right as f64 / total as f64,
        names.len()
    );
    (right, total, exact_files, names.len())
}

#[test]
fn pasted_transcripts_split_into_the_lines_a_person_reads() {
    let show = std::env::var_os("SHOW_MISSES").is_some();
    // Tuned on these.
    let (right, total, _, _) = measure("transcripts", show);
    assert!(right as f64 >= 0.95 * total as f64, "{right}/{total}");
    // Never tuned on: layouts and apps collected separately.
    let (right, total, _, _) = measure("transcripts-heldout", false);
    assert!(right as f64 >= 0.65 * total as f64, "{right}/{total}");
}
