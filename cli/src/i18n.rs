//! The CLI's words, in Chinese and English.
//!
//! Errors and warnings: the core says what went wrong as a
//! [`Problem`] (a code and its fields); the sentence comes from the
//! catalogue the desktop app uses too (`ui/src/i18n/problems.json`, one
//! template per code and language), and the CLI adds its own advice — the
//! command to run next — from [`advice`]. Everything else the CLI prints
//! comes from [`Text`], a table with both languages side by side.
//!
//! The language: `--lang`, else the journal's language setting, else the
//! locale (`LC_ALL`, then `LC_MESSAGES`, then `LANG`: `zh*` is Chinese),
//! else English.

use std::sync::OnceLock;

use casebook::error::{Error, Problem};
use serde_json::Value;

/// The languages the CLI speaks: the core's own (also those of exports).
pub use casebook::model::Lang;

/// `zh`, `zh_CN.UTF-8`, `zh-Hans`… are Chinese; `en…`, `C`, `POSIX` English.
pub fn lang_of_tag(tag: &str) -> Option<Lang> {
    let t = tag.trim().to_ascii_lowercase();
    if t.starts_with("zh") || t == "中文" || t == "chinese" {
        Some(Lang::Zh)
    } else if t.starts_with("en") || t == "c" || t == "posix" || t.starts_with("c.") {
        Some(Lang::En)
    } else {
        None
    }
}

/// The locale's language: the first of `LC_ALL`, `LC_MESSAGES`, `LANG`
/// that is set and not empty decides (as POSIX says).
pub fn locale_lang() -> Option<Lang> {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.is_empty())
        .and_then(|v| lang_of_tag(&v))
}

static ASKED: OnceLock<Lang> = OnceLock::new();
static JOURNAL: OnceLock<Lang> = OnceLock::new();
static LOCALE: OnceLock<Lang> = OnceLock::new();

/// The language asked for with `--lang`: it beats everything else.
pub fn set_lang(lang: Lang) {
    let _ = ASKED.set(lang);
}

/// The journal's language setting, once the journal is open.
pub fn set_journal_lang(lang: Lang) {
    let _ = JOURNAL.set(lang);
}

/// The language to speak now: `--lang`, else the journal's setting (once
/// the journal is open), else the locale, else English.
pub fn lang() -> Lang {
    ASKED
        .get()
        .or_else(|| JOURNAL.get())
        .copied()
        .unwrap_or_else(|| *LOCALE.get_or_init(|| locale_lang().unwrap_or(Lang::En)))
}

/// True when the CLI speaks Chinese.
pub fn zh() -> bool {
    lang() == Lang::Zh
}

/// `format!` in the CLI's language: `tr!("English {x}", "中文 {x}")`.
#[macro_export]
macro_rules! tr {
    ($en:literal, $zh:literal $(, $arg:expr)* $(,)?) => {
        if $crate::i18n::zh() { format!($zh $(, $arg)*) } else { format!($en $(, $arg)*) }
    };
}

/// A result line in the CLI's language: `outln!` of `tr!`.
#[macro_export]
macro_rules! trln {
    ($($arg:tt)*) => { $crate::outln!("{}", $crate::tr!($($arg)*)) };
}

/// The catalogue shared with the desktop app.
const CATALOGUE: &str = include_str!("../../ui/src/i18n/problems.json");

fn catalogue() -> &'static Value {
    static C: OnceLock<Value> = OnceLock::new();
    C.get_or_init(|| serde_json::from_str(CATALOGUE).expect("problems.json is valid JSON"))
}

pub fn term(lang: Lang, key: &str) -> Option<&'static str> {
    catalogue()[lang.code()]["terms"][key].as_str()
}

fn plain(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

fn list(lang: Lang, v: &Value) -> String {
    let sep = term(lang, "list_sep").unwrap_or(", ");
    v.as_array()
        .map(|a| a.iter().map(plain).collect::<Vec<_>>().join(sep))
        .unwrap_or_else(|| plain(v))
}

/// One `{name|filter}` placeholder (see `ui/src/i18n/problems.ts`, which
/// does the same for the app).
fn fill(lang: Lang, v: &Value, filter: Option<&str>) -> String {
    match filter {
        None => plain(v),
        Some("term") => {
            let s = plain(v);
            term(lang, &s).map(str::to_string).unwrap_or(s)
        }
        Some("list") => list(lang, v),
        Some("problem") => serde_json::from_value::<Problem>(v.clone())
            .map(|p| problem_in(lang, &p))
            .unwrap_or_default(),
        Some("columns") => {
            if is_empty(v) {
                term(lang, "columns_none").unwrap_or("").to_string()
            } else {
                term(lang, "columns_some")
                    .unwrap_or("{}")
                    .replace("{}", &list(lang, v))
            }
        }
        Some(f) => {
            if let Some(hint) = term(lang, &format!("{f}:{}", plain(v))) {
                hint.to_string()
            } else if is_empty(v) {
                String::new()
            } else {
                match term(lang, f) {
                    Some(t) if t.contains("{}") => t.replace("{}", &list(lang, v)),
                    _ => String::new(),
                }
            }
        }
    }
}

/// Fills a template's `{name}` and `{name|filter}` from the problem's fields.
fn render(lang: Lang, template: &str, fields: &Value) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let Some(j) = rest[i..].find('}') else {
            out.push_str(&rest[i..]);
            return out;
        };
        let inner = &rest[i + 1..i + j];
        let (name, filter) = match inner.split_once('|') {
            Some((n, f)) => (n, Some(f)),
            None => (inner, None),
        };
        out.push_str(&fill(lang, &fields[name], filter));
        rest = &rest[i + j + 1..];
    }
    out.push_str(rest);
    out
}

