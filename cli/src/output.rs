//! Printing results: one JSON document with `--json`, readable text otherwise.

use std::path::Path;

use casebook::cases::Case;
use casebook::contacts::Contact;
use casebook::due::{DueItem, DueKind};
use casebook::error::Result;
use casebook::evidence::{Attachment, VerifyReport};
use casebook::export::labels;
use casebook::import::mapping::SavedMapping;
use casebook::import::{Draft, ImportReport, Statement};
use casebook::model::Direction;
use casebook::notes::Note;
use casebook::providers::Provider;
use casebook::revisions::History;
use casebook::search::Hit;
use casebook::timeline::{CaseDetail, TimelineEntry};
use casebook::transactions::Transaction;
use casebook_cli::bench::BenchReport;
use casebook_cli::i18n::{self, lang};
use casebook_cli::tr;
use serde::Serialize;

pub struct Out {
    pub json: bool,
    pub color: bool,
}

pub fn print_json(v: &impl Serialize) -> Result<()> {
    casebook_cli::outln!(
        "{}",
        serde_json::to_string_pretty(v).expect("results serialise to JSON")
    );
    Ok(())
}

fn hit_kind(k: casebook::search::HitKind) -> String {
    use casebook::search::HitKind as K;
    match k {
        K::Case => tr!("Case", "案件"),
        K::Contact => tr!("Contact", "联系记录"),
        K::Note => tr!("Note", "备注"),
        K::Transaction => tr!("Transaction", "交易"),
        K::Attachment => tr!("Attachment", "文件"),
    }
}

/// The English or the Chinese of a pair the core keeps both of.
fn pick<'a>(en: &'a str, zh: &'a str) -> &'a str {
    if i18n::zh() && !zh.is_empty() { zh } else { en }
}

fn when(at: &casebook::time::At) -> String {
    at.datetime().format("%Y-%m-%d %H:%M %:z").to_string()
}

fn one_line(s: &str, max: usize) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > max {
        format!("{}…", flat.chars().take(max).collect::<String>())
    } else {
        flat
    }
}

fn case_line(c: &Case) -> String {
    let l = lang();
    let mut s = format!(
        "#{} {} [{} · {}]",
        c.id,
        c.title,
        labels::category(l, c.category),
        labels::status(l, c.status)
    );
    if let Some(p) = &c.provider {
        s.push_str(&format!(" {}", p.name));
    }
    s.push_str(&tr!(" · open {} days", " · 已持续 {} 天", c.days_open));
    if let Some(m) = &c.amount {
        s.push_str(&tr!(" · at stake {m}", " · 涉及金额 {m}"));
    }
    if let Some(d) = c.deadline {
        s.push_str(&tr!(" · deadline {d}", " · 截止 {d}"));
        if c.overdue {
            s.push_str(&tr!(" (OVERDUE)", "（已逾期）"));
        }
    }
    s
}

fn contact_text(c: &Contact) -> String {
    let l = lang();
    let mut s = tr!(
        "contact #{} · {} · {} ({})",
        "联系记录 #{} · {} · {}（{}）",
        c.id,
        when(&c.at),
        labels::channel(l, c.channel),
        labels::contact_direction(l, c.direction)
    );
    if !c.via.is_empty() {
        s.push_str(&tr!(" via {}", " 经由 {}", c.via));
    }
    if !c.agent.is_empty() {
        s.push_str(&tr!(" · agent {}", " · 客服 {}", c.agent));
    }
    if let Some(d) = c.duration_secs {
        s.push_str(&format!(" · {}:{:02}", d / 60, d % 60));
    }
    if c.edited {
        s.push_str(&tr!(
            " · edited ({} revisions)",
            " · 已修改（{} 个版本）",
            c.revision_count
        ));
    }
    if c.deleted_at.is_some() {
        s.push_str(&tr!(" · IN TRASH", " · 在回收站"));
    }
    let zh = i18n::zh();
    for (label, text) in [
        (if zh { "问" } else { "asked" }, &c.asked),
        (if zh { "答" } else { "reply" }, &c.reply),
        (if zh { "结果" } else { "outcome" }, &c.outcome),
    ] {
        if !text.is_empty() {
            s.push_str(&format!("\n    {label}: {}", one_line(text, 300)));
        }
    }
    for r in &c.references {
        s.push_str(&tr!(
            "\n    ref {}: {}",
            "\n    编号 {}：{}",
            labels::ref_kind(l, r.kind),
            r.value
        ));
    }
    if let Some(f) = &c.follow_up {
        s.push_str(&tr!(
            "\n    follow-up by {}{}: {}",
            "\n    跟进期限 {}{}：{}",
            f.date,
            if f.done {
                tr!(" (done)", "（已完成）")
            } else {
                String::new()
            },
            f.promise
        ));
    }
    s
}

/// A file name as given, with control characters made visible so that a
/// name can never move the cursor or recolour the terminal.
/// A file name with reordering and invisible characters made visible.
fn safe_name(name: &str) -> String {
    casebook::evidence::visible_name(name)
}

fn size_text(bytes: u64) -> String {
    match bytes {
        b if b >= 1024 * 1024 => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
        b if b >= 1024 => format!("{:.1} KB", b as f64 / 1024.0),
        b => format!("{b} B"),
    }
}

fn attachment_line(a: &Attachment) -> String {
    let mut s = tr!(
        "file #{} · {} · {} · {} · {} · sha256 {}",
        "文件 #{} · {} · {} · {} · {} · sha256 {}",
        a.id,
        when(&a.added_at),
        safe_name(&a.name),
        a.media_type,
        size_text(a.size),
        a.sha256
    );
    if let Some(c) = a.contact_id {
        s.push_str(&tr!(" · contact #{c}", " · 联系记录 #{c}"));
    }
    if let Some(t) = a.transaction_id {
        s.push_str(&tr!(" · transaction #{t}", " · 交易 #{t}"));
    }
    s
}

