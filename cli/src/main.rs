//! `casebook`: the command-line face of the journal. Parsing lives in
//! `args`, printing in `output`; everything else is the core library.

mod args;
mod help;
mod output;

use std::io::{IsTerminal, Read};
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

use args::{
    CaseCmd, ChannelCmd, Cli, Command, ContactCmd, ContactFields, NoteCmd, PassphraseCmd, TxnCmd,
};
use casebook::cases::CaseFilter;
use casebook::channels::PointKind;
use casebook::contacts::Reference;
use casebook::error::{Error, Problem, Result};
use casebook::evidence::AttachTo;
use casebook::export::letter::LetterTo;
use casebook::export::{ExportFormat, ExportOptions};
use casebook::forms::{CaseForm, ContactForm, ReferenceForm, SearchForm, TransactionForm};
use casebook::import::{ColumnMapping, Format, ImportOptions, RowFilterForm, Selection};
use casebook::model::{Category, Channel, Status};
use casebook::time::{At, today};
use casebook::{Journal, db, vault};
use casebook_cli::{i18n, tr};
use output::Out;
use zeroize::Zeroizing;

/// The environment variables that may carry a secret.
const SECRET_VARS: [&str; 3] = [
    vault::PASSPHRASE_ENV,
    "CASEBOOK_NEW_PASSPHRASE",
    "CASEBOOK_RECOVERY_KEY",
];

/// Secrets this process was given: read from the environment once, at the
/// start, then removed from it (so nothing this process starts inherits
/// them, and no later code can read them there), and the lines of
/// `--passphrase-fd`.
#[derive(Default)]
struct Secrets {
    env: Vec<(&'static str, Zeroizing<String>)>,
    fd_lines: Option<std::collections::VecDeque<Zeroizing<String>>>,
}

static SECRETS: std::sync::Mutex<Option<Secrets>> = std::sync::Mutex::new(None);

/// Takes the secret variables out of the environment. Called first thing
/// in `main`, while the process has one thread.
#[allow(unsafe_code)]
fn take_secret_vars() -> Vec<(&'static str, Zeroizing<String>)> {
    let mut out = Vec::new();
    for var in SECRET_VARS {
        if let Some(v) = std::env::var_os(var) {
            out.push((var, Zeroizing::new(v.to_string_lossy().into_owned())));
            // SAFETY: called at the start of main, before any other thread
            // exists; nothing reads the environment concurrently.
            unsafe { std::env::remove_var(var) };
        }
    }
    // Tesseract's OpenMP threads spin on a busy machine: one thread reads a
    // screenshot ten times faster here (measured: 4.7 s → 0.5 s). A user
    // who sets the variable keeps theirs.
    if std::env::var_os("OMP_THREAD_LIMIT").is_none() {
        // SAFETY: as above, at the start of main with one thread.
        unsafe { std::env::set_var("OMP_THREAD_LIMIT", "1") };
    }
    out
}

/// The lines of the file descriptor `fd` (`/dev/fd/N`: no unsafe code).
fn read_fd_lines(fd: u32) -> Result<std::collections::VecDeque<Zeroizing<String>>> {
    let mut text = Zeroizing::new(String::new());
    std::fs::File::open(format!("/dev/fd/{fd}"))
        .and_then(|mut f| f.read_to_string(&mut text))
        .map_err(|e| {
            Error::invalid(Problem::PassphraseFdUnreadable {
                fd: fd.into(),
                detail: e.to_string(),
            })
        })?;
    Ok(text
        .lines()
        .map(|l| Zeroizing::new(l.trim_end_matches('\r').to_string()))
        .collect())
}

fn main() -> ExitCode {
    let env_secrets = take_secret_vars();
    let cli = parse_args();
    if let Some(tag) = &cli.lang {
        match i18n::lang_of_tag(tag) {
            Some(l) => i18n::set_lang(l),
            None => {
                let p = Problem::unknown_value("language", tag, &["zh", "en"]);
                eprintln!("casebook: {}", i18n::problem(&p));
                return ExitCode::from(2);
            }
        }
    }
    let out = Out {
        json: cli.json,
        color: std::io::stdout().is_terminal(),
    };
    let fd_lines = match cli.passphrase_fd.map(read_fd_lines).transpose() {
        Ok(lines) => lines,
        Err(err) => {
            eprintln!("casebook: {}", i18n::error_message(&err));
            return ExitCode::from(2);
        }
    };
    *SECRETS.lock().unwrap_or_else(|e| e.into_inner()) = Some(Secrets {
        env: env_secrets,
        fd_lines,
    });
    let result = run(cli, &out);
    casebook_cli::term::flush();
    if std::env::var_os(casebook_cli::bench::PEAK_RSS_ENV).is_some()
        && let Some(peak) = casebook_cli::bench::peak_rss_bytes()
    {
        eprintln!("peak-rss-bytes {peak}");
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("casebook: {}", i18n::error_message(&err));
            ExitCode::from(if err.is_bad_input() { 2 } else { 1 })
        }
    }
}

