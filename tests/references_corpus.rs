//! Reference numbers found in real-shaped sentences (issue 17):
//! `tests/fixtures/references/corpus.tsv` holds sentences in Chinese and
//! English with the references a person would note, split once into a
//! development part (the rules were tuned on it) and a held-out part
//! (measured, never tuned on). Prints precision and recall per part and
//! language; fails below the floors.
//!
//! `cargo test --test references_corpus -- --nocapture` shows the figures
//! and, with `SHOW_MISSES=1`, the development part's misses.

use std::collections::BTreeMap;

use casebook::references;
use unicode_normalization::UnicodeNormalization;

const CORPUS: &str = include_str!("fixtures/references/corpus.tsv");

#[derive(Default, Clone, Copy)]
struct Count {
    found: usize,
    expected: usize,
    right: usize,
    right_value: usize,
}

impl Count {
    fn add(&mut self, o: Count) {
        self.found += o.found;
        self.expected += o.expected;
        self.right += o.right;
        self.right_value += o.right_value;
    }
    fn precision(&self) -> f64 {
        self.right as f64 / self.found.max(1) as f64
    }
    fn recall(&self) -> f64 {
        self.right as f64 / self.expected.max(1) as f64
    }
}

fn norm(s: &str) -> String {
    s.nfkc().collect::<String>().trim().to_string()
}

fn measure(split: &str, show: bool) -> BTreeMap<String, Count> {
    let mut by: BTreeMap<String, Count> = BTreeMap::new();
    for line in CORPUS.lines().filter(|l| !l.starts_with('#')) {
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 5, "{line}");
        if f[0] != split {
            continue;
        }
        let expected: Vec<(String, String)> = if f[3].trim() == "-" {
            vec![]
        } else {
            f[3].split(" | ")
                .map(|r| {
                    let (k, v) = r.split_once(':').expect("kind:value");
                    (k.to_string(), norm(v))
                })
                .collect()
        };
        let found: Vec<(String, String)> = references::find(f[2])
            .into_iter()
            .map(|r| (r.kind.to_string(), norm(&r.value)))
            .collect();
        let c = Count {
            found: found.len(),
            expected: expected.len(),
            right: found.iter().filter(|x| expected.contains(x)).count(),
            right_value: found
                .iter()
                .filter(|x| expected.iter().any(|e| e.1 == x.1))
                .count(),
        };
        if show && (c.right != c.found || c.right != c.expected) {
            eprintln!(
                "MISS {}\n  expected {expected:?}\n  found    {found:?}",
                f[2]
            );
        }
        by.entry(f[1].to_string()).or_default().add(c);
        by.entry("all".into()).or_default().add(c);
    }
    by
}

#[test]
fn references_are_found_with_the_measured_precision_and_recall() {
    let show = std::env::var_os("SHOW_MISSES").is_some();
    for split in ["dev", "heldout"] {
        let by = measure(split, show && split == "dev");
        for (lang, c) in &by {
            println!(
                "references {split:<8} {lang:<4} precision {:.1}% ({}/{})  recall {:.1}% ({}/{})  value right, kind aside: {}",
                100.0 * c.precision(),
                c.right,
                c.found,
                100.0 * c.recall(),
                c.right,
                c.expected,
                c.right_value
            );
        }
        let all = by["all"];
        assert!(all.expected >= 80, "{split}: too few references");
        assert!(
            all.precision() >= 0.85 && all.recall() >= 0.80,
            "{split}: precision {:.3} recall {:.3}",
            all.precision(),
            all.recall()
        );
    }
}