fn draft_line(line: usize, d: &Draft, note: &str) -> String {
    let sign = if d.direction == Direction::Out {
        "-"
    } else {
        "+"
    };
    tr!(
        "  line {line:>6} · {} · {sign}{} {} · {} · {} · {}{note}",
        "  第 {line:>6} 行 · {} · {sign}{} {} · {} · {} · {}{note}",
        when(&d.at),
        d.amount,
        d.currency,
        one_line(&d.counterparty, 40),
        if d.txid.is_empty() {
            tr!("(no ID)", "（无交易号）")
        } else {
            d.txid.clone()
        },
        one_line(&d.status, 20)
    )
}

impl Out {
    pub fn attachments(&self, list: &[Attachment]) -> Result<()> {
        if self.json {
            return print_json(&list);
        }
        for a in list {
            casebook_cli::trln!("Attached: {}", "已附上：{}", attachment_line(a));
        }
        Ok(())
    }

    pub fn verify(&self, r: &VerifyReport) -> Result<()> {
        if self.json {
            return print_json(r);
        }
        casebook_cli::trln!(
            "Checked {} stored file(s), {}.",
            "已检查 {} 个存档文件，共 {}。",
            r.files_checked,
            size_text(r.bytes_checked)
        );
        for d in &r.damaged {
            let names: Vec<String> = d.names.iter().map(|n| safe_name(n)).collect();
            casebook_cli::outln!(
                "  {}: {} ({} {:?}: {})",
                match (i18n::zh(), d.problem.as_str()) {
                    (true, "missing") => "缺失".to_string(),
                    (true, "altered") => "已被改动".to_string(),
                    (true, other) => other.to_string(),
                    (false, other) => other.to_uppercase(),
                },
                d.sha256,
                tr!("attachment", "文件"),
                d.attachments,
                names.join(", ")
            );
        }
        if r.ok() {
            casebook_cli::trln!("Every file is intact.", "所有文件完好无损。");
        }
        Ok(())
    }

    pub fn mappings(&self, list: &[SavedMapping]) -> Result<()> {
        if self.json {
            return print_json(&list);
        }
        if list.is_empty() {
            casebook_cli::trln!(
                "No saved mappings. Save one with: casebook txn import --format csv --map-date … --save-mapping NAME",
                "还没有保存的列对应方案。保存方法：casebook txn import --format csv --map-date … --save-mapping 名称"
            );
        }
        for m in list {
            casebook_cli::outln!(
                "{}: date={} amount={} currency={}",
                m.name,
                m.mapping.date,
                m.mapping.amount,
                m.mapping
                    .currency
                    .clone()
                    .or(m.mapping.fixed_currency.clone())
                    .unwrap_or_default()
            );
        }
        Ok(())
    }

    pub fn statement(&self, st: &Statement) -> Result<()> {
        if self.json {
            return print_json(st);
        }
        casebook_cli::trln!(
            "{}{} · {} · {} row(s), {} already in the case, {} rejected. Nothing was written (dry run).",
            "{}{} · {} · {} 行，其中 {} 行已在案件中，{} 行无法读取。未写入任何内容（试运行）。",
            layout_name(&st.layout_name),
            language_of(&st.language),
            st.encoding,
            st.rows.len(),
            st.rows.iter().filter(|r| r.duplicate).count(),
            st.rejected.len()
        );
        for w in &st.warnings {
            casebook_cli::trln!("  note: {}", "  注意：{}", i18n::problem(w));
        }
        for r in &st.rows {
            casebook_cli::outln!(
                "{}",
                draft_line(
                    r.line,
                    &r.draft,
                    &if r.duplicate {
                        tr!(" · already in the case", " · 已在案件中")
                    } else {
                        String::new()
                    }
                )
            );
        }
        for r in &st.rejected {
            casebook_cli::trln!(
                "  line {:>6} · REJECTED · {}",
                "  第 {:>6} 行 · 无法读取 · {}",
                r.line,
                i18n::problem(&r.reason)
            );
        }
        Ok(())
    }

    pub fn import_report(&self, r: &ImportReport) -> Result<()> {
        if self.json {
            return print_json(r);
        }
        casebook_cli::trln!(
            "{}: imported {}, skipped {} already in the case, rejected {}.",
            "{}：导入 {} 笔，跳过已在案件中的 {} 笔，无法读取 {} 行。",
            layout_name(&r.layout_name),
            r.imported.len(),
            r.skipped.len(),
            r.rejected.len()
        );
        if !r.skipped.is_empty() {
            let lines: Vec<String> = r.skipped.iter().map(|l| l.to_string()).collect();
            casebook_cli::trln!("  skipped lines: {}", "  跳过的行：{}", lines.join(", "));
        }
        for x in &r.rejected {
            casebook_cli::trln!(
                "  rejected line {}: {}",
                "  无法读取第 {} 行：{}",
                x.line,
                i18n::problem(&x.reason)
            );
        }
        if let Some(a) = &r.statement {
            casebook_cli::trln!(
                "  statement kept as evidence: {}",
                "  账单已作为证据保存：{}",
                attachment_line(a)
            );
        }
        Ok(())
    }

    pub fn case_created(&self, c: &Case) -> Result<()> {
        if self.json {
            return print_json(c);
        }
        casebook_cli::outln!("{}", case_line(c));
        Ok(())
    }

