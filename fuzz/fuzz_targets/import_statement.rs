//! Any bytes given to the statement importers (detection by content, every
//! layout, a column mapping, the preview) give rows or an error, never a
//! panic.
#![no_main]

use casebook::import::{
    ColumnMapping, Format, ImportOptions, RowFilter, guess_mapping, read_statement,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&choice, bytes)) = data.split_first() else {
        return;
    };
    let format = match choice % 8 {
        0 | 7 => None,
        1 => Some(Format::Alipay),
        2 => Some(Format::Wechat),
        3 => Some(Format::Paypal),
        4 => Some(Format::Coinbase),
        5 => Some(Format::Revolut),
        _ => Some(Format::Csv),
    };
    let mapping = if format == Some(Format::Csv) {
        // The mapping Casebook guesses, or one onto the file's own first
        // columns, as the app offers.
        let guess = guess_mapping(bytes).ok();
        if choice & 0x40 != 0
            && let Some(m) = guess.as_ref().and_then(|g| g.mapping.clone())
        {
            return read(bytes, format, Some(m), choice);
        }
        let cols = guess.map(|g| g.columns).unwrap_or_default();
        let col = |i: usize| cols.get(i).cloned().unwrap_or_else(|| format!("c{i}"));
        Some(ColumnMapping {
            date: col(0),
            time: None,
            amount: col(1),
            currency: cols.get(2).cloned(),
            fixed_currency: Some("CNY".into()),
            id: cols.get(3).cloned(),
            counterparty: cols.get(4).cloned(),
            status: None,
            note: None,
            direction: cols.get(5).cloned(),
            day_first: choice & 0x10 != 0,
            utc: choice & 0x20 != 0,
        })
    } else {
        None
    };
    read(bytes, format, mapping, choice);
});

fn read(bytes: &[u8], format: Option<Format>, mapping: Option<ColumnMapping>, choice: u8) {
    let opts = ImportOptions {
        format,
        mapping,
        offset_secs: Some(8 * 3600),
        day_first: match choice & 0x80 {
            0 => None,
            _ => Some(choice & 1 == 0),
        },
        made_on: None,
    };
    if let Ok(statement) = read_statement(bytes, &opts) {
        let _ = statement.view(&RowFilter::default(), 50);
    }
}