/// The sentence for a problem in `lang`.
pub fn problem_in(lang: Lang, p: &Problem) -> String {
    let fields = serde_json::to_value(p).unwrap_or(Value::Null);
    match catalogue()[lang.code()]["problems"][p.code()].as_str() {
        Some(t) => render(lang, t, &fields),
        None => p.to_string(),
    }
}

/// The sentence for a problem in the CLI's language.
pub fn problem(p: &Problem) -> String {
    problem_in(lang(), p)
}

/// The `--format csv --map-…` options of the mapping Casebook guesses for
/// these columns, quoted for a shell.
pub fn map_line(columns: &[String]) -> Option<String> {
    let m = casebook::import::guess_for(columns).mapping?;
    let q = |s: &str| format!("'{}'", s.replace('\'', "'\\''"));
    let mut out = format!(
        "--format csv --map-date {} --map-amount {}",
        q(&m.date),
        q(&m.amount)
    );
    for (flag, v) in [
        ("--map-time", &m.time),
        ("--map-currency", &m.currency),
        ("--map-id", &m.id),
        ("--map-counterparty", &m.counterparty),
        ("--map-status", &m.status),
        ("--map-note", &m.note),
        ("--map-direction", &m.direction),
    ] {
        if let Some(v) = v {
            out.push_str(&format!(" {flag} {}", q(v)));
        }
    }
    if m.currency.is_none() {
        out.push_str(" --currency CODE");
    }
    Some(out)
}

/// What to type next, for the problems where the CLI knows a command.
pub fn advice(lang: Lang, p: &Problem) -> Option<String> {
    let zh = lang == Lang::Zh;
    let s = match p {
        Problem::NotFound { what, .. } => match what.as_str() {
            "case" => t(
                zh,
                "运行 `casebook case list` 查看你的案件。",
                "Run `casebook case list` to see your cases.",
            ),
            "official_channel" => t(
                zh,
                "运行 `casebook channel list` 查看官方渠道登记。",
                "Run `casebook channel list` to see the register.",
            ),
            _ => t(
                zh,
                "运行 `casebook case show 案件编号` 查看案件里的记录。",
                "Run `casebook case show CASE_ID` to see the entries of a case.",
            ),
        },
        Problem::InTrash { what, id } => {
            return Some(if zh {
                format!("运行 `casebook {what} restore {id}` 恢复它。")
            } else {
                format!("Restore it with `casebook {what} restore {id}`.")
            });
        }
        Problem::ChannelReportedAsScam { contact_id, .. } => {
            return Some(if zh {
                format!("撤回报告：`casebook contact report-scam {contact_id} --undo`。")
            } else {
                format!(
                    "Take the report back with `casebook contact report-scam {contact_id} --undo`."
                )
            });
        }
        Problem::TxidMissing {} => t(zh, "用 --txid 给出交易号。", "Give it with --txid."),
        Problem::NegativeAmount {} => {
            t(zh, "用 --direction out 表示支出。", "Use --direction out.")
        }
        Problem::FollowUpNeedsDate {} => t(
            zh,
            "用 --follow-up 年-月-日 给出跟进日期。",
            "Give one with --follow-up YYYY-MM-DD.",
        ),
        Problem::StoredFileBad { .. }
        | Problem::BackupFileBad { .. }
        | Problem::FilesDamaged { .. } => t(
            zh,
            "运行 `casebook verify` 检查每个文件。",
            "Run `casebook verify` to check every file.",
        ),
        Problem::RestoreTargetNotEmpty { .. } => t(
            zh,
            "加上 --force 可把原有内容移到一旁后恢复。",
            "Add --force to move what is there aside and restore in its place.",
        ),
        Problem::UnknownLayout { columns, .. } | Problem::MappingNeeded { columns } => {
            return Some(match map_line(columns) {
                Some(line) => {
                    if zh {
                        format!("Casebook 按列名猜测的映射（请先核对）：在同一命令后加上\n  {line}")
                    } else {
                        format!("Casebook's guess from the column names (check it first): run the same command with\n  {line}")
                    }
                }
                None => t(
                    zh,
                    "用 --format csv 导入，并用 --map-date、--map-amount、--map-currency 指定列。",
                    "Import it with --format csv and name the columns with --map-date, --map-amount and --map-currency.",
                )
                .to_string(),
            });
        }
        Problem::DateOrderNeeded { .. } => t(
            zh,
            "加上 --day-first（日在前）或 --month-first（月在前）。",
            "Add --day-first (03/04 = 3 April) or --month-first (03/04 = 4 March).",
        ),
        Problem::ImportHasRejected { .. } | Problem::RowRejected { .. } => t(
            zh,
            "用 --rows 选择要导入的行。",
            "Pick the rows to import with --rows.",
        ),
        Problem::Locked {} => t(
            zh,
            "在提示时输入密码短语，或用 --passphrase-fd 或 CASEBOOK_PASSPHRASE 提供。",
            "Type the passphrase when asked, or give it with --passphrase-fd or CASEBOOK_PASSPHRASE.",
        ),
        Problem::WrongPassphrase {}
        | Problem::KeyFileDamaged { .. }
        | Problem::KeyFileTampered { .. } => t(
            zh,
            "忘记密码短语时：`casebook passphrase reset`（需要恢复密钥）。",
            "Forgotten it? `casebook passphrase reset` (with your recovery key).",
        ),
        Problem::AlreadyProtected {} => t(
            zh,
            "修改密码短语：`casebook passphrase change`。",
            "Change it with `casebook passphrase change`.",
        ),
        Problem::NoHomeDir { .. } => t(zh, "或使用 --data-dir 目录。", "Or pass --data-dir DIR."),
        _ => return None,
    };
    Some(s.to_string())
}

