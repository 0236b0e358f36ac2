//! The words of the exported documents, in Simplified Chinese and English.

use crate::model::{Category, Channel, Direction, RefKind, Status};

use super::PromiseState;

pub use crate::model::Lang;

/// A fixed phrase of the documents.
pub fn t(lang: Lang, key: &str) -> &'static str {
    let (en, zh) = match key {
        "case_summary" => ("Case summary", "案件摘要"),
        "provider" => ("Provider", "平台/机构"),
        "category" => ("Category", "问题类型"),
        "status" => ("Status", "状态"),
        "opened" => ("Opened", "立案日期"),
        "days_open" => ("Days open", "已持续天数"),
        "amount" => ("Amount at stake", "涉及金额"),
        "deadline" => ("Deadline", "截止日期"),
        "outcome" => ("Desired outcome", "期望结果"),
        "summary" => ("Summary", "情况说明"),
        "exported" => ("Exported", "导出时间"),
        "redacted_note" => (
            "The user's own account, card and phone numbers and e-mail addresses are masked to their last 4 characters; what support said is quoted unaltered.",
            "用户本人的账号、卡号、电话号码和电子邮箱只显示最后 4 位；客服的原话一字未改。",
        ),
        "key_facts" => ("Key facts", "关键事实"),
        "first_contact" => ("First contact", "首次联系"),
        "contacts" => ("Contacts", "联系次数"),
        "by_channel" => ("Contacts by channel", "按渠道统计"),
        "references" => ("Reference numbers", "编号（工单、投诉、案件、交易）"),
        "kind" => ("Kind", "类型"),
        "number" => ("Number", "编号"),
        "given" => ("Given", "时间"),
        "in_entry" => ("In", "出处"),
        "promises" => ("Promises made by support", "客服的承诺"),
        "promised_on" => ("Promised on", "承诺时间"),
        "due" => ("Due", "承诺期限"),
        "promise" => ("Promise", "承诺内容"),
        "kept" => ("Kept?", "是否兑现"),
        "none" => ("None recorded.", "无记录。"),
        "escalation" => ("Escalation", "升级投诉"),
        "escalate_to" => ("Route", "途径"),
        "first_complaint" => ("First complaint", "首次投诉"),
        "can_escalate_from" => ("You can escalate from", "可以升级投诉的日期"),
        "no_first_complaint" => (
            "No complaint logged yet: the clock starts with your first complaint.",
            "尚未记录投诉：时限从首次投诉起计算。",
        ),
        "source" => ("Source", "依据"),
        "timeline" => ("Timeline", "时间线"),
        "contact_point" => ("Contact point", "联系方式"),
        "agent" => ("Agent", "客服"),
        "asked" => ("Asked", "询问内容"),
        "reply" => ("Reply (verbatim)", "客服答复（原话）"),
        "result" => ("Outcome", "结果"),
        "duration" => ("Duration", "时长"),
        "follow_up" => ("Follow-up promised", "承诺跟进"),
        "edited" => ("Edited", "已修改"),
        "note" => ("Diary note", "日记"),
        "status_change" => ("Status changed", "状态变更"),
        "transaction" => ("Transaction", "交易"),
        "transactions" => ("Transactions", "交易记录"),
        "time" => ("Time", "时间"),
        "txid" => ("Transaction ID", "交易号"),
        "direction" => ("Direction", "方向"),
        "counterparty" => ("Counterparty", "交易对方"),
        "total" => ("Totals", "合计"),
        "currency" => ("Currency", "币种"),
        "count" => ("Count", "笔数"),
        "money_in" => ("In", "收入"),
        "money_out" => ("Out", "支出"),
        "net" => ("Net", "净额"),
        "evidence" => ("Evidence", "证据文件"),
        "file" => ("File", "文件"),
        "size" => ("Size", "大小"),
        "added" => ("Added", "添加时间"),
        "attached_to" => ("Attached to", "关联"),
        "warnings" => ("Scam-shield warnings", "防骗提醒"),
        "entry" => ("Entry", "条目"),
        "reason" => ("Why", "原因"),
        "advice" => ("What to do", "建议"),
        "matched" => ("Words", "原文"),
        "manifest" => ("Manifest", "校验清单"),
        "manifest_note" => (
            "SHA-256 of every entry as exported (its canonical JSON) and of every attached file. Check this document with `casebook verify-export FILE`.",
            "每个条目（按其规范 JSON）和每个附件的 SHA-256。可用 `casebook verify-export 文件` 校验本文件。",
        ),
        "manifest_hash" => ("Manifest SHA-256", "清单 SHA-256"),
        "page" => ("Page", "第"),
        "of" => ("of", "页，共"),
        "not_advice" => ("Casebook is not legal advice.", "Casebook 不构成法律意见。"),
        "in_dir" => ("in", "收到"),
        "out_dir" => ("out", "付出"),
        "yes" => ("Kept", "已兑现"),
        "no" => ("Not kept", "未兑现"),
        "pending" => ("Not yet due", "未到期"),
        _ => {
            debug_assert!(false, "no label '{key}'");
            ("?", "?")
        }
    };
    lang.pick(en, zh)
}