    pub fn cases(&self, cases: &[Case]) -> Result<()> {
        if self.json {
            return print_json(&cases);
        }
        if cases.is_empty() {
            casebook_cli::trln!(
                "No cases yet. Open one with: casebook case new --title \"...\"",
                "还没有案件。新建一个：casebook case new --title \"……\""
            );
        }
        for c in cases {
            casebook_cli::outln!("{}", case_line(c));
        }
        Ok(())
    }

    pub fn case_detail(&self, d: &CaseDetail) -> Result<()> {
        if self.json {
            return print_json(d);
        }
        casebook_cli::outln!("{}", case_line(&d.case));
        if !d.case.summary.is_empty() {
            casebook_cli::trln!("  summary: {}", "  概述：{}", d.case.summary);
        }
        let checklist: Vec<String> = d
            .case
            .checklist
            .iter()
            .map(|c| format!("[{}] {}", if c.done { "x" } else { " " }, c.item))
            .collect();
        casebook_cli::trln!("  checklist: {}", "  准备清单：{}", checklist.join("  "));
        if !d.references.is_empty() {
            casebook_cli::trln!("  references:", "  编号：");
            for r in &d.references {
                casebook_cli::trln!(
                    "    {} {} (contact #{})",
                    "    {} {}（联系记录 #{}）",
                    labels::ref_kind(lang(), r.reference.kind),
                    r.reference.value,
                    r.contact_id
                );
            }
        }
        casebook_cli::trln!("  timeline:", "  时间线：");
        for e in &d.timeline {
            match e {
                TimelineEntry::Contact(c) => casebook_cli::outln!("  {}", contact_text(c)),
                TimelineEntry::Note(n) => casebook_cli::trln!(
                    "  note #{} · {} · {}",
                    "  备注 #{} · {} · {}",
                    n.id,
                    when(&n.at),
                    one_line(&n.text, 300)
                ),
                TimelineEntry::Transaction(t) => casebook_cli::outln!(
                    "  {} #{} · {} · {} {} · {} {} {}",
                    tr!("transaction", "交易"),
                    t.id,
                    when(&t.at),
                    t.signed_amount,
                    t.money.currency,
                    t.txid,
                    t.counterparty,
                    t.status
                ),
                TimelineEntry::StatusChange(s) => {
                    casebook_cli::outln!(
                        "  {} · {} · {}",
                        tr!("status", "状态"),
                        when(&s.at),
                        labels::status(lang(), s.to)
                    )
                }
                TimelineEntry::Attachment(a) => casebook_cli::outln!("  {}", attachment_line(a)),
            }
        }
        let linked: Vec<&Attachment> = d
            .attachments
            .iter()
            .filter(|a| a.contact_id.is_some() || a.transaction_id.is_some())
            .collect();
        if !linked.is_empty() {
            casebook_cli::trln!("  files of entries:", "  记录所附文件：");
            for a in linked {
                casebook_cli::outln!("  {}", attachment_line(a));
            }
        }
        Ok(())
    }

    pub fn contact_saved(&self, verb: &str, c: &Contact) -> Result<()> {
        if self.json {
            return print_json(c);
        }
        casebook_cli::outln!("{verb}: {}", contact_text(c));
        Ok(())
    }

    /// One screenshot read (on standard error, so JSON output stays clean).
    pub fn ocr_step(&self, n: u32, of: u32, id: i64, outcome: &casebook::ocr::OcrOutcome) {
        use casebook::ocr::OcrOutcome;
        let what = match outcome {
            OcrOutcome::Text { text, took_ms, .. } => tr!(
                "{} characters in {} ms",
                "{} 个字符，用时 {} 毫秒",
                text.chars().count(),
                took_ms
            ),
            OcrOutcome::Failed { detail, .. } => {
                tr!("could not be read: {}", "无法识别：{}", detail)
            }
            OcrOutcome::Unavailable { .. } => tr!("not read", "未识别"),
        };
        eprintln!(
            "{}",
            tr!(
                "Reading screenshots {}/{}: file #{}: {}",
                "正在识别截图文字 {}/{}：文件 #{}：{}",
                n,
                of,
                id,
                what
            )
        );
    }

    /// Where reading the screenshots' text stands.
    pub fn ocr_done(
        &self,
        p: &casebook::ocr::OcrProgress,
        unavailable: Option<&str>,
    ) -> Result<()> {
        if self.json {
            return print_json(p);
        }
        if let Some(detail) = unavailable {
            casebook_cli::trln!(
                "Text in screenshots cannot be read on this computer ({}). The files are kept; run `casebook ocr --retry` once Tesseract and its Chinese and English models are installed (Debian/Ubuntu: sudo apt install tesseract-ocr-chi-sim tesseract-ocr-eng).",
                "这台电脑无法识别截图中的文字（{}）。文件已保存；安装 Tesseract 及其中英文模型后（Debian/Ubuntu：sudo apt install tesseract-ocr-chi-sim tesseract-ocr-eng），运行 `casebook ocr --retry` 即可识别。",
                detail
            );
        }
        casebook_cli::trln!(
            "Screenshots: {} read, {} waiting, {} could not be read, {} waiting for a text-recognition engine.",
            "截图：已识别 {} 张，等待识别 {} 张，无法识别 {} 张，等待文字识别引擎 {} 张。",
            p.done,
            p.pending,
            p.failed,
            p.unavailable
        );
        Ok(())
    }

