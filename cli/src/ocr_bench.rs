//! `casebook bench-ocr`: the text read from a set of screenshots against
//! their true text (issue 17). For each `NN-name.png` the folder holds
//! `NN-name.txt` (the visible text) and `NN-name.refs` (its reference
//! numbers, one a line). Odd-numbered samples are the development part
//! (the preprocessing was chosen on them), even-numbered the held-out part.
//!
//! Prints, per part and size (phone / desktop): character accuracy of the
//! Chinese characters and of the Latin letters and digits (1 − edit
//! distance ÷ length, on each script's characters in reading order), the
//! share of reference numbers whose exact text is in what was read, the
//! share the reference finder offers, and the time per image.

use std::path::Path;
use std::time::Instant;

use casebook::error::{Error, Result};
use casebook::ocr::{Engine, OcrOutcome};

fn cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF)
}

/// Characters of the truth found in what was read, whatever their order
/// (a desktop screenshot's panes are read in another order than the true
/// text lists them; search does not mind).
fn found_anywhere(truth: &[char], read: &[char]) -> (usize, usize) {
    let mut left: std::collections::HashMap<char, usize> = Default::default();
    for c in read {
        *left.entry(*c).or_default() += 1;
    }
    let mut n = 0;
    for c in truth {
        if let Some(k) = left.get_mut(c).filter(|k| **k > 0) {
            *k -= 1;
            n += 1;
        }
    }
    (n, truth.len())
}

fn accuracy(truth: &[char], read: &[char]) -> (usize, usize) {
    let errors = strsim::generic_levenshtein(&truth.to_vec(), &read.to_vec());
    (truth.len().saturating_sub(errors), truth.len())
}

#[derive(Default)]
struct Tally {
    images: usize,
    zh: (usize, usize),
    en: (usize, usize),
    zh_any: (usize, usize),
    en_any: (usize, usize),
    refs: usize,
    refs_exact: usize,
    refs_offered: usize,
    ms: Vec<u128>,
}

impl Tally {
    fn add(&mut self, o: &Tally) {
        self.images += o.images;
        self.zh.0 += o.zh.0;
        self.zh.1 += o.zh.1;
        self.en.0 += o.en.0;
        self.en.1 += o.en.1;
        self.zh_any.0 += o.zh_any.0;
        self.zh_any.1 += o.zh_any.1;
        self.en_any.0 += o.en_any.0;
        self.en_any.1 += o.en_any.1;
        self.refs += o.refs;
        self.refs_exact += o.refs_exact;
        self.refs_offered += o.refs_offered;
        self.ms.extend(&o.ms);
    }

    fn line(&self, label: &str) -> String {
        let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
        let mut ms = self.ms.clone();
        ms.sort();
        let median = ms.get(ms.len() / 2).copied().unwrap_or(0);
        let max = ms.last().copied().unwrap_or(0);
        format!(
            "{label:<18} images {:>3}  zh chars {:5.1}% ({}/{}), in any order {:5.1}%  latin {:5.1}% ({}/{}), in any order {:5.1}%  refs exact {:5.1}% ({}/{})  offered {:5.1}%  ms median {median} max {max}",
            self.images,
            pct(self.zh.0, self.zh.1),
            self.zh.0,
            self.zh.1,
            pct(self.zh_any.0, self.zh_any.1),
            pct(self.en.0, self.en.1),
            self.en.0,
            self.en.1,
            pct(self.en_any.0, self.en_any.1),
            pct(self.refs_exact, self.refs),
            self.refs_exact,
            self.refs,
            pct(self.refs_offered, self.refs),
        )
    }
}

/// Runs the engine over the folder's screenshots and prints the figures.
pub fn run(dir: &Path, show: bool) -> Result<()> {
    let started = Instant::now();
    let mut engine = Engine::new().map_err(|d| {
        Error::invalid(casebook::error::Problem::RulesInvalid {
            which: "OCR engine".into(),
            detail: d,
        })
    })?;
    println!(
        "engine {} loaded in {} ms",
        engine.name,
        started.elapsed().as_millis()
    );
    let mut names: Vec<String> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".png").map(str::to_string))
        .collect();
    names.sort();
    let mut parts: std::collections::BTreeMap<String, Tally> = Default::default();
    for name in &names {
        let bytes = std::fs::read(dir.join(format!("{name}.png")))?;
        let truth = std::fs::read_to_string(dir.join(format!("{name}.txt"))).unwrap_or_default();
        let refs: Vec<String> = std::fs::read_to_string(dir.join(format!("{name}.refs")))
            .unwrap_or_default()
            .lines()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect();
        let t0 = Instant::now();
        let outcome = engine.read(&bytes);
        let ms = t0.elapsed().as_millis();
        let text = match outcome {
            OcrOutcome::Text { text, .. } => text,
            other => {
                println!("{name}: {other:?}");
                String::new()
            }
        };
        let script = |s: &str, f: fn(char) -> bool| s.chars().filter(|c| f(*c)).collect::<Vec<_>>();
        let latin = |c: char| c.is_ascii_alphanumeric();
        let joined = text.replace("-\n", "-");
        let squeezed: String = joined.chars().filter(|c| !c.is_whitespace()).collect();
        let offered: Vec<String> = casebook::references::find(&text)
            .into_iter()
            .map(|f| f.value)
            .collect();
        let mut t = Tally {
            images: 1,
            zh: accuracy(&script(&truth, cjk), &script(&text, cjk)),
            en: accuracy(&script(&truth, latin), &script(&text, latin)),
            zh_any: found_anywhere(&script(&truth, cjk), &script(&text, cjk)),
            en_any: found_anywhere(&script(&truth, latin), &script(&text, latin)),
            refs: refs.len(),
            ms: vec![ms],
            ..Tally::default()
        };
        for r in &refs {
            let r_squeezed: String = r.chars().filter(|c| !c.is_whitespace()).collect();
            if joined.contains(r.as_str()) || squeezed.contains(&r_squeezed) {
                t.refs_exact += 1;
            } else if show {
                println!("  {name}: reference {r} not read exactly");
            }
            if offered
                .iter()
                .any(|o| o.eq_ignore_ascii_case(r.trim_start_matches('#')))
            {
                t.refs_offered += 1;
            }
        }
        let number: u32 = name
            .split('-')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        let split = if number % 2 == 1 { "dev" } else { "heldout" };
        let img = image_size(&bytes);
        let size = if img.1 > img.0 { "phone" } else { "desktop" };
        if show && split == "dev" {
            println!("{}", t.line(name));
        }
        parts.entry(format!("{split} {size}")).or_default().add(&t);
        parts.entry(split.to_string()).or_default().add(&t);
    }
    for (label, t) in &parts {
        println!("{}", t.line(label));
    }
    Ok(())
}

/// Width and height of a PNG (from its IHDR chunk).
fn image_size(png: &[u8]) -> (u32, u32) {
    if png.len() < 24 {
        return (0, 0);
    }
    let be = |i: usize| u32::from_be_bytes([png[i], png[i + 1], png[i + 2], png[i + 3]]);
    (be(16), be(20))
}