/// The language is chosen before the arguments are parsed (the help speaks
/// it too): `--lang` as typed, else the journal's setting (`--data-dir` as
/// typed or CASEBOOK_DATA_DIR; a protected journal's is read once it is
/// unlocked), else the locale. A `--lang` that is not a language is
/// refused once parsed.
fn choose_lang() {
    let args: Vec<String> = std::env::args().collect();
    let value_of = |flag: &str| {
        args.iter().enumerate().find_map(|(i, a)| {
            a.strip_prefix(&format!("{flag}="))
                .map(str::to_string)
                .or_else(|| (a == flag).then(|| args.get(i + 1).cloned()).flatten())
        })
    };
    if let Some(l) = value_of("--lang").and_then(|v| i18n::lang_of_tag(&v)) {
        i18n::set_lang(l);
    }
    let dir = value_of("--data-dir").map(std::path::PathBuf::from);
    if let Some(l) = db::resolve_data_dir(dir.as_deref())
        .ok()
        .and_then(|d| casebook::settings::peek(&d))
        .and_then(|s| s.language)
    {
        i18n::set_journal_lang(l);
    }
}

/// The arguments, with the help in the user's language.
fn parse_args() -> Cli {
    choose_lang();
    let mut cmd = Cli::command();
    if i18n::zh() {
        cmd = help::in_chinese(cmd);
    }
    Cli::from_arg_matches(&cmd.get_matches()).unwrap_or_else(|e| e.exit())
}

fn open(cli_dir: Option<&std::path::Path>) -> Result<Journal> {
    let dir = db::resolve_data_dir(cli_dir)?;
    let j = if vault::KeyFile::load(&dir)?.is_none() {
        Journal::open_dir(&dir)?
    } else {
        let passphrase = secret(vault::PASSPHRASE_ENV, &tr!("Passphrase: ", "密码短语："))?;
        let key = casebook::protect::unlock(&dir, &passphrase)?;
        Journal::unlock_dir(&dir, &key)?
    };
    // The journal's language setting counts unless --lang was given.
    if let Some(l) = j.settings()?.language {
        i18n::set_journal_lang(l);
    }
    Ok(j)
}

/// A secret given without the terminal: the next line of
/// `--passphrase-fd`, else what the variable `var` held at start.
fn given_secret(var: &str) -> Result<Option<Zeroizing<String>>> {
    let mut g = SECRETS.lock().unwrap_or_else(|e| e.into_inner());
    let s = g.get_or_insert_with(Secrets::default);
    if let Some(lines) = &mut s.fd_lines {
        return lines
            .pop_front()
            .map(Some)
            .ok_or_else(|| Error::invalid(Problem::PassphraseFdShort {}));
    }
    Ok(s.env
        .iter()
        .find(|(v, _)| *v == var)
        .map(|(_, s)| s.clone()))
}

/// A secret from `--passphrase-fd` or the environment variable `var`, else
/// typed at the terminal (not echoed). Never printed, never logged.
fn secret(var: &str, prompt: &str) -> Result<Zeroizing<String>> {
    if let Some(v) = given_secret(var)? {
        return Ok(v);
    }
    if !std::io::stdin().is_terminal() {
        return Err(Error::Locked);
    }
    casebook_cli::term::flush();
    Ok(Zeroizing::new(rpassword::prompt_password(prompt)?))
}

/// A new passphrase: from `--passphrase-fd` or CASEBOOK_NEW_PASSPHRASE, or
/// typed twice.
fn new_secret() -> Result<Zeroizing<String>> {
    if let Some(v) = given_secret("CASEBOOK_NEW_PASSPHRASE")? {
        return Ok(v);
    }
    let a = secret(
        "CASEBOOK_NEW_PASSPHRASE",
        &tr!("New passphrase: ", "新密码短语："),
    )?;
    let b = Zeroizing::new(rpassword::prompt_password(tr!(
        "Type it again: ",
        "再输入一次："
    ))?);
    if *a != *b {
        return Err(Error::invalid(Problem::PassphrasesDiffer {}));
    }
    Ok(a)
}

fn passphrase_cmd(dir: Option<&std::path::Path>, cmd: PassphraseCmd, out: &Out) -> Result<()> {
    let dir = db::resolve_data_dir(dir)?;
    match cmd {
        PassphraseCmd::Status => out.protection(&vault::Protection::of(&dir)?),
        PassphraseCmd::Set => {
            let new = new_secret()?;
            let protected = casebook::protect::protect(&dir, &new)?;
            out.recovery_key(&protected.recovery, true)
        }
        PassphraseCmd::Change => {
            let old = secret(
                vault::PASSPHRASE_ENV,
                &tr!("Current passphrase: ", "当前密码短语："),
            )?;
            casebook::protect::unlock(&dir, &old)?;
            let new = new_secret()?;
            casebook::protect::change_passphrase(&dir, &old, &new)?;
            out.done(&tr!(
                "The passphrase was changed. Your recovery key stays the same.",
                "密码短语已修改。恢复密钥不变。"
            ))
        }
        PassphraseCmd::Reset => {
            let recovery = secret(
                "CASEBOOK_RECOVERY_KEY",
                &tr!("Recovery key: ", "恢复密钥："),
            )?;
            let new = new_secret()?;
            casebook::protect::reset_passphrase(&dir, &recovery, &new)?;
            out.done(&tr!(
                "A new passphrase is set. Your recovery key stays the same.",
                "已设置新的密码短语。恢复密钥不变。"
            ))
        }
        PassphraseCmd::RecoveryKey => {
            let p = secret(vault::PASSPHRASE_ENV, &tr!("Passphrase: ", "密码短语："))?;
            let key = casebook::protect::unlock(&dir, &p)?;
            out.recovery_key(&vault::new_recovery_key(&dir, &key)?, false)
        }
        PassphraseCmd::ChangeKey => {
            let p = secret(vault::PASSPHRASE_ENV, &tr!("Passphrase: ", "密码短语："))?;
            let protected = casebook::protect::change_data_key(&dir, &p)?;
            if !out.json {
                out.done(&tr!(
                    "The journal and every file are now encrypted under a new data key; the old key and the old recovery key no longer open it. (A backup made before keeps the key and passphrase it was made with.)",
                    "日志和所有文件现已用新的数据密钥加密；旧密钥和旧恢复密钥都打不开了。（之前做的备份仍使用当时的密钥和密码短语。）"
                ))?;
            }
            out.recovery_key(&protected.recovery, false)
        }
        PassphraseCmd::IdleLock { minutes } => {
            let p = secret(vault::PASSPHRASE_ENV, &tr!("Passphrase: ", "密码短语："))?;
            let key = casebook::protect::unlock(&dir, &p)?;
            vault::set_idle_lock_minutes(&dir, &key, minutes)?;
            out.done(&if minutes == 0 {
                tr!(
                    "The app will lock only when you lock it.",
                    "应用只在你手动锁定时锁定。"
                )
            } else {
                tr!(
                    "The app will lock after {} minutes without use.",
                    "应用将在闲置 {} 分钟后锁定。",
                    minutes
                )
            })
        }
    }
}