fn t(zh: bool, z: &'static str, e: &'static str) -> &'static str {
    if zh { z } else { e }
}

/// The whole message for an error: the sentence, then the advice.
pub fn error_message(e: &Error) -> String {
    error_message_in(lang(), e)
}

/// [`error_message`] in a given language.
pub fn error_message_in(lang: Lang, e: &Error) -> String {
    let p = e.problem();
    let mut s = problem_in(lang, &p);
    if let Some(a) = advice(lang, &p) {
        if lang == Lang::En {
            s.push(' ');
        }
        s.push_str(&a);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every code the core can send has a sentence in both languages, with
    /// only the placeholders its fields provide; and every term a template
    /// uses as a filter exists in both.
    #[test]
    fn the_catalogue_covers_every_problem_in_both_languages() {
        let c = catalogue();
        for lang in ["en", "zh"] {
            let problems = c[lang]["problems"].as_object().unwrap();
            for (code, fields) in Problem::ALL {
                let t = problems
                    .get(*code)
                    .and_then(Value::as_str)
                    .unwrap_or_else(|| panic!("{lang}: no sentence for {code}"));
                let mut rest = t;
                while let Some(i) = rest.find('{') {
                    let j = rest[i..].find('}').expect("closed placeholder");
                    let inner = &rest[i + 1..i + j];
                    let name = inner.split('|').next().unwrap();
                    assert!(
                        fields.contains(&name),
                        "{lang} {code}: {{{name}}} is not a field of it ({fields:?})"
                    );
                    rest = &rest[i + j + 1..];
                }
                if lang == "zh" {
                    assert!(
                        t.chars().any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch)),
                        "zh {code} has no Chinese: {t}"
                    );
                }
            }
            for code in problems.keys() {
                assert!(
                    Problem::ALL.iter().any(|(c, _)| c == code),
                    "{lang}: {code} is not a problem the core knows"
                );
            }
        }
        let en = c["en"]["terms"].as_object().unwrap();
        let zh = c["zh"]["terms"].as_object().unwrap();
        let mut a: Vec<_> = en.keys().collect();
        let mut b: Vec<_> = zh.keys().collect();
        a.sort();
        b.sort();
        assert_eq!(a, b, "the same terms in both languages");
    }

    #[test]
    fn sentences_are_filled_with_terms_lists_and_nested_problems() {
        let p = Problem::ImportHasRejected {
            count: 2,
            line: 4,
            reason: Box::new(Problem::CellNotAmount {
                value: "abc".into(),
                column: "金额".into(),
            }),
        };
        let zh = problem_in(Lang::Zh, &p);
        assert!(zh.contains("第 4 行"), "{zh}");
        assert!(zh.contains("“金额”列中的“abc”不是金额"), "{zh}");
        let en = problem_in(Lang::En, &p);
        assert!(
            en.contains("line 4: 'abc' in 金额 is not an amount"),
            "{en}"
        );
        let u = Problem::unknown_value("channel", "pigeon", &["chat", "phone"]);
        assert_eq!(
            problem_in(Lang::Zh, &u),
            "“pigeon”不是可用的联系渠道。可用的有：chat、phone。"
        );
        let nf = Problem::NotFound {
            what: "case".into(),
            id: 99,
        };
        assert_eq!(problem_in(Lang::Zh, &nf), "没有编号为 99 的案件。");
        assert_eq!(problem_in(Lang::En, &nf), "There is no case with id 99.");
    }

    #[test]
    fn the_locale_decides_the_language() {
        assert_eq!(lang_of_tag("zh_CN.UTF-8"), Some(Lang::Zh));
        assert_eq!(lang_of_tag("zh_TW"), Some(Lang::Zh));
        assert_eq!(lang_of_tag("en_GB.UTF-8"), Some(Lang::En));
        assert_eq!(lang_of_tag("C.UTF-8"), Some(Lang::En));
        assert_eq!(lang_of_tag("de_DE"), None);
    }
}
