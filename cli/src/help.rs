//! The command line's help in Chinese. clap takes the English help from the
//! doc comments of `args.rs`; for a Chinese-speaking user (`--lang zh`, the
//! journal's language, or a `zh*` locale) every command's description and
//! every option's help is replaced from [`ZH`] before the arguments are
//! parsed. A test walks the whole command tree: nothing has help in English
//! only.

use clap::{Arg, ArgAction, Command};

/// `"case new"` is a command's description; `"case new:title"` an option's help.
pub(crate) const ZH: &[(&str, &str)] = &[
    (
        "casebook",
        "Casebook 支付纠纷记录本：记下与钱包和支付应用的每一次纠纷。",
    ),
    (
        ":data_dir",
        "存放 journal.sqlite3 的文件夹（默认：$CASEBOOK_DATA_DIR，其次是系统的数据文件夹）",
    ),
    (":json", "在标准输出打印一份 JSON 文档，而不是文字"),
    (
        ":passphrase_fd",
        "从这个已打开的文件描述符读取密码短语和恢复密钥，每行一个，按命令询问的顺序（先当前密码短语，再新的）——供脚本使用：`3<secret.txt`。比 CASEBOOK_PASSPHRASE 更安全，后者其他程序也能读到",
    ),
    (
        ":lang",
        "zh 或 en：提示信息、导出和投诉信的语言（默认：日志的语言设置，其次是 LC_ALL、LC_MESSAGES 或 LANG）",
    ),
    ("case", "新建、列出、查看案件，修改案件状态"),
    ("case new", "新建一个案件"),
    (
        "case new:provider",
        "钱包或支付服务，例如 支付宝、微信支付、PayPal",
    ),
    (
        "case new:provider_kind",
        "e_wallet（电子钱包）、bank_app（银行 App）、crypto_wallet（加密钱包）或 other（常见名称会自动判断）",
    ),
    (
        "case new:category",
        "account_locked（账户被锁定或冻结）、transaction_failed（交易失败）、refund（退款）、fraud（诈骗）、security（安全）或 other（其他）",
    ),
    (
        "case new:amount",
        "涉及金额，例如 1250.00（需同时给出 --currency）",
    ),
    (
        "case new:deadline",
        "最后期限，例如申请退款的截止日期（年-月-日）",
    ),
    ("case new:outcome", "你想要的结果：退款、解冻、道歉……"),
    (
        "case new:opened",
        "问题开始的时间（默认：最早的一条记录，没有记录时为现在）",
    ),
    ("case list", "列出案件，未结案的在前"),
    (
        "case show",
        "查看一个案件及其时间线：联系记录、备注、交易、状态变化",
    ),
    (
        "case escalation",
        "案件可以向哪里升级投诉（例如 uk-payments、cn-nfra），以及从哪天开始计时",
    ),
    (
        "case escalation:route",
        "途径编号；`casebook case routes` 列出全部。留空则清除",
    ),
    (
        "case escalation:first_complaint",
        "首次投诉的日期，如果早于记录的第一次联系（年-月-日）",
    ),
    ("case routes", "Casebook 知道的投诉升级途径及其来源"),
    (
        "case status",
        "修改案件状态（open 处理中、waiting 等待中、escalated 已升级、resolved 已解决、closed 已关闭）",
    ),
    (
        "case check",
        "勾选案件准备清单中的一项（例如 transaction_records）",
    ),
    ("case check:undo", "取消勾选"),
    ("contact", "记录与客服的联系，修改记录，查看修改历史"),
    ("contact add", "记录一次与客服的联系"),
    (
        "contact add:at",
        "发生的时间：RFC 3339（2026-11-20T14:30:00+08:00）、'2026-11-20 14:30' 或 now（现在）",
    ),
    (
        "contact add:channel",
        "chat（在线客服）、phone（电话）、email（邮件）、social（社交媒体）、in_person（当面）或 other（其他）",
    ),
    ("contact add:via", "使用的电话号码、邮箱地址、网址或账号"),
    (
        "contact add:direction",
        "out（我联系他们）或 in（他们联系我）",
    ),
    ("contact add:asked", "我问了什么（'-' 表示从标准输入读取）"),
    ("contact add:reply", "客服的原话（'-' 表示从标准输入读取）"),
    (
        "contact add:refs",
        "编号，写成 类型:号码（ticket 工单、complaint 投诉、case 案件、transaction 交易、other 其他）；可重复",
    ),
    (
        "contact add:follow_up",
        "客服承诺回复的日期（年-月-日；修改时写 'none' 表示清除）",
    ),
    ("contact add:promise", "客服承诺了什么"),
    (
        "contact add:duration",
        "通话或聊天的时长，单位分钟（或 分:秒）",
    ),
    ("contact edit", "修改一条联系记录；修改前的版本会保留"),
    (
        "contact edit:at",
        "发生的时间：RFC 3339（2026-11-20T14:30:00+08:00）、'2026-11-20 14:30' 或 now（现在）",
    ),
    (
        "contact edit:channel",
        "chat（在线客服）、phone（电话）、email（邮件）、social（社交媒体）、in_person（当面）或 other（其他）",
    ),
    ("contact edit:via", "使用的电话号码、邮箱地址、网址或账号"),
    (
        "contact edit:direction",
        "out（我联系他们）或 in（他们联系我）",
    ),
    ("contact edit:asked", "我问了什么（'-' 表示从标准输入读取）"),
    ("contact edit:reply", "客服的原话（'-' 表示从标准输入读取）"),
    (
        "contact edit:refs",
        "编号，写成 类型:号码（ticket 工单、complaint 投诉、case 案件、transaction 交易、other 其他）；可重复",
    ),
    (
        "contact edit:follow_up",
        "客服承诺回复的日期（年-月-日；写 'none' 表示清除）",
    ),
    ("contact edit:promise", "客服承诺了什么"),
    (
        "contact edit:duration",
        "通话或聊天的时长，单位分钟（或 分:秒）",
    ),
    ("contact edit:clear_refs", "删除所有编号"),
    ("contact edit:follow_up_done", "把客服的承诺标记为已处理"),
    ("contact edit:follow_up_open", "把客服的承诺标记为仍未处理"),
    ("contact history", "一条联系记录的每个版本"),
    ("contact delete", "把联系记录移到回收站（可以恢复）"),
    ("contact restore", "从回收站恢复联系记录"),
    ("contact trash", "回收站里的联系记录"),
    (
        "contact report-scam",
        "把一次联系标记为诈骗：它的号码或地址以后再出现时都会被提醒",
    ),
    ("contact report-scam:undo", "撤回标记"),
    (
        "contact from-email",
        "把客服的一封电子邮件（.eml）记录为联系记录；邮件文件作为它的证据保存",
    ),
    (
        "contact from-email:file",
        ".eml 文件（在邮件程序里把邮件另存为 .eml）",
    ),
    (
        "contact from-email:refs",
        "添加这个编号（类型:编号）；可重复",
    ),
    ("contact from-email:all_refs", "添加在其中找到的所有编号"),
    ("contact from-email:dry_run", "只显示将记录的内容，不保存"),
    (
        "contact from-chat",
        "把复制的聊天记录作为一条联系记录原样保存，并按发言拆分显示",
    ),
    (
        "contact from-chat:file",
        "聊天记录的文本文件（'-' 表示从标准输入读取）",
    ),
    (
        "contact from-chat:channel",
        "chat（在线客服）、phone（电话）、email（邮件）、social（社交媒体）、in_person（当面）或 other（其他）",
    ),
    ("contact from-chat:via", "聊天所用的 App、网站或账号"),
    (
        "contact from-chat:refs",
        "添加这个编号（类型:编号）；可重复",
    ),
    ("contact from-chat:all_refs", "添加在其中找到的所有编号"),
    ("contact from-chat:dry_run", "只显示拆分后的消息，不保存"),
    (
        "contact refs",
        "在一条联系记录的文字和文件里找到、但还没有添加的编号",
    ),
    ("note", "案件中带日期的备注"),
    (
        "note add",
        "添加一条带日期的备注（TEXT 写 '-' 表示从标准输入读取）",
    ),
    ("note edit", "修改备注的内容或时间；修改前的版本会保留"),
    ("txn", "案件中的交易记录"),
    ("txn add", "记录一笔交易（负数金额表示支出）"),
    (
        "txn import",
        "从钱包的账单导出文件导入交易（支付宝、微信支付、PayPal、Coinbase、Revolut，或用 --map-* 指定列的任意 CSV）。--dry-run 只显示将导入的内容；所选的行要么全部写入，要么一行也不写",
    ),
    (
        "txn import:format",
        "auto（自动）、alipay、wechat、paypal、coinbase、revolut 或 csv",
    ),
    (
        "txn import:dry_run",
        "显示各行及将会发生什么；不写入任何内容",
    ),
    (
        "txn import:rows",
        "只导入文件中的这些行（以 --dry-run 显示的行号为准），例如 27,31",
    ),
    ("txn import:from", "只要这一天及之后的行（年-月-日）"),
    ("txn import:to", "只要这一天及之前的行"),
    ("txn import:min", "只要金额不低于此数的行"),
    ("txn import:max", "只要金额不高于此数的行"),
    (
        "txn import:matching",
        "只要交易号、对方、方式、状态或备注中含有这些词的行",
    ),
    (
        "txn import:mapping",
        "使用以此名称保存的列对应方案（--format csv）",
    ),
    (
        "txn import:save_mapping",
        "把 --map-* 给出的列对应方案以此名称保存",
    ),
    ("txn import:map_date", "日期所在的列（--format csv）"),
    ("txn import:currency", "没有货币列时，每一行的货币"),
    (
        "txn import:day_first",
        "03/04/2024 这样的日期是日在前（4 月 3 日），用于所有日期两种读法都说得通的文件",
    ),
    (
        "txn import:month_first",
        "03/04/2024 这样的日期是月在前（3 月 4 日）",
    ),
    (
        "txn mappings",
        "为 `txn import --format csv` 保存的列对应方案",
    ),
    (
        "attach",
        "给案件附上证据文件（截图、PDF、邮件、聊天记录导出）",
    ),
    ("attach:contact_id", "附在案件的这条联系记录上"),
    ("attach:txn_id", "附在案件的这笔交易上"),
    (
        "attach:no_ocr",
        "现在不识别截图中的文字（之后可运行 casebook ocr）",
    ),
    ("ocr", "识别已附截图中尚未识别的文字（只在这台电脑上进行）"),
    (
        "bench-ocr",
        "用一组截图及其真实文字测量文字识别：中文和拉丁字符的准确率、完整识别出的编号、每张图的用时",
    ),
    (
        "bench-ocr:dir",
        "文件夹：NN-name.png 及 NN-name.txt（真实文字）和 NN-name.refs",
    ),
    (
        "bench-ocr:show_dev",
        "同时列出开发部分的每张图和没有识别出的编号",
    ),
    ("ocr:retry", "重新识别之前因缺少文字识别引擎而未识别的截图"),
    (
        "verify",
        "重新计算每个存档证据文件的校验值；有文件缺失或被改动时以非零状态退出",
    ),
    (
        "channel",
        "你亲自核实过的官方联系方式登记（电话号码、邮箱域名、网站……）",
    ),
    (
        "channel add",
        "登记一个你核实过的官方联系方式（Casebook 不内置任何号码）",
    ),
    (
        "channel add:provider",
        "服务商，例如 支付宝 或 PayPal（没有时会新建）",
    ),
    (
        "channel add:kind",
        "phone（电话）、email（域名或地址）、website（网站）、social（社交媒体）、in_app（App 内）或 other（其他）",
    ),
    (
        "channel add:verified_how",
        "在哪里核实的：官方 App、银行卡背面、官方网站……",
    ),
    ("channel add:value", "号码、邮箱域名、网站或账号"),
    ("channel list", "官方联系方式登记，按服务商列出"),
    ("channel remove", "把一个联系方式从登记中移除"),
    ("channel check", "像案件中的一次联系那样检查一个号码或地址"),
    (
        "channel check:channel",
        "chat（在线客服）、phone（电话）、email（邮件）、social（社交媒体）、in_person（当面）或 other（其他）",
    ),
    (
        "scan",
        "检查客服说的话（回复、指示、备注）和使用的号码里的诈骗风险信号",
    ),
    (
        "export",
        "导出用于投诉升级的案件摘要（Markdown、HTML、PDF 或 JSON），附清单",
    ),
    ("export:format", "md、html、pdf 或 json"),
    ("export:output", "写到这里（默认：标准输出）"),
    (
        "export:redact",
        "遮盖你本人的账号、卡号、电话号码和邮箱地址（默认）",
    ),
    ("export:no_redact", "完整显示它们"),
    ("verify-export", "核验导出的案件摘要在导出后没有被改动"),
    (
        "verify-export:files",
        "存放所附文件的文件夹，一并与清单核对",
    ),
    (
        "letter",
        "根据案件起草投诉信，寄给服务商或监管机构/调解机构",
    ),
    (
        "letter:to",
        "provider（服务商的投诉部门）或 regulator（监管机构或调解机构）",
    ),
    (
        "backup",
        "把整本日志及其文件写进一个备份文件（应用运行时也安全）",
    ),
    ("restore", "把备份恢复到（空的）数据文件夹"),
    (
        "restore:force",
        "替换一个非空的数据文件夹（原有内容会移到一旁，不会删除）",
    ),
    (
        "passphrase",
        "用密码短语保护日志（静态加密），修改密码短语，锁定设置",
    ),
    ("passphrase status", "日志是否受保护，以及闲置多久后锁定"),
    (
        "passphrase set",
        "保护一本未受保护的日志：加密数据库、搜索索引和每个文件。会打印恢复密钥",
    ),
    (
        "passphrase change",
        "修改密码短语（只改变密钥的封装；很快）",
    ),
    ("passphrase reset", "忘记密码短语：用恢复密钥设置新的"),
    (
        "passphrase recovery-key",
        "生成新的恢复密钥并打印（需要密码短语）；旧的随即失效",
    ),
    (
        "passphrase change-key",
        "更换数据密钥：用新密钥重新加密日志和每个文件，并打印新的恢复密钥（密码短语不变）。用于旧密钥、恢复密钥或备份可能已泄露时",
    ),
    (
        "passphrase idle-lock",
        "闲置这么多分钟后锁定应用（0：只在手动时锁定）",
    ),
    ("search", "搜索一切内容，中文和英文皆可"),
    (
        "search:query",
        "要找的词。支持 \"加引号的短语\" 和 -词（排除）；查询以减号开头时，请把整个查询加引号或放在 `--` 之后：casebook search \"refund -paypal\"，casebook search -- -paypal refund",
    ),
    (
        "search:kind",
        "case（案件）、contact（联系记录）、note（备注）或 transaction（交易）",
    ),
    ("search:status", "记录所属案件的状态"),
    ("search:from", "第一天（年-月-日）"),
    ("search:to", "最后一天（年-月-日）"),
    (
        "due",
        "已到期或逾期的跟进和截止日期，最早的在前。加 --notify 时，把现在该发的提醒作为桌面通知发出（每条只发一次；供 cron 或 systemd 定时器使用）",
    ),
    ("due:within", "同时列出这么多天内到期的事项"),
    (
        "due:notify",
        "把现在该发的提醒作为桌面通知发出（每条只发一次，免打扰时段不发），而不是列出",
    ),
    (
        "due:dry_run",
        "与 --notify 一起用：只显示将发送什么，不发送也不记录",
    ),
    (
        "due:snooze",
        "在 --until 之前不再提醒这一项（contact:编号、deadline:案件编号、escalation:案件编号）",
    ),
    (
        "due:until",
        "稍后提醒的那一项从哪天起可以再提醒（年-月-日）",
    ),
    ("due:unsnooze", "取消这一项的稍后提醒"),
    ("providers", "日志中的钱包和支付服务"),
    ("info", "日志在哪里，使用的是哪些版本"),
    (
        "settings",
        "日志的设置（应用和命令行共用）：显示设置，或设置一项（`settings language zh`、`settings theme dark`；写 `auto` 表示清除，由系统语言或系统主题决定；`settings reminders off`、`settings quiet-hours 22:00-08:00`、`settings reminder-kinds follow_up,not_kept`）",
    ),
    (
        "settings:name",
        "language（语言）、theme（主题）、reminders（提醒）、quiet-hours（免打扰时段）或 reminder-kinds（提醒种类）",
    ),
    (
        "settings:value",
        "language：zh、en 或 auto；theme：light、dark 或 auto；reminders：on 或 off；quiet-hours：时:分-时:分 或 off；reminder-kinds：要提醒的种类（follow_up、not_kept、deadline、escalation），或 all",
    ),
    (
        "bench",
        "在临时文件夹里生成含 N 条联系记录的模拟日志，并打印耗时",
    ),
    ("bench:dir", "在这里生成，而不是临时文件夹（之后保留）"),
    (
        "bench-export",
        "测量一个长案件每种格式的摘要耗时，以及一次大备份（含内存峰值）",
    ),
    (
        "write-stream",
        "供崩溃安全测试使用：向一个案件连续写入，每提交一次打印一行",
    ),
    (
        "bench-crypto",
        "静态加密：解锁耗时、搜索 p95、批量导入和附件，明文与加密对比",
    ),
    (
        "bench-shield",
        "在带标注的语料上评估防骗提醒：诈骗语句被标出的比例（召回率）、正常语句被误标的比例和精确率，按数据划分、语言和类型列出；以及速度",
    ),
    (
        "bench-shield:corpus",
        "语料文件（TSV：split、lang、label、kind、text、source）",
    ),
    (
        "bench-shield:rules",
        "改用另一个规则文件（格式同 rules/scam-shield.toml），代替内置的",
    ),
    (
        "bench-shield:scripts",
        "改用另一个话术规则文件（格式同 rules/scam-scripts.toml），代替内置的",
    ),
    (
        "bench-shield:examples",
        "改用另一个示例文件学习（格式同 rules/shield-examples.tsv），代替内置的，用于各项数字和交叉验证",
    ),
    (
        "bench-shield:show_dev",
        "同时列出开发集里漏报和误报的语句，用于调整规则（从不列出保留测试集的）",
    ),
    (
        "bench-statements",
        "读取一个文件夹里的每个账单文件（读出的行、无法读取的行、格式、耗时），再测量三种格式各 100,000 行的账单",
    ),
    (
        "bench-statements:dir",
        "账单文件所在的文件夹（默认是代码仓库里的测试样本）",
    ),
    (
        "bench-files",
        "在临时文件夹里测量账单导入预览和一个大附件的耗时",
    ),
];