fn opt<T>(v: Option<&str>, f: impl FnOnce(&str) -> Result<T>) -> Result<Option<T>> {
    v.map(f).transpose()
}

/// `-` means: read the text from standard input (for long pasted transcripts).
fn text_arg(v: Option<String>) -> Result<Option<String>> {
    match v.as_deref() {
        Some("-") => {
            let mut s = String::new();
            std::io::stdin().read_to_string(&mut s)?;
            Ok(Some(s))
        }
        _ => Ok(v),
    }
}

fn run(cli: Cli, out: &Out) -> Result<()> {
    let dir = cli.data_dir.as_deref();
    match cli.command {
        Command::Case(cmd) => case_cmd(dir, cmd, out),
        Command::Contact(cmd) => contact_cmd(dir, cmd, out),
        Command::Note(cmd) => note_cmd(dir, cmd, out),
        Command::Txn(cmd) => txn_cmd(dir, cmd, out),
        Command::Attach {
            case_id,
            contact_id,
            txn_id,
            files,
            no_ocr,
        } => {
            let mut j = open(dir)?;
            let to = AttachTo {
                case_id,
                contact_id,
                transaction_id: txn_id,
            };
            let mut attached = Vec::new();
            for f in &files {
                attached.push(j.attach_path(to, f)?);
            }
            out.attachments(&attached)?;
            if !no_ocr && attached.iter().any(|a| a.is_image()) {
                // With --json the output stays the one list of files; the
                // reading is told on standard error.
                read_images(&mut j, out, out.json)?;
            }
            Ok(())
        }
        Command::Ocr { retry } => {
            let mut j = open(dir)?;
            if retry {
                j.requeue_unavailable_ocr()?;
            }
            read_images(&mut j, out, false)
        }
        Command::Channel(cmd) => channel_cmd(dir, cmd, out),
        Command::WriteStream {
            case_id,
            tag,
            seed,
            ops,
        } => {
            let mut j = open(dir)?;
            casebook_cli::stress::write_stream(&mut j, case_id, &tag, seed, ops, |s| {
                casebook_cli::outln!("{s}");
                casebook_cli::term::flush();
            })
        }
        Command::Scan { case_id } => out.scan(&open(dir)?.scan(case_id)?),
        Command::Verify => {
            let report = open(dir)?.verify_evidence()?;
            out.verify(&report)?;
            if report.ok() {
                Ok(())
            } else {
                Err(Error::Conflict(Problem::FilesDamaged {
                    count: report.damaged.len() as u64,
                }))
            }
        }
        Command::Export {
            case_id,
            format,
            output,
            redact: _,
            no_redact,
        } => {
            let format = ExportFormat::parse(&format)?;
            let opts = ExportOptions {
                lang: i18n::lang(),
                redact: !no_redact,
                exported_at: At::now(),
            };
            let bytes = open(dir)?.export_case(case_id, format, opts)?;
            write_out(output.as_deref(), &bytes, out)
        }
        Command::VerifyExport { file, files } => {
            let bytes = std::fs::read(&file)?;
            let check = casebook::export::verify_export(&bytes, files.as_deref())?;
            out.export_check(&check)?;
            if check.ok() {
                Ok(())
            } else {
                Err(Error::Conflict(Problem::ExportChanged {
                    file: file.display().to_string(),
                    count: check.problems.len() as u64,
                }))
            }
        }
        Command::Letter {
            case_id,
            to,
            output,
        } => {
            let to = LetterTo::parse(&to)?;
            let lang = i18n::lang();
            let letter = open(dir)?.complaint_letter(case_id, to, lang)?;
            write_out(output.as_deref(), letter.text.as_bytes(), out)
        }
        Command::Backup { output } => out.backup(&open(dir)?.backup(&output)?),
        Command::Restore { file, force } => {
            let data_dir = db::resolve_data_dir(dir)?;
            let env = given_secret(vault::PASSPHRASE_ENV)?;
            let report = match casebook::backup::restore(
                &file,
                &data_dir,
                force,
                env.as_deref().map(|s| s.as_str()),
            ) {
                Err(Error::Locked) if env.is_none() => {
                    let p = secret(
                        vault::PASSPHRASE_ENV,
                        &tr!(
                            "Passphrase of the backed-up journal: ",
                            "备份中日志的密码短语："
                        ),
                    )?;
                    casebook::backup::restore(&file, &data_dir, force, Some(&p))?
                }
                r => r?,
            };
            out.restore(&report)
        }
        Command::Passphrase(cmd) => passphrase_cmd(dir, cmd, out),
        Command::Search(a) => {
            // Validate everything before touching the journal.
            let q = SearchForm {
                text: a.query.join(" "),
                case_id: a.case_id,
                channel: a.channel,
                kind: a.kind,
                status: a.status,
                provider: a.provider,
                from: a.from,
                to: a.to,
                limit: Some(a.limit),
            }
            .parse()?;
            let hits = open(dir)?.search(&q)?;
            out.hits(&hits)
        }
        Command::Due {
            within,
            notify,
            dry_run,
            snooze,
            until,
            unsnooze,
        } => {
            let mut j = open(dir)?;
            if let Some(item) = snooze {
                let day = casebook::time::parse_date("until", until.as_deref().unwrap_or(""))?;
                j.snooze_reminder(&item, Some(day))?;
                casebook_cli::trln!(
                    "No reminder about {} before {}.",
                    "{} 在 {} 之前不再提醒。",
                    item,
                    day
                );
                return Ok(());
            }
            if let Some(item) = unsnooze {
                j.snooze_reminder(&item, None)?;
                casebook_cli::trln!("{}: snooze removed.", "{}：已取消稍后提醒。", item);
                return Ok(());
            }
            if notify {
                return notify_due(&mut j, out, dry_run);
            }
            let items = j.due(today(), within)?;
            out.due(&items)
        }
        Command::Providers => out.providers(&open(dir)?.providers()?),
        Command::Settings { name, value } => {
            let mut j = open(dir)?;
            let value = value.as_deref().filter(|v| *v != "auto");
            let s = match name.as_deref() {
                None => j.settings()?,
                Some("language" | "lang") => {
                    j.set_language(value.map(casebook::model::Lang::parse).transpose()?)?
                }
                Some("theme") => {
                    j.set_theme(value.map(casebook::settings::Theme::parse).transpose()?)?
                }
                Some(name @ ("reminders" | "quiet-hours" | "reminder-kinds")) => {
                    let mut r = j.settings()?.reminders;
                    reminder_setting(&mut r, name, value.unwrap_or("auto"))?;
                    j.set_reminders(&r)?
                }
                Some(other) => {
                    return Err(Error::invalid(Problem::unknown_value(
                        "setting",
                        other,
                        &[
                            "language",
                            "theme",
                            "reminders",
                            "quiet-hours",
                            "reminder-kinds",
                        ],
                    )));
                }
            };
            out.settings(&s)
        }
        Command::Info => {
            let data_dir = db::resolve_data_dir(dir)?;
            out.info(&data_dir, Journal::sqlite_version(), db::schema_version())
        }
        Command::BenchExport {
            contacts,
            backup_contacts,
            attach_mb,
        } => {
            let tmp = tempfile::tempdir()?;
            let exe = std::env::current_exe()?;
            let r = casebook_cli::bench::run_export(
                tmp.path(),
                contacts,
                backup_contacts,
                attach_mb,
                Some(&exe),
            )?;
            out.bench_export(&r)
        }
        Command::BenchOcr { dir, show_dev } => casebook_cli::ocr_bench::run(&dir, show_dev),
        Command::BenchShield {
            corpus,
            rules,
            scripts,
            examples,
            show_dev,
        } => {
            let r = casebook_cli::bench::run_shield(
                &corpus,
                rules.as_deref(),
                scripts.as_deref(),
                examples.as_deref(),
                show_dev,
            )?;
            out.bench_shield(&r)
        }
        Command::BenchStatements { dir, rows } => {
            let r = casebook_cli::bench::run_statements(&dir, rows)?;
            out.bench_statements(&r)
        }
        Command::BenchFiles { rows, attach_mb } => {
            let tmp = tempfile::tempdir()?;
            let r = casebook_cli::bench::run_files(tmp.path(), rows, attach_mb)?;
            out.bench_files(&r)
        }
        Command::Bench {
            contacts,
            dir: bench_dir,
        } => {
            let tmp;
            let path = match bench_dir {
                Some(p) => p,
                None => {
                    tmp = tempfile::tempdir()?;
                    tmp.path().to_path_buf()
                }
            };
            eprintln!(
                "casebook bench: building {contacts} contacts in {}",
                path.display()
            );
            let report = casebook_cli::bench::run(&path, contacts, |line| eprintln!("{line}"))?;
            out.bench(&report)
        }
        Command::BenchCrypto { contacts, rows } => {
            let tmp = tempfile::tempdir()?;
            let r = casebook_cli::bench::run_crypto(tmp.path(), contacts, rows, |line| {
                eprintln!("{line}")
            })?;
            out.bench_crypto(&r)
        }
    }
}