    /// Reference numbers found but not yet added, with the command that adds each.
    pub fn offered_refs(
        &self,
        contact_id: i64,
        found: &[casebook::references::FoundReference],
    ) -> Result<()> {
        if self.json {
            return print_json(&found);
        }
        if found.is_empty() {
            return Ok(());
        }
        casebook_cli::trln!(
            "Reference numbers found in it, not added yet:",
            "在其中找到的编号（尚未添加）："
        );
        let l = lang();
        for f in found {
            casebook_cli::outln!(
                "  {} {}    casebook contact edit {contact_id} --ref {}:{}",
                labels::ref_kind(l, f.kind),
                f.value,
                f.kind,
                f.value
            );
        }
        Ok(())
    }

    /// What an e-mail would be logged as (`contact from-email --dry-run`).
    pub fn email_preview(
        &self,
        email: &casebook::mail::EmailContact,
        input: &casebook::contacts::ContactInput,
    ) -> Result<()> {
        if self.json {
            return print_json(email);
        }
        casebook_cli::trln!(
            "Would log: {} · e-mail (they contacted me) from {} {}",
            "将记录：{} · 电子邮件（对方联系我）来自 {} {}",
            when(&input.at),
            email.from_name,
            email.from_address
        );
        if email.at.is_none() {
            casebook_cli::trln!(
                "  The e-mail has no readable Date: header; it would be logged at the present time.",
                "  这封邮件没有可读的“日期”邮件头，将按现在的时间记录。"
            );
        }
        casebook_cli::outln!("  {}", one_line(&input.reply, 300));
        if email.folded_lines > 0 {
            casebook_cli::trln!(
                "  ({} lines of quoted earlier messages left out; they stay in the kept .eml)",
                "  （省略了 {} 行引用的往来邮件；它们保留在 .eml 文件里）",
                email.folded_lines
            );
        }
        for f in &email.references {
            casebook_cli::outln!("  {} {}", labels::ref_kind(lang(), f.kind), f.value);
        }
        Ok(())
    }