fn zh(key: &str) -> Option<&'static str> {
    ZH.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

fn key(path: &str, arg: &str) -> String {
    if path.is_empty() {
        format!(":{arg}")
    } else {
        format!("{path}:{arg}")
    }
}

/// The command tree with its help in Chinese.
pub(crate) fn in_chinese(cmd: Command) -> Command {
    walk(cmd, "")
}

fn walk(mut cmd: Command, path: &str) -> Command {
    if let Some(about) = zh(if path.is_empty() { "casebook" } else { path }) {
        cmd = cmd.about(about).long_about(None);
    }
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    cmd = cmd
        .help_template("{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}")
        .subcommand_help_heading("命令")
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助")
                .help_heading("选项"),
        );
    if path.is_empty() {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本")
                .help_heading("选项"),
        );
    }
    for id in ids {
        let h = zh(&key(path, &id));
        cmd = cmd.mut_arg(id.as_str(), |a| {
            let a = a.help_heading("选项");
            match h {
                Some(h) => a.help(h).long_help(None),
                None => a,
            }
        });
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in subs {
        let sub_path = if path.is_empty() {
            name.clone()
        } else {
            format!("{path} {name}")
        };
        cmd = cmd.mut_subcommand(name.as_str(), |s| walk(s, &sub_path));
    }
    cmd
}

/// Every (key, English help) of the tree, for the test and for translators.
#[cfg(test)]
pub(crate) fn english(cmd: &Command, path: &str, out: &mut Vec<(String, String)>) {
    let name = if path.is_empty() {
        "casebook".to_string()
    } else {
        path.to_string()
    };
    if let Some(a) = cmd.get_about() {
        out.push((name, a.to_string()));
    }
    for a in cmd.get_arguments() {
        if let Some(h) = a.get_help() {
            out.push((key(path, a.get_id().as_str()), h.to_string()));
        }
    }
    for s in cmd.get_subcommands() {
        let sub_path = if path.is_empty() {
            s.get_name().to_string()
        } else {
            format!("{path} {}", s.get_name())
        };
        english(s, &sub_path, out);
    }
}