/// Writes to the file (atomically) or to standard output.
fn write_out(path: Option<&std::path::Path>, bytes: &[u8], out: &Out) -> Result<()> {
    use std::io::Write;
    match path {
        Some(p) => {
            casebook::export::save(p, bytes)?;
            out.wrote(p, bytes.len())
        }
        None => {
            std::io::stdout().write_all(bytes)?;
            Ok(())
        }
    }
}

fn case_cmd(dir: Option<&std::path::Path>, cmd: CaseCmd, out: &Out) -> Result<()> {
    match cmd {
        CaseCmd::New(a) => {
            let new = CaseForm {
                title: a.title,
                provider: a.provider,
                provider_kind: a.provider_kind,
                category: a.category,
                amount: a.amount,
                currency: a.currency,
                deadline: a.deadline,
                desired_outcome: a.outcome,
                summary: a.summary,
                tags: a.tags,
                opened_at: a.opened,
                checklist_done: Vec::new(),
            }
            .parse()?;
            let case = open(dir)?.create_case(new)?;
            out.case_created(&case)
        }
        CaseCmd::List {
            status,
            category,
            provider,
        } => {
            let filter = CaseFilter {
                status: opt(status.as_deref(), Status::parse)?,
                category: opt(category.as_deref(), Category::parse)?,
                provider,
            };
            out.cases(&open(dir)?.list_cases(&filter)?)
        }
        CaseCmd::Show { id } => out.case_detail(&open(dir)?.case_detail(id)?),
        CaseCmd::Check { id, item, undo } => {
            out.case_created(&open(dir)?.set_checklist_item(id, item.trim(), !undo)?)
        }
        CaseCmd::Escalation {
            id,
            route,
            first_complaint,
        } => out.case_created(&open(dir)?.set_case_escalation(
            id,
            route.as_deref(),
            first_complaint.as_deref(),
        )?),
        CaseCmd::Routes => out.routes(casebook::escalation::Routes::builtin()),
        CaseCmd::Status { id, status } => {
            let status = Status::parse(&status)?;
            out.case_created(&open(dir)?.set_case_status(id, status)?)
        }
    }
}