    /// A transcript's lines: who said what, when.
    pub fn transcript(&self, t: &casebook::transcript::Transcript) -> Result<()> {
        if self.json {
            return print_json(t);
        }
        casebook_cli::trln!(
            "{} lines from {} speakers:",
            "共 {} 条消息，{} 位发言人：",
            t.lines.len(),
            t.speakers.len()
        );
        for l in &t.lines {
            let stamp = [
                l.date.map(|d| d.to_string()),
                l.time.map(|t| t.format("%H:%M").to_string()),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
            let who = if l.who.is_empty() {
                tr!("(system)", "（系统）")
            } else {
                l.who.clone()
            };
            casebook_cli::outln!("  {stamp:<16} {who}: {}", one_line(&l.text, 200));
        }
        Ok(())
    }

    pub fn trash(&self, contacts: &[Contact]) -> Result<()> {
        if self.json {
            return print_json(&contacts);
        }
        if contacts.is_empty() {
            casebook_cli::trln!("The trash is empty.", "回收站是空的。");
        }
        for c in contacts {
            casebook_cli::outln!("{}", contact_text(c));
        }
        Ok(())
    }

    pub fn note(&self, verb: &str, n: &Note) -> Result<()> {
        if self.json {
            return print_json(n);
        }
        casebook_cli::trln!(
            "{}: note #{} in case #{} · {} · {}",
            "{}：案件 #{} 的备注 #{} · {} · {}",
            verb,
            n.id,
            n.case_id,
            when(&n.at),
            one_line(&n.text, 300)
        );
        Ok(())
    }

    pub fn transaction(&self, verb: &str, t: &Transaction) -> Result<()> {
        if self.json {
            return print_json(t);
        }
        casebook_cli::trln!(
            "{}: transaction #{} {} · {} · {} {}",
            "{}：交易 #{} {} · {} · {} {}",
            verb,
            t.id,
            t.txid,
            when(&t.at),
            t.signed_amount,
            t.money.currency
        );
        Ok(())
    }

    pub fn history(&self, h: &History) -> Result<()> {
        if self.json {
            return print_json(h);
        }
        if h.revisions.is_empty() {
            casebook_cli::trln!(
                "{} #{} has never been changed.",
                "{} #{} 从未被修改过。",
                h.entity,
                h.id
            );
        }
        for r in &h.revisions {
            casebook_cli::trln!(
                "revision {} · {} at {} · changed: {}",
                "版本 {} · {}，{} · 改动：{}",
                r.number,
                r.action_label(),
                when(&r.at),
                r.changed.join(", ")
            );
            for field in &r.changed {
                let old = r
                    .before
                    .get(field)
                    .map(|v| v.to_string())
                    .unwrap_or_default();
                casebook_cli::trln!(
                    "    {} was: {}",
                    "    {} 原为：{}",
                    field,
                    one_line(&old, 300)
                );
            }
        }
        casebook_cli::trln!(
            "current: {}",
            "当前：{}",
            serde_json::to_string(&h.current).expect("serialisable")
        );
        Ok(())
    }

    pub fn hits(&self, hits: &[Hit]) -> Result<()> {
        if self.json {
            return print_json(&hits);
        }
        if hits.is_empty() {
            casebook_cli::trln!("Nothing found.", "没有找到。");
        }
        for h in hits {
            let snippet: String = h
                .snippet_parts
                .iter()
                .map(|p| match (p.hit, self.color) {
                    (true, true) => format!("\x1b[1;33m{}\x1b[0m", p.text),
                    (true, false) => format!("[{}]", p.text),
                    (false, _) => p.text.clone(),
                })
                .collect();
            casebook_cli::outln!(
                "{} #{} · {} #{} {} · {} · {}: {}",
                hit_kind(h.kind),
                h.id,
                tr!("case", "案件"),
                h.case_id,
                one_line(&h.case_title, 40),
                when(&h.at),
                h.field,
                snippet.replace('\n', " ")
            );
        }
        Ok(())
    }

    pub fn due(&self, items: &[DueItem]) -> Result<()> {
        if self.json {
            return print_json(&items);
        }
        if items.is_empty() {
            casebook_cli::trln!("Nothing is due.", "没有到期的事项。");
        }
        for i in items {
            let when = match i.days {
                d if d < 0 => tr!("OVERDUE by {} days", "已逾期 {} 天", -d),
                0 => tr!("due today", "今天到期"),
                d => tr!("due in {} days", "{} 天后到期", d),
            };
            match i.kind {
                DueKind::FollowUp => casebook_cli::trln!(
                    "{} · {} · follow-up promised in contact #{} (case #{} {}): {}",
                    "{} · {} · 联系记录 #{} 中承诺的跟进（案件 #{} {}）：{}",
                    i.date,
                    when,
                    i.contact_id.unwrap_or_default(),
                    i.case_id,
                    i.case_title,
                    i.promise
                ),
                DueKind::Deadline => casebook_cli::trln!(
                    "{} · {} · deadline of case #{} {}",
                    "{} · {} · 案件 #{} {} 的截止日期",
                    i.date,
                    when,
                    i.case_id,
                    i.case_title
                ),
                DueKind::Escalation => casebook_cli::outln!(
                    "{} · {} #{} {} ({}): {} {}",
                    i.date,
                    tr!("case", "案件"),
                    i.case_id,
                    i.case_title,
                    i.route.as_deref().unwrap_or(""),
                    i.promise,
                    i.date
                ),
                DueKind::Warning => casebook_cli::trln!(
                    "WARNING · case #{} {}: {} scam-shield red flag(s), e.g. {} Run `casebook scan --case {}`.",
                    "警告 · 案件 #{} {}：{} 个防诈风险信号，例如 {} 运行 `casebook scan --case {}` 查看。",
                    i.case_id,
                    i.case_title,
                    i.warnings,
                    i.promise,
                    i.case_id
                ),
            }
        }
        Ok(())
    }

    pub fn settings(&self, s: &casebook::settings::Settings) -> Result<()> {
        if self.json {
            return print_json(s);
        }
        let auto = tr!("auto (not set)", "自动（未设置）");
        casebook_cli::trln!(
            "language: {}\ntheme: {}",
            "语言：{}\n主题：{}",
            s.language.map_or(auto.as_str(), |l| l.code()),
            s.theme.map_or(auto.as_str(), |t| t.code())
        );
        let r = &s.reminders;
        let kinds: Vec<&str> = casebook::reminders::ReminderKind::ALL
            .into_iter()
            .filter(|k| !r.off.contains(k))
            .map(|k| k.code())
            .collect();
        let quiet = match (&r.quiet_from, &r.quiet_to) {
            (Some(a), Some(b)) => format!("{a}-{b}"),
            _ => tr!("off", "关闭"),
        };
        casebook_cli::trln!(
            "reminders: {}\nreminder-kinds: {}\nquiet-hours: {}",
            "提醒：{}\n提醒种类：{}\n免打扰时段：{}",
            if r.enabled {
                tr!("on", "开")
            } else {
                tr!("off", "关")
            },
            kinds.join(","),
            quiet
        );
        Ok(())
    }

    pub fn reminders(&self, told: &[casebook::reminders::Reminder], dry_run: bool) -> Result<()> {
        if self.json {
            return print_json(&told);
        }
        if told.is_empty() {
            casebook_cli::trln!("No reminder to send now.", "现在没有需要发送的提醒。");
        }
        for r in told {
            if dry_run {
                casebook_cli::trln!("would send: {} — {}", "将发送：{} — {}", r.title, r.body);
            } else {
                casebook_cli::trln!("sent: {} — {}", "已发送：{} — {}", r.title, r.body);
            }
        }
        Ok(())
    }

    pub fn providers(&self, providers: &[Provider]) -> Result<()> {
        if self.json {
            return print_json(&providers);
        }
        for p in providers {
            casebook_cli::outln!("{} ({})", p.name, p.kind);
        }
        Ok(())
    }

    pub fn info(&self, data_dir: &Path, sqlite: &str, schema: i64) -> Result<()> {
        let journal = data_dir.join(casebook::db::JOURNAL_FILE);
        if self.json {
            return print_json(&serde_json::json!({
                "data_dir": data_dir, "journal": journal, "sqlite_version": sqlite, "schema_version": schema,
                "casebook_version": env!("CARGO_PKG_VERSION"),
            }));
        }
        casebook_cli::trln!(
            "journal: {}\nSQLite {}, schema version {}, casebook {}",
            "日志：{}\nSQLite {}，结构版本 {}，casebook {}",
            journal.display(),
            sqlite,
            schema,
            env!("CARGO_PKG_VERSION")
        );
        Ok(())
    }

    pub fn bench(&self, r: &BenchReport) -> Result<()> {
        if self.json {
            return print_json(r);
        }
        casebook_cli::outln!(
            "casebook bench — {} contacts, SQLite {}",
            r.contacts,
            r.sqlite_version
        );
        casebook_cli::outln!("build: {:.1} s", r.build_secs);
        casebook_cli::outln!(
            "text: {:.1} MB · index: {:.1} MB · index/text: {:.2} · journal file: {:.1} MB",
            r.text_bytes as f64 / 1e6,
            r.index_bytes as f64 / 1e6,
            r.index_to_text,
            r.file_bytes as f64 / 1e6
        );
        casebook_cli::outln!(
            "{:<36} {:>5} {:>9} {:>9} {:>9} {:>8}",
            "measure",
            "runs",
            "p50 ms",
            "p95 ms",
            "max ms",
            "hits"
        );
        for m in &r.results {
            casebook_cli::outln!(
                "{:<36} {:>5} {:>9.2} {:>9.2} {:>9.2} {:>8.1}",
                m.what,
                m.runs,
                m.p50_ms,
                m.p95_ms,
                m.max_ms,
                m.avg_hits
            );
        }
        Ok(())
    }

    pub fn bench_export(&self, r: &casebook_cli::bench::ExportBenchReport) -> Result<()> {
        if self.json {
            return print_json(r);
        }
        casebook_cli::outln!("case summary of a case with {} contacts:", r.contacts);
        for m in &r.results {
            casebook_cli::outln!(
                "  {:<16} p50 {:>8.1} ms · max {:>8.1} ms ({} runs)",
                m.what,
                m.p50_ms,
                m.max_ms,
                m.runs
            );
        }
        casebook_cli::outln!("  PDF size {}", size_text(r.pdf_bytes as u64));
        casebook_cli::outln!(
            "backup of {} contacts and {} of attachments: {:.1} s, archive {}, peak memory {}",
            r.backup_contacts,
            size_text(r.backup_attachment_bytes),
            r.backup_ms / 1000.0,
            size_text(r.backup_archive_bytes),
            r.backup_peak_rss_bytes
                .map(size_text)
                .unwrap_or_else(|| "unknown".into())
        );
        Ok(())
    }

    pub fn bench_shield(&self, r: &casebook_cli::bench::ShieldBenchReport) -> Result<()> {
        if self.json {
            return print_json(r);
        }
        casebook_cli::outln!(
            "{:<9} {:<4} {:<26} {:>6} {:>8} {:>8} {:>8} {:>9} {:>9}",
            "split",
            "lang",
            "kind",
            "scam",
            "flagged",
            "genuine",
            "flagged",
            "recall",
            "false al."
        );
        for g in &r.groups {
            let pct = |a: usize, b: usize| {
                if b == 0 {
                    "—".to_string()
                } else {
                    format!("{:.1}%", 100.0 * a as f64 / b as f64)
                }
            };
            casebook_cli::outln!(
                "{:<9} {:<4} {:<26} {:>6} {:>8} {:>8} {:>8} {:>9} {:>9}",
                g.split,
                g.lang,
                g.kind,
                g.scam,
                g.scam_flagged,
                g.genuine,
                g.genuine_flagged,
                pct(g.scam_flagged, g.scam),
                pct(g.genuine_flagged, g.genuine)
            );
        }
        for (split_label, kind, rules, text) in &r.dev_errors {
            let (split, label) = split_label.split_once(' ').unwrap_or(("dev", split_label));
            let what = if label == "scam" {
                "missed"
            } else {
                "false alarm"
            };
            casebook_cli::outln!("{split} {what} [{kind}] {rules} · {text}");
        }
        casebook_cli::outln!(
            "speed: a {}-character reply in {:.2} ms (p95 of {} runs)",
            r.long_chars,
            r.long_p95_ms,
            r.runs
        );
        casebook_cli::outln!(
            "speed: a whole case of {} contacts scanned in {:.1} ms (p95 of {} runs)",
            r.case_contacts,
            r.case_p95_ms,
            r.case_runs
        );
        Ok(())
    }

    pub fn bench_statements(&self, r: &casebook_cli::bench::StatementsBenchReport) -> Result<()> {
        if self.json {
            return print_json(r);
        }
        casebook_cli::outln!(
            "{:<32} {:<52} {:>4} {:>6} {:>8} {:>8}",
            "file",
            "layout",
            "lang",
            "read",
            "rejected",
            "ms"
        );
        for f in &r.files {
            casebook_cli::outln!(
                "{:<32} {:<52} {:>4} {:>6} {:>8} {:>8.2}",
                f.file,
                f.layout,
                f.language,
                f.read,
                f.rejected,
                f.ms
            );
        }
        casebook_cli::outln!(
            "{} files: {} read, {} not read; {} rows read, {} rejected",
            r.files.len(),
            r.files.iter().filter(|f| f.error.is_none()).count(),
            r.files.iter().filter(|f| f.error.is_some()).count(),
            r.files.iter().map(|f| f.read).sum::<usize>(),
            r.files.iter().map(|f| f.rejected).sum::<usize>()
        );
        for l in &r.large {
            casebook_cli::outln!(
                "{} rows, {} ({:.1} MB): read in {:.0} ms ({} rejected)",
                l.rows,
                l.layout,
                l.bytes as f64 / 1e6,
                l.ms,
                l.rejected
            );
        }
        Ok(())
    }

    pub fn bench_files(&self, r: &casebook_cli::bench::FilesBenchReport) -> Result<()> {
        if self.json {
            return print_json(r);
        }
        casebook_cli::outln!(
            "statement: {} rows ({:.1} MB, GBK): parse {:.0} ms · preview {:.0} ms",
            r.statement_rows,
            r.statement_bytes as f64 / 1e6,
            r.parse_ms,
            r.preview_ms
        );
        casebook_cli::outln!(
            "attach {} MB: {:.0} ms · the same file again: {:.0} ms",
            r.attach_bytes >> 20,
            r.attach_ms,
            r.attach_again_ms
        );
        Ok(())
    }

    /// A one-line confirmation.
    pub fn done(&self, sentence: &str) -> Result<()> {
        if self.json {
            return print_json(&serde_json::json!({ "ok": true, "message": sentence }));
        }
        casebook_cli::outln!("{sentence}");
        Ok(())
    }

    pub fn official_channels(&self, list: &[casebook::channels::OfficialChannel]) -> Result<()> {
        if self.json {
            return print_json(&list);
        }
        if list.is_empty() {
            casebook_cli::trln!(
                "No official contact points registered. Add the ones you verified yourself: casebook channel add --provider NAME --kind phone NUMBER --verified-how \"back of my card\"",
                "还没有登记官方联系方式。请添加你亲自核实过的：casebook channel add --provider 名称 --kind phone 号码 --verified-how \"银行卡背面\""
            );
        }
        for c in list {
            let how = if c.verified_how.is_empty() {
                String::new()
            } else {
                tr!(" · verified: {}", " · 核实方式：{}", c.verified_how)
            };
            casebook_cli::outln!("#{} {} · {} · {}{how}", c.id, c.provider, c.kind, c.value);
        }
        Ok(())
    }

    /// Warnings about a text or a contact point, before it is saved.
    pub fn flags(&self, flags: &[casebook::shield::Flag]) -> Result<()> {
        if self.json {
            return print_json(&flags);
        }
        if flags.is_empty() {
            casebook_cli::trln!("No warnings.", "没有警告。");
        }
        for f in flags {
            casebook_cli::trln!(
                "[{}] {}\n    what to do: {}",
                "[{}] {}\n    怎么办：{}",
                f.rule_id,
                pick(&f.reason_en, &f.reason_zh),
                pick(&f.advice_en, &f.advice_zh)
            );
        }
        Ok(())
    }

    /// The warnings on an entry just saved, on standard error (standard
    /// output keeps the one JSON document with --json).
    pub fn entry_warnings(
        &self,
        r: &casebook::scan::ScanReport,
        entry: &str,
        id: i64,
    ) -> Result<()> {
        let mut seen = Vec::new();
        for f in r
            .flags
            .iter()
            .filter(|f| f.entry == entry && f.entry_id == id)
        {
            if seen.contains(&&f.flag.rule_id) {
                continue;
            }
            seen.push(&f.flag.rule_id);
            eprintln!(
                "{}",
                tr!(
                    "WARNING [{}] {}\n    what to do: {}",
                    "警告 [{}] {}\n    怎么办：{}",
                    f.flag.rule_id,
                    pick(&f.flag.reason_en, &f.flag.reason_zh),
                    pick(&f.flag.advice_en, &f.flag.advice_zh)
                )
            );
        }
        Ok(())
    }

    pub fn scan(&self, r: &casebook::scan::ScanReport) -> Result<()> {
        if self.json {
            return print_json(r);
        }
        casebook_cli::trln!(
            "Checked {} text(s) with scam-shield rules v{}: {} warning(s).",
            "已用防诈规则 v{1} 检查 {0} 段文字：{2} 个警告。",
            r.entries_checked,
            r.rules_version,
            r.flags.len()
        );
        for f in &r.flags {
            casebook_cli::trln!(
                "  case #{} {} #{} ({}): [{}] {}\n      said: {}\n      what to do: {}",
                "  案件 #{} {} #{}（{}）：[{}] {}\n      原话：{}\n      怎么办：{}",
                f.case_id,
                f.entry,
                f.entry_id,
                f.field,
                f.flag.rule_id,
                pick(&f.flag.reason_en, &f.flag.reason_zh),
                one_line(&f.flag.evidence, 120),
                pick(&f.flag.advice_en, &f.flag.advice_zh)
            );
        }
        Ok(())
    }

    pub fn wrote(&self, path: &Path, bytes: usize) -> Result<()> {
        if self.json {
            return print_json(
                &serde_json::json!({"path": path.display().to_string(), "bytes": bytes}),
            );
        }
        casebook_cli::trln!(
            "Wrote {} ({}).",
            "已写出 {}（{}）。",
            path.display(),
            size_text(bytes as u64)
        );
        Ok(())
    }

    pub fn export_check(&self, c: &casebook::export::ExportCheck) -> Result<()> {
        if self.json {
            return print_json(c);
        }
        casebook_cli::trln!(
            "Case #{} \"{}\" ({} export): {} entries, {} file(s) in the manifest.",
            "案件 #{}“{}”（{} 导出）：{} 条记录，清单中有 {} 个文件。",
            c.case_id,
            c.case_title,
            c.format,
            c.entries,
            c.files
        );
        casebook_cli::trln!(
            "Manifest SHA-256: {}",
            "清单 SHA-256：{}",
            c.manifest_sha256
        );
        if !c.files_matched.is_empty() {
            casebook_cli::trln!(
                "Files matched: {}",
                "相符的文件：{}",
                c.files_matched.join(", ")
            );
        }
        if c.format == "pdf" {
            casebook_cli::trln!(
                "(In a PDF the data it carries is checked; the drawn pages are not compared.)",
                "（PDF 只核验其中携带的数据，不比对绘制出的页面。）"
            );
        }
        for p in &c.problems {
            casebook_cli::trln!("  CHANGED: {}", "  被改动：{}", p);
        }
        if c.ok() {
            casebook_cli::trln!("Nothing was changed after export.", "导出后没有任何改动。");
        }
        Ok(())
    }

    pub fn backup(&self, r: &casebook::backup::BackupReport) -> Result<()> {
        if self.json {
            return print_json(r);
        }
        casebook_cli::trln!(
            "Backed up the journal (schema {}) and {} file(s) to {} ({}).",
            "已把日志（结构版本 {}）和 {} 个文件备份到 {}（{}）。",
            r.schema_version,
            r.files,
            r.path,
            size_text(r.bytes)
        );
        Ok(())
    }

    pub fn restore(&self, r: &casebook::backup::RestoreReport) -> Result<()> {
        if self.json {
            return print_json(r);
        }
        casebook_cli::trln!(
            "Restored {} case(s) and {} file(s) into {}.",
            "已把 {} 个案件和 {} 个文件恢复到 {}。",
            r.cases,
            r.files,
            r.data_dir
        );
        if let Some(a) = &r.moved_aside {
            casebook_cli::trln!(
                "What was there before is kept in {}.",
                "原有内容保存在 {}。",
                a
            );
        }
        Ok(())
    }

    pub fn routes(&self, r: &casebook::escalation::Routes) -> Result<()> {
        if self.json {
            let list: Vec<_> = r
                .routes
                .iter()
                .map(|x| serde_json::json!({"id": x.id, "name_en": x.name_en, "name_zh": x.name_zh, "region": x.region, "source": x.source}))
                .collect();
            return print_json(&list);
        }
        for x in &r.routes {
            casebook_cli::outln!("{:<12} {} / {}", x.id, x.name_en, x.name_zh);
            for c in &x.clock {
                casebook_cli::outln!(
                    "             {} {:?} — {}",
                    c.count,
                    c.unit,
                    pick(&c.label_en, &c.label_zh)
                );
            }
        }
        casebook_cli::outln!("{}", pick(&r.disclaimer_en, &r.disclaimer_zh));
        Ok(())
    }
}

impl Out {
    pub fn protection(&self, p: &casebook::vault::Protection) -> Result<()> {
        if self.json {
            return print_json(p);
        }
        if p.protected {
            let lock = if p.idle_lock_minutes == 0 {
                tr!("only on demand", "只在手动时锁定")
            } else {
                tr!(
                    "after {} minutes without use",
                    "闲置 {} 分钟后自动锁定",
                    p.idle_lock_minutes
                )
            };
            casebook_cli::trln!(
                "Protected by a passphrase: the journal and its files are encrypted. The app locks {}.",
                "受密码短语保护：日志及其文件已加密。应用{}。",
                lock
            );
        } else {
            casebook_cli::trln!(
                "Not protected: anyone who can read this computer's disk can read the journal. Protect it with `casebook passphrase set`.",
                "未受保护：能读取这台电脑磁盘的人都能读到日志。用 `casebook passphrase set` 设置密码短语保护它。"
            );
        }
        Ok(())
    }

