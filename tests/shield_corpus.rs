//! The scam shield's corpus is what it says it is: at least 300 scam and 300
//! genuine lines, half or more in Chinese, each with a source, split once
//! into a development half (`rules/shield-examples.tsv`, which the shield
//! learns from, and which has grown since) and a held-out half
//! (`tests/fixtures/shield/corpus.tsv`, which the shield never reads), with
//! no line in both.

use std::collections::HashSet;

/// (lang, label, kind, text, source) of each line of a corpus file.
fn read(path: &str, header: &str, split: Option<&str>) -> Vec<[String; 5]> {
    let text = std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let mut lines = text.lines().filter(|l| !l.starts_with('#'));
    assert_eq!(lines.next(), Some(header), "{path}");
    lines
        .enumerate()
        .map(|(i, line)| {
            let mut cols: Vec<&str> = line.split('\t').collect();
            if let Some(split) = split {
                assert_eq!(cols.first(), Some(&split), "{path} line {i}");
                cols.remove(0);
            }
            let [lang, label, kind, body, source] = cols.as_slice() else {
                panic!("{path} line {i}: {} columns", cols.len());
            };
            [lang, label, kind, body, source].map(|s| s.to_string())
        })
        .collect()
}

#[test]
fn the_corpus_is_labelled_sourced_and_split() {
    let dev = read(
        "rules/shield-examples.tsv",
        "lang\tlabel\tkind\ttext\tsource",
        None,
    );
    let held_out = read(
        "tests/fixtures/shield/corpus.tsv",
        "split\tlang\tlabel\tkind\ttext\tsource",
        Some("held_out"),
    );
    let (mut scam, mut genuine, mut zh) = (0, 0, 0);
    let mut seen = HashSet::new();
    for (i, [lang, label, kind, body, source]) in dev.iter().chain(&held_out).enumerate() {
        assert!(["zh", "en"].contains(&lang.as_str()), "line {i}: {lang}");
        assert!(!kind.is_empty() && !body.trim().is_empty(), "line {i}");
        assert!(source.trim().len() >= 8, "line {i} has no source: {body}");
        assert!(seen.insert(body.clone()), "line {i} repeats: {body}");
        match label.as_str() {
            "scam" => scam += 1,
            "genuine" => genuine += 1,
            other => panic!("line {i}: label {other}"),
        }
        zh += usize::from(lang == "zh");
    }
    let n = dev.len() + held_out.len();
    assert!(
        scam >= 300 && genuine >= 300,
        "{scam} scam, {genuine} genuine"
    );
    assert!(zh * 2 >= n, "{zh} of {n} Chinese");
    // The held-out half was split off once and only ever grows by fresh
    // lines; the development half grows with every documented example the
    // shield learns from (issue 16 added 359, then 812, then 928, then 458), so it
    // is no longer a half. The held-out part stays large enough to measure
    // each language and label by (300 lines, a sixth of the corpus; it grew
    // by 151 fresh lines when the development half passed 2,000, and by 254
    // in stop 29).
    assert!(
        held_out.len() >= 300 && held_out.len() * 6 >= n,
        "{} of {n} held out",
        held_out.len()
    );
}