fn references(refs: &[String]) -> Result<Vec<Reference>> {
    refs.iter().map(|r| Reference::parse(r)).collect()
}

/// The contact flags as the app's contact form (one shape for both faces:
/// `contact add` parses it whole, `contact edit` as a change).
fn contact_form(f: ContactFields) -> Result<ContactForm> {
    let references = references(&f.refs)?
        .into_iter()
        .map(|r| ReferenceForm {
            kind: r.kind.key().to_string(),
            value: r.value,
        })
        .collect();
    Ok(ContactForm {
        at: f.at,
        channel: f.channel,
        direction: f.direction,
        via: f.via,
        agent: f.agent,
        asked: text_arg(f.asked)?,
        reply: text_arg(f.reply)?,
        outcome: f.outcome,
        references,
        follow_up: f.follow_up,
        promise: f.promise,
        duration: f.duration,
    })
}

/// Reads the text of the screenshots waiting for it, saying how it goes.
fn read_images(j: &mut Journal, out: &Out, summary_on_stderr: bool) -> Result<()> {
    let waiting = j.ocr_progress()?.pending;
    let done = |j: &Journal, detail: Option<&str>| -> Result<()> {
        if summary_on_stderr {
            let p = j.ocr_progress()?;
            eprintln!(
                "screenshots: {} read, {} waiting, {} failed, {} waiting for an engine{}",
                p.done,
                p.pending,
                p.failed,
                p.unavailable,
                detail.map(|d| format!(" ({d})")).unwrap_or_default()
            );
            Ok(())
        } else {
            out.ocr_done(&j.ocr_progress()?, detail)
        }
    };
    if waiting == 0 {
        return done(j, None);
    }
    let mut engine = match casebook::ocr::Engine::new() {
        Ok(e) => e,
        Err(detail) => {
            while let Some((id, _)) = j.next_ocr_job()? {
                j.record_ocr(
                    id,
                    casebook::ocr::OcrOutcome::Unavailable {
                        detail: detail.clone(),
                    },
                )?;
            }
            return out.ocr_done(&j.ocr_progress()?, Some(&detail));
        }
    };
    let mut n = 0;
    j.read_waiting_images(&mut engine, |id, outcome| {
        n += 1;
        out.ocr_step(n, waiting, id, outcome);
    })?;
    done(j, None)
}

/// The references the user chose: those given with `--ref`, and with
/// `--all-refs` every one found.
fn chosen_refs(
    choice: &args::RefChoice,
    found: &[casebook::references::FoundReference],
) -> Result<Vec<Reference>> {
    let mut refs = choice
        .refs
        .iter()
        .map(|r| Reference::parse(r))
        .collect::<Result<Vec<_>>>()?;
    if choice.all_refs {
        for f in found {
            if !refs.iter().any(|r| r.value.eq_ignore_ascii_case(&f.value)) {
                refs.push(f.reference());
            }
        }
    }
    Ok(refs)
}