    /// Prints the recovery key; `first` adds what it is for.
    pub fn recovery_key(&self, key: &str, first: bool) -> Result<()> {
        if self.json {
            return print_json(&serde_json::json!({ "recovery_key": key }));
        }
        if first {
            casebook_cli::trln!(
                "The journal and its files are now encrypted. Casebook has no way in without your passphrase — there is no backdoor.",
                "日志及其文件现已加密。没有你的密码短语，Casebook 也无法打开——没有后门。"
            );
            casebook_cli::trln!(
                "Write this recovery key down and keep it somewhere safe, away from this computer. With it you can set a new passphrase if you forget yours (casebook passphrase reset):",
                "请把这个恢复密钥抄下来，存放在远离这台电脑的安全地方。忘记密码短语时，可以用它设置新的密码短语（casebook passphrase reset）："
            );
        } else {
            casebook_cli::trln!(
                "A new recovery key was made; the old one no longer works. Write this one down and keep it away from this computer:",
                "已生成新的恢复密钥，旧的不再有效。请把它抄下来，存放在远离这台电脑的地方："
            );
        }
        casebook_cli::outln!("{key}");
        Ok(())
    }
}

impl Out {
    pub fn bench_crypto(&self, r: &casebook_cli::bench::CryptoBenchReport) -> Result<()> {
        if self.json {
            return print_json(r);
        }
        casebook_cli::outln!(
            "casebook bench-crypto — {} contacts, import of {} rows, SQLCipher {}",
            r.contacts,
            r.import_rows,
            casebook::Journal::sqlite_version()
        );
        casebook_cli::outln!(
            "unlock (Argon2id 64 MiB t=3 p=4, open, first read): median {:.0} ms, max {:.0} ms",
            r.unlock_ms,
            r.unlock_max_ms
        );
        casebook_cli::outln!(
            "{:<36} {:>12} {:>12} {:>8}",
            "p95 ms",
            "plain",
            "encrypted",
            "ratio"
        );
        // One line: what, plain, encrypted and their ratio.
        let row = |what: &str, p: f64, e: f64, decimals: usize| {
            casebook_cli::outln!(
                "{what:<36} {p:>12.decimals$} {e:>12.decimals$} {:>8.2}",
                e / p.max(1e-9)
            );
        };
        for (p, e) in r.plain.results.iter().zip(&r.encrypted.results) {
            row(&p.what, p.p95_ms, e.p95_ms, 2);
        }
        row(
            "build (s→ms)",
            r.plain.build_secs * 1000.0,
            r.encrypted.build_secs * 1000.0,
            0,
        );
        row(
            "bulk import (ms)",
            r.plain_import_ms,
            r.encrypted_import_ms,
            0,
        );
        row(
            "attach 20 MB (ms)",
            r.plain_attach_ms,
            r.encrypted_attach_ms,
            0,
        );
        Ok(())
    }
}

/// A statement layout's name in the CLI's language.
fn layout_name(n: &casebook::import::layouts::Names) -> &str {
    if i18n::zh() { &n.zh } else { &n.en }
}

/// ` (German)` for a statement whose column names are in a language its
/// wallet does not always use (from the shared catalogue's terms).
fn language_of(code: &str) -> String {
    i18n::term(i18n::lang(), &format!("statement_language:{code}"))
        .unwrap_or("")
        .to_string()
}
