//! `casebook`: the command-line face of the journal. Parsing lives in
//! `args`, printing in `output`; everything else is the core library.

mod args;
mod output;

use std::io::{IsTerminal, Read};
use std::process::ExitCode;

use clap::Parser;

use args::{CaseCmd, Cli, Command, ContactCmd, ContactFields, NoteCmd, TxnCmd};
use casebook::cases::{CaseFilter, NewCase};
use casebook::contacts::{ContactInput, ContactPatch, FollowUp, Reference};
use casebook::error::{Error, Result};
use casebook::model::{Category, Channel, Direction, ProviderKind, Status};
use casebook::money::{Currency, Money, parse_amount};
use casebook::search::{HitKind, SearchQuery};
use casebook::time::{At, parse_date, today};
use casebook::transactions::TransactionInput;
use casebook::{Journal, db};
use output::Out;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let out = Out {
        json: cli.json,
        color: std::io::stdout().is_terminal(),
    };
    match run(cli, &out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("casebook: {err}");
            ExitCode::from(if err.is_bad_input() { 2 } else { 1 })
        }
    }
}

fn open(cli_dir: Option<&std::path::Path>) -> Result<Journal> {
    Journal::open_dir(&db::resolve_data_dir(cli_dir)?)
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

fn parse_duration(s: &str) -> Result<i64> {
    let bad = || {
        Error::invalid(
            "duration",
            format!("'{s}' is not a duration. Give minutes (12) or minutes and seconds (12:30)."),
        )
    };
    let s = s.trim();
    let secs = match s.split_once(':') {
        Some((m, sec)) => {
            let m: i64 = m.parse().map_err(|_| bad())?;
            let sec: i64 = sec.parse().map_err(|_| bad())?;
            if !(0..60).contains(&sec) {
                return Err(bad());
            }
            m * 60 + sec
        }
        None => s.parse::<i64>().map_err(|_| bad())? * 60,
    };
    if secs < 0 { Err(bad()) } else { Ok(secs) }
}

fn run(cli: Cli, out: &Out) -> Result<()> {
    let dir = cli.data_dir.as_deref();
    match cli.command {
        Command::Case(cmd) => case_cmd(dir, cmd, out),
        Command::Contact(cmd) => contact_cmd(dir, cmd, out),
        Command::Note(cmd) => note_cmd(dir, cmd, out),
        Command::Txn(cmd) => txn_cmd(dir, cmd, out),
        Command::Search(a) => {
            // Validate everything before touching the journal.
            let mut q = SearchQuery::new(a.query.join(" "));
            q.case_id = a.case_id;
            q.channel = opt(a.channel.as_deref(), Channel::parse)?;
            q.kind = opt(a.kind.as_deref(), HitKind::parse)?;
            q.status = opt(a.status.as_deref(), Status::parse)?;
            q.provider = a.provider;
            q.from = opt(a.from.as_deref(), |s| parse_date("--from", s))?;
            q.to = opt(a.to.as_deref(), |s| parse_date("--to", s))?;
            q.limit = a.limit.min(1000);
            let hits = open(dir)?.search(&q)?;
            out.hits(&hits)
        }
        Command::Due { within } => {
            let items = open(dir)?.due(today(), within)?;
            out.due(&items)
        }
        Command::Providers => out.providers(&open(dir)?.providers()?),
        Command::Info => {
            let data_dir = db::resolve_data_dir(dir)?;
            out.info(&data_dir, Journal::sqlite_version(), db::schema_version())
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
            let report = casebook::bench::run(&path, contacts, |line| eprintln!("{line}"))?;
            out.bench(&report)
        }
    }
}

fn case_cmd(dir: Option<&std::path::Path>, cmd: CaseCmd, out: &Out) -> Result<()> {
    match cmd {
        CaseCmd::New(a) => {
            let amount = match (a.amount.as_deref(), a.currency.as_deref()) {
                (Some(amt), Some(cur)) => Some(Money {
                    amount: parse_amount("--amount", amt)?,
                    currency: Currency::parse("--currency", cur)?,
                }),
                (Some(_), None) => {
                    return Err(Error::invalid(
                        "--currency",
                        "An amount needs its currency: add --currency, e.g. --currency CNY.",
                    ));
                }
                (None, Some(_)) => {
                    return Err(Error::invalid(
                        "--amount",
                        "A currency was given without an amount: add --amount, e.g. --amount 12.50.",
                    ));
                }
                (None, None) => None,
            };
            let new = NewCase {
                title: a.title,
                provider: a.provider,
                provider_kind: opt(a.provider_kind.as_deref(), ProviderKind::parse)?,
                category: opt(a.category.as_deref(), Category::parse)?,
                amount,
                deadline: opt(a.deadline.as_deref(), |s| parse_date("--deadline", s))?,
                desired_outcome: a.outcome.unwrap_or_default(),
                summary: a.summary.unwrap_or_default(),
                tags: a.tags,
                opened_at: opt(a.opened.as_deref(), |s| At::parse("--opened", s))?,
            };
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
        CaseCmd::Status { id, status } => {
            let status = Status::parse(&status)?;
            out.case_created(&open(dir)?.set_case_status(id, status)?)
        }
    }
}

fn references(refs: &[String]) -> Result<Vec<Reference>> {
    refs.iter().map(|r| Reference::parse(r)).collect()
}

fn contact_input(f: ContactFields) -> Result<ContactInput> {
    let channel = match f.channel.as_deref() {
        Some(c) => Channel::parse(c)?,
        None => {
            return Err(Error::invalid(
                "--channel",
                "Say how you contacted support with --channel: chat, phone, email, social, in_person or other.",
            ));
        }
    };
    let at = match f.at.as_deref() {
        Some(s) => At::parse("--at", s)?,
        None => At::now(),
    };
    let mut c = ContactInput::new(channel, at);
    if let Some(d) = f.direction.as_deref() {
        c.direction = Direction::parse(d)?;
    }
    c.via = f.via.unwrap_or_default();
    c.agent = f.agent.unwrap_or_default();
    c.asked = text_arg(f.asked)?.unwrap_or_default();
    c.reply = text_arg(f.reply)?.unwrap_or_default();
    c.outcome = f.outcome.unwrap_or_default();
    c.duration_secs = opt(f.duration.as_deref(), parse_duration)?;
    c.references = references(&f.refs)?;
    c.follow_up = match f.follow_up.as_deref() {
        Some(d) => Some(FollowUp {
            date: parse_date("--follow-up", d)?,
            promise: f.promise.unwrap_or_default(),
            done: false,
        }),
        None if f.promise.is_some() => {
            return Err(Error::invalid(
                "--promise",
                "A promise needs the date it is due: add --follow-up YYYY-MM-DD.",
            ));
        }
        None => None,
    };
    Ok(c)
}

fn contact_cmd(dir: Option<&std::path::Path>, cmd: ContactCmd, out: &Out) -> Result<()> {
    match cmd {
        ContactCmd::Add(a) => {
            let input = contact_input(a.fields)?;
            let contact = open(dir)?.add_contact(a.case_id, input)?;
            out.contact_saved("Logged", &contact)
        }
        ContactCmd::Edit(a) => {
            let f = a.fields;
            let mut patch = ContactPatch {
                at: opt(f.at.as_deref(), |s| At::parse("--at", s))?,
                channel: opt(f.channel.as_deref(), Channel::parse)?,
                direction: opt(f.direction.as_deref(), Direction::parse)?,
                via: f.via,
                agent: f.agent,
                asked: text_arg(f.asked)?,
                reply: text_arg(f.reply)?,
                outcome: f.outcome,
                duration_secs: opt(f.duration.as_deref(), |s| {
                    if s.eq_ignore_ascii_case("none") {
                        Ok(None)
                    } else {
                        parse_duration(s).map(Some)
                    }
                })?,
                follow_up_date: opt(f.follow_up.as_deref(), |s| {
                    if s.eq_ignore_ascii_case("none") {
                        Ok(None)
                    } else {
                        parse_date("--follow-up", s).map(Some)
                    }
                })?,
                follow_up_promise: f.promise,
                follow_up_done: None,
                references: None,
            };
            if a.follow_up_done {
                patch.follow_up_done = Some(true);
            } else if a.follow_up_open {
                patch.follow_up_done = Some(false);
            }
            if a.clear_refs {
                if !f.refs.is_empty() {
                    return Err(Error::invalid(
                        "--ref",
                        "Use either --clear-refs or --ref, not both.",
                    ));
                }
                patch.references = Some(Vec::new());
            } else if !f.refs.is_empty() {
                patch.references = Some(references(&f.refs)?);
            }
            let contact = open(dir)?.edit_contact(a.id, patch)?;
            out.contact_saved("Saved", &contact)
        }
        ContactCmd::Show { id } => out.contact_saved("Contact", &open(dir)?.contact(id)?),
        ContactCmd::History { id } => out.history(&open(dir)?.contact_history(id)?),
        ContactCmd::Delete { id } => {
            out.contact_saved("Moved to the trash", &open(dir)?.delete_contact(id)?)
        }
        ContactCmd::Restore { id } => {
            out.contact_saved("Restored", &open(dir)?.restore_contact(id)?)
        }
        ContactCmd::Trash => out.trash(&open(dir)?.trashed_contacts()?),
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
            out.note("Noted", &open(dir)?.add_note(case_id, at, &text)?)
        }
        NoteCmd::Edit { id, at, text } => {
            let at = opt(at.as_deref(), |s| At::parse("--at", s))?;
            let text = text_arg(text)?;
            out.note("Saved", &open(dir)?.edit_note(id, at, text.as_deref())?)
        }
        NoteCmd::History { id } => out.history(&open(dir)?.note_history(id)?),
        NoteCmd::Delete { id } => out.note("Moved to the trash", &open(dir)?.delete_note(id)?),
        NoteCmd::Restore { id } => out.note("Restored", &open(dir)?.restore_note(id)?),
    }
}

fn txn_cmd(dir: Option<&std::path::Path>, cmd: TxnCmd, out: &Out) -> Result<()> {
    match cmd {
        TxnCmd::Add(a) => {
            let input = TransactionInput {
                txid: a.txid,
                at: At::parse("--at", &a.at)?,
                amount: parse_amount("--amount", &a.amount)?,
                currency: Currency::parse("--currency", &a.currency)?,
                direction: opt(a.direction.as_deref(), Direction::parse)?,
                counterparty: a.counterparty,
                method: a.method,
                status: a.status,
                note: a.note,
            };
            out.transaction("Recorded", &open(dir)?.add_transaction(a.case_id, input)?)
        }
        TxnCmd::Delete { id } => {
            out.transaction("Moved to the trash", &open(dir)?.delete_transaction(id)?)
        }
        TxnCmd::Restore { id } => out.transaction("Restored", &open(dir)?.restore_transaction(id)?),
    }
}