fn contact_cmd(dir: Option<&std::path::Path>, cmd: ContactCmd, out: &Out) -> Result<()> {
    match cmd {
        ContactCmd::Add(a) => {
            let input = contact_form(a.fields)?.parse()?;
            let mut j = open(dir)?;
            let contact = j.add_contact(a.case_id, input)?;
            out.contact_saved(&tr!("Logged", "已记录"), &contact)?;
            out.entry_warnings(&j.scan(Some(contact.case_id))?, "contact", contact.id)
        }
        ContactCmd::Edit(a) => {
            let form = contact_form(a.fields)?;
            let refs_given = !form.references.is_empty();
            let mut patch = form.patch()?;
            if a.follow_up_done {
                patch.follow_up_done = Some(true);
            } else if a.follow_up_open {
                patch.follow_up_done = Some(false);
            }
            if a.clear_refs {
                if refs_given {
                    return Err(Error::invalid(Problem::RefsClearAndAdd {}));
                }
                patch.references = Some(Vec::new());
            }
            let contact = open(dir)?.edit_contact(a.id, patch)?;
            out.contact_saved(&tr!("Saved", "已保存"), &contact)
        }
        ContactCmd::Show { id } => {
            out.contact_saved(&tr!("Contact", "联系记录"), &open(dir)?.contact(id)?)
        }
        ContactCmd::History { id } => out.history(&open(dir)?.contact_history(id)?),
        ContactCmd::Delete { id } => out.contact_saved(
            &tr!("Moved to the trash", "已移到回收站"),
            &open(dir)?.delete_contact(id)?,
        ),
        ContactCmd::Restore { id } => {
            out.contact_saved(&tr!("Restored", "已恢复"), &open(dir)?.restore_contact(id)?)
        }
        ContactCmd::Trash => out.trash(&open(dir)?.trashed_contacts()?),
        ContactCmd::FromEmail(a) => {
            let bytes = std::fs::read(&a.file)
                .map_err(|e| casebook::error::file_error("read", &a.file, &e))?;
            let email = casebook::mail::read(&bytes)?;
            let refs = chosen_refs(&a.refs, &email.references)?;
            if a.dry_run {
                return out.email_preview(&email, &email.to_input(At::now(), refs));
            }
            let name = a
                .file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "message.eml".into());
            let mut j = open(dir)?;
            let (contact, attachment) = j.add_contact_from_email(a.case_id, &name, &bytes, refs)?;
            let offered = j.suggested_references(contact.id)?;
            if out.json {
                // One JSON document: the contact, its file, what is offered.
                return output::print_json(&serde_json::json!({
                    "contact": contact,
                    "attachment": attachment,
                    "offered_references": offered,
                }));
            }
            out.contact_saved(&tr!("Logged", "已记录"), &contact)?;
            out.done(&tr!(
                "The e-mail is kept as file #{} of this contact.",
                "这封邮件已作为这条联系记录的文件 #{} 保存。",
                attachment.id
            ))?;
            out.offered_refs(contact.id, &offered)?;
            out.entry_warnings(&j.scan(Some(contact.case_id))?, "contact", contact.id)
        }
        ContactCmd::FromChat(a) => {
            let text = match a.file.as_str() {
                "-" => text_arg(Some("-".into()))?.unwrap_or_default(),
                f => {
                    let bytes = std::fs::read(f).map_err(|e| {
                        casebook::error::file_error("read", std::path::Path::new(f), &e)
                    })?;
                    casebook::evidence::decode_text(&bytes).unwrap_or_default()
                }
            };
            let chat = casebook::transcript::split(&text, today());
            let refs = chosen_refs(&a.refs, &chat.references)?;
            let mut input = chat.to_input(&text, Channel::parse(&a.channel)?, At::now(), refs);
            if let Some(via) = a.via {
                input.via = via;
            }
            if a.dry_run {
                return out.transcript(&chat);
            }
            let mut j = open(dir)?;
            let contact = j.add_contact(a.case_id, input)?;
            let offered = j.suggested_references(contact.id)?;
            if out.json {
                return output::print_json(&serde_json::json!({
                    "contact": contact,
                    "transcript": chat,
                    "offered_references": offered,
                }));
            }
            out.transcript(&chat)?;
            out.contact_saved(&tr!("Logged", "已记录"), &contact)?;
            out.offered_refs(contact.id, &offered)?;
            out.entry_warnings(&j.scan(Some(contact.case_id))?, "contact", contact.id)
        }
        ContactCmd::Refs { id } => out.offered_refs(id, &open(dir)?.suggested_references(id)?),
        ContactCmd::ReportScam { id, undo } => {
            let mut j = open(dir)?;
            j.report_scam(id, !undo)?;
            out.done(&if undo {
                tr!(
                    "Contact #{} is no longer marked as a scam.",
                    "联系记录 #{} 不再标记为诈骗。",
                    id
                )
            } else {
                tr!(
                    "Contact #{} is marked as a scam: its number or address is flagged wherever it is used again.",
                    "联系记录 #{} 已标记为诈骗：它的号码或地址再次出现时都会被提醒。",
                    id
                )
            })
        }
    }
}