pub fn promise_state(lang: Lang, s: PromiseState) -> &'static str {
    t(
        lang,
        match s {
            PromiseState::Kept => "yes",
            PromiseState::NotKept => "no",
            PromiseState::Pending => "pending",
        },
    )
}

pub fn direction(lang: Lang, d: Direction) -> &'static str {
    t(
        lang,
        match d {
            Direction::In => "in_dir",
            Direction::Out => "out_dir",
        },
    )
}

pub fn contact_direction(lang: Lang, d: Direction) -> &'static str {
    match (lang, d) {
        (Lang::En, Direction::Out) => "I contacted them",
        (Lang::En, Direction::In) => "they contacted me",
        (Lang::Zh, Direction::Out) => "我方联系",
        (Lang::Zh, Direction::In) => "对方来电/来信",
    }
}

pub fn channel(lang: Lang, c: Channel) -> &'static str {
    let (en, zh) = match c {
        Channel::Chat => ("In-app or online chat", "在线/App 内客服"),
        Channel::Phone => ("Phone", "电话"),
        Channel::Email => ("E-mail", "电子邮件"),
        Channel::Social => ("Social media", "社交媒体"),
        Channel::InPerson => ("In person", "当面"),
        Channel::Other => ("Other", "其他"),
    };
    lang.pick(en, zh)
}

pub fn category(lang: Lang, c: Category) -> &'static str {
    let (en, zh) = match c {
        Category::AccountLocked => ("Account locked or frozen", "账户被锁定或冻结"),
        Category::TransactionFailed => ("Failed transaction", "交易失败"),
        Category::Refund => ("Refund", "退款"),
        Category::Fraud => ("Fraud or scam", "诈骗"),
        Category::Security => ("Security", "账户安全"),
        Category::Other => ("Other", "其他"),
    };
    lang.pick(en, zh)
}

pub fn status(lang: Lang, s: Status) -> &'static str {
    let (en, zh) = match s {
        Status::Open => ("Open", "处理中"),
        Status::Waiting => ("Waiting on the provider", "等待平台答复"),
        Status::Escalated => ("Escalated", "已升级投诉"),
        Status::Resolved => ("Resolved", "已解决"),
        Status::Closed => ("Closed", "已关闭"),
    };
    lang.pick(en, zh)
}

pub fn ref_kind(lang: Lang, k: RefKind) -> &'static str {
    let (en, zh) = match k {
        RefKind::Ticket => ("Ticket", "工单号"),
        RefKind::Complaint => ("Complaint", "投诉编号"),
        RefKind::Case => ("Case", "案件号"),
        RefKind::Transaction => ("Transaction", "交易号"),
        RefKind::Other => ("Other", "其他编号"),
    };
    lang.pick(en, zh)
}
