//! The scam shield's evaluation corpus is what it says it is: at least 300
//! scam and 300 genuine lines, half or more in Chinese, each with a source,
//! split once into a development and a held-out half.

use std::collections::HashSet;

#[test]
fn the_corpus_is_labelled_sourced_and_split() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/shield/corpus.tsv"
    ))
    .unwrap();
    let mut lines = text.lines().filter(|l| !l.starts_with('#'));
    assert_eq!(lines.next(), Some("split\tlang\tlabel\tkind\ttext\tsource"));
    let (mut scam, mut genuine, mut zh, mut held_out, mut n) = (0, 0, 0, 0, 0);
    let mut seen = HashSet::new();
    for (i, line) in lines.enumerate() {
        let cols: Vec<&str> = line.split('\t').collect();
        let [split, lang, label, kind, body, source] = cols.as_slice() else {
            panic!("line {i}: {} columns", cols.len());
        };
        assert!(["dev", "held_out"].contains(split), "line {i}: {split}");
        assert!(["zh", "en"].contains(lang), "line {i}: {lang}");
        assert!(!kind.is_empty() && !body.trim().is_empty(), "line {i}");
        assert!(source.trim().len() >= 8, "line {i} has no source: {line}");
        assert!(seen.insert(*body), "line {i} repeats: {body}");
        match *label {
            "scam" => scam += 1,
            "genuine" => genuine += 1,
            other => panic!("line {i}: label {other}"),
        }
        zh += usize::from(*lang == "zh");
        held_out += usize::from(*split == "held_out");
        n += 1;
    }
    assert!(
        scam >= 300 && genuine >= 300,
        "{scam} scam, {genuine} genuine"
    );
    assert!(zh * 2 >= n, "{zh} of {n} Chinese");
    assert!(
        held_out * 3 >= n && held_out * 3 <= 2 * n,
        "{held_out} of {n} held out"
    );
}