fn channel_cmd(dir: Option<&std::path::Path>, cmd: ChannelCmd, out: &Out) -> Result<()> {
    match cmd {
        ChannelCmd::Add {
            provider,
            kind,
            verified_how,
            value,
        } => {
            let kind = PointKind::parse(&kind)?;
            let c = open(dir)?.add_official_channel(&provider, kind, &value, &verified_how)?;
            out.official_channels(std::slice::from_ref(&c))
        }
        ChannelCmd::List => out.official_channels(&open(dir)?.official_channels()?),
        ChannelCmd::Remove { id } => {
            open(dir)?.remove_official_channel(id)?;
            out.done(&tr!(
                "Contact point #{} is no longer in the register.",
                "联系方式 #{} 已从登记中移除。",
                id
            ))
        }
        ChannelCmd::Check {
            case_id,
            channel,
            value,
        } => {
            let channel = Channel::parse(&channel)?;
            out.flags(&open(dir)?.check_channel(case_id, None, channel, &value)?)
        }
    }
}

fn note_cmd(dir: Option<&std::path::Path>, cmd: NoteCmd, out: &Out) -> Result<()> {
    match cmd {
        NoteCmd::Add { case_id, at, text } => {
            let at = match at.as_deref() {
                Some(s) => At::parse("--at", s)?,
                None => At::now(),
            };
            let text = text_arg(Some(text))?.unwrap_or_default();
            out.note(
                &tr!("Noted", "已记下"),
                &open(dir)?.add_note(case_id, at, &text)?,
            )
        }
        NoteCmd::Edit { id, at, text } => {
            let at = opt(at.as_deref(), |s| At::parse("--at", s))?;
            let text = text_arg(text)?;
            out.note(
                &tr!("Saved", "已保存"),
                &open(dir)?.edit_note(id, at, text.as_deref())?,
            )
        }
        NoteCmd::History { id } => out.history(&open(dir)?.note_history(id)?),
        NoteCmd::Delete { id } => out.note(
            &tr!("Moved to the trash", "已移到回收站"),
            &open(dir)?.delete_note(id)?,
        ),
        NoteCmd::Restore { id } => {
            out.note(&tr!("Restored", "已恢复"), &open(dir)?.restore_note(id)?)
        }
    }
}

fn txn_cmd(dir: Option<&std::path::Path>, cmd: TxnCmd, out: &Out) -> Result<()> {
    match cmd {
        TxnCmd::Add(a) => {
            let input = TransactionForm {
                txid: a.txid,
                at: a.at,
                amount: a.amount,
                currency: a.currency,
                direction: a.direction,
                counterparty: Some(a.counterparty),
                method: Some(a.method),
                status: Some(a.status),
                note: Some(a.note),
            }
            .parse()?;
            out.transaction(
                &tr!("Recorded", "已记录"),
                &open(dir)?.add_transaction(a.case_id, input)?,
            )
        }
        TxnCmd::Delete { id } => out.transaction(
            &tr!("Moved to the trash", "已移到回收站"),
            &open(dir)?.delete_transaction(id)?,
        ),
        TxnCmd::Restore { id } => out.transaction(
            &tr!("Restored", "已恢复"),
            &open(dir)?.restore_transaction(id)?,
        ),
        TxnCmd::Import(a) => txn_import(dir, *a, out),
        TxnCmd::Mappings => out.mappings(&open(dir)?.mappings()?),
    }
}

fn txn_import(dir: Option<&std::path::Path>, a: args::TxnImport, out: &Out) -> Result<()> {
    let mut j = open(dir)?;
    let format = Format::parse(&a.format)?;
    let typed = ColumnMapping {
        date: a.map_date.clone().unwrap_or_default(),
        time: a.map_time.clone(),
        amount: a.map_amount.clone().unwrap_or_default(),
        currency: a.map_currency.clone(),
        fixed_currency: a.currency.clone(),
        id: a.map_id.clone(),
        counterparty: a.map_counterparty.clone(),
        status: a.map_status.clone(),
        note: a.map_note.clone(),
        direction: a.map_direction.clone(),
        day_first: a.day_first,
        utc: false,
    };
    let mapping = match (&a.mapping, a.map_date.is_some() || a.map_amount.is_some()) {
        (Some(name), _) => Some(j.mapping(name)?),
        (None, true) => Some(typed),
        (None, false) => None,
    };
    let format = if mapping.is_some() && format.is_none() {
        Some(Format::Csv)
    } else {
        format
    };
    let meta =
        std::fs::metadata(&a.file).map_err(|e| casebook::error::file_error("open", &a.file, &e))?;
    // The file's own date, for dates it writes without a year.
    let made_on = meta
        .modified()
        .ok()
        .map(|t| chrono::DateTime::<chrono::Local>::from(t).date_naive());
    let opts = ImportOptions {
        format,
        mapping: mapping.clone(),
        offset_secs: None,
        day_first: match (a.day_first, a.month_first) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        },
        made_on,
    };
    casebook::import::sheet::check_size(meta.len())?;
    let bytes = std::fs::read(&a.file)?;
    let mut st = j.preview_statement(a.case_id, &bytes, &opts)?;
    let filter = RowFilterForm {
        from: a.from,
        to: a.to,
        min_amount: a.min,
        max_amount: a.max,
        text: a.matching,
    }
    .parse()?;
    let selection = if !a.rows.is_empty() {
        Selection::Lines(a.rows.clone())
    } else if !filter.is_empty() {
        let lines: Vec<usize> = st.filtered(&filter).map(|r| r.line).collect();
        if lines.is_empty() {
            return Err(Error::invalid(Problem::FilterMatchesNone {}));
        }
        Selection::Lines(lines)
    } else {
        Selection::All
    };
    if let Selection::Lines(lines) = &selection {
        st.rows.retain(|r| lines.contains(&r.line));
    }
    if a.dry_run {
        return out.statement(&st);
    }
    let name = a.file.file_name().map_or_else(
        || a.file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let report = j.import_statement(a.case_id, &name, &bytes, &opts, &selection)?;
    if let (Some(save), Some(m)) = (&a.save_mapping, &mapping) {
        j.save_mapping(save, m)?;
    }
    out.import_report(&report)
}

/// `settings reminders on|off`, `settings quiet-hours 22:00-08:00|off`,
/// `settings reminder-kinds follow_up,not_kept|all` (`auto`: the default).
fn reminder_setting(
    r: &mut casebook::reminders::ReminderSettings,
    name: &str,
    value: &str,
) -> Result<()> {
    use casebook::reminders::{ReminderKind, ReminderSettings};
    let value = value.trim();
    let bad = |allowed: &[&str]| Error::invalid(Problem::unknown_value(name, value, allowed));
    match name {
        "reminders" => {
            r.enabled = match value {
                "on" | "auto" => true,
                "off" => false,
                _ => return Err(bad(&["on", "off"])),
            }
        }
        "quiet-hours" => match value {
            "off" | "none" => (r.quiet_from, r.quiet_to) = (None, None),
            "auto" => {
                let d = ReminderSettings::default();
                (r.quiet_from, r.quiet_to) = (d.quiet_from, d.quiet_to);
            }
            _ => {
                let (from, to) = value
                    .split_once('-')
                    .ok_or_else(|| bad(&["22:00-08:00", "off"]))?;
                (r.quiet_from, r.quiet_to) = (Some(from.trim().into()), Some(to.trim().into()));
            }
        },
        _ => {
            r.off = if matches!(value, "all" | "auto") {
                Vec::new()
            } else {
                let told = value
                    .split(',')
                    .map(ReminderKind::parse)
                    .collect::<Result<Vec<_>>>()?;
                ReminderKind::ALL
                    .into_iter()
                    .filter(|k| !told.contains(k))
                    .collect()
            };
        }
    }
    Ok(())
}

/// `due --notify`: tells the reminders due now as desktop notifications and
/// records each one told; `--dry-run` only shows them.
fn notify_due(j: &mut Journal, out: &Out, dry_run: bool) -> Result<()> {
    let now = At::now();
    let reminders = j.reminders(now, i18n::lang())?;
    let mut told = Vec::new();
    let mut failed = None;
    if !dry_run {
        for r in &reminders {
            match send_notification(r) {
                Ok(()) => told.push(r.clone()),
                Err(detail) => {
                    failed = Some(detail);
                    break;
                }
            }
        }
        j.mark_reminded(&told, now)?;
    }
    let shown = if dry_run { &reminders } else { &told };
    out.reminders(shown, dry_run)?;
    match failed {
        Some(detail) => Err(Error::Conflict(Problem::NotificationFailed { detail })),
        None => Ok(()),
    }
}

fn send_notification(r: &casebook::reminders::Reminder) -> std::result::Result<(), String> {
    notify_rust::Notification::new()
        .appname("Casebook")
        .summary(&r.title)
        .body(&r.body_escaped())
        .icon("casebook-app")
        .show()
        .map(|_| ())
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    /// Every command's description and every option's help has Chinese,
    /// and no Chinese help names a command or option that does not exist.
    #[test]
    fn the_help_speaks_chinese_everywhere() {
        let mut english = Vec::new();
        crate::help::english(
            &<crate::Cli as clap::CommandFactory>::command(),
            "",
            &mut english,
        );
        let missing: Vec<String> = english
            .iter()
            .filter(|(k, _)| crate::help::ZH.iter().all(|(z, _)| z != k))
            .map(|(k, v)| format!("    (\"{k}\", \"\"), // {v}"))
            .collect();
        assert!(
            missing.is_empty(),
            "no Chinese help for:\n{}",
            missing.join("\n")
        );
        for (k, v) in crate::help::ZH {
            assert!(
                english.iter().any(|(e, _)| e == k),
                "{k} is not a command or option"
            );
            assert!(!v.trim().is_empty(), "{k}");
        }
    }

    use super::*;

    /// The secret variables are gone from the environment once read, so a
    /// program the CLI starts (an editor, a pager) or any later code cannot
    /// read them; their values are kept for the command.
    #[test]
    #[allow(unsafe_code)]
    fn secret_variables_leave_the_environment_when_read() {
        // SAFETY: the only test in this binary that touches the environment.
        unsafe {
            std::env::set_var(vault::PASSPHRASE_ENV, "correct horse battery");
            std::env::set_var("CASEBOOK_RECOVERY_KEY", "CBRK-AAAA");
        }
        let taken = take_secret_vars();
        for var in SECRET_VARS {
            assert!(std::env::var_os(var).is_none(), "{var} is still set");
        }
        let got: Vec<(&str, &str)> = taken.iter().map(|(v, s)| (*v, s.as_str())).collect();
        assert_eq!(
            got,
            [
                (vault::PASSPHRASE_ENV, "correct horse battery"),
                ("CASEBOOK_RECOVERY_KEY", "CBRK-AAAA")
            ]
        );
    }
}
