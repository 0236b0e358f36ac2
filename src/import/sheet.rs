//! Turning the bytes of a statement export into rows of cells: encoding by
//! BOM and validity (UTF-8, UTF-16, GBK), CSV with its delimiter found from
//! the content, or the first sheet of an XLSX workbook.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use crate::error::{Error, Problem, Result};

/// A statement larger than this is refused before it is read.
pub const MAX_STATEMENT_BYTES: u64 = 64 * 1024 * 1024;

/// One row of the file, with the line (CSV) or row (XLSX) number a person
/// sees in a text editor or spreadsheet, counting from 1.
#[derive(Clone, Debug)]
pub struct Line {
    pub number: usize,
    pub cells: Vec<String>,
}

impl Line {
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.is_empty())
    }
}

#[derive(Clone, Debug)]
pub struct Sheet {
    pub lines: Vec<Line>,
    /// "UTF-8", "GBK", "UTF-16LE", "XLSX"...
    pub encoding: String,
}

/// Trims what exports pad values with: spaces, tabs (Alipay pads IDs with a
/// tab so spreadsheets keep them as text), a BOM, and Excel's `="…"` guard.
pub fn clean(cell: &str) -> String {
    let s = cell.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let s = s
        .strip_prefix("=\"")
        .and_then(|r| r.strip_suffix('"'))
        .unwrap_or(s);
    // Old PayPal exports separate quoted cells with `", "`: the space keeps
    // the CSV reader from seeing the quotes.
    if s.len() >= 2 && s.starts_with('"') && s.ends_with('"') {
        return s[1..s.len() - 1].replace("\"\"", "\"").trim().to_string();
    }
    s.trim().to_string()
}

fn too_big(size: u64) -> Error {
    Error::invalid(Problem::StatementTooBig {
        mb: size / (1024 * 1024),
        max_mb: MAX_STATEMENT_BYTES / (1024 * 1024),
    })
}

/// Refuses a file that is too large to be a statement, before reading it.
pub fn check_size(size: u64) -> Result<()> {
    if size > MAX_STATEMENT_BYTES {
        Err(too_big(size))
    } else {
        Ok(())
    }
}

/// Reads a statement file's rows.
pub fn read(bytes: &[u8]) -> Result<Sheet> {
    check_size(bytes.len() as u64)?;
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::invalid(Problem::StatementEmpty {}));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return read_xlsx(bytes);
    }
    let (text, encoding) = decode(bytes)?;
    read_csv(&text, encoding)
}

fn binary_error(what: &str) -> Error {
    Error::invalid(Problem::StatementNotText { what: what.into() })
}

fn decode(bytes: &[u8]) -> Result<(String, String)> {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, bad) = enc.decode_without_bom_handling(&bytes[bom..]);
        if bad {
            return Err(Error::invalid(Problem::StatementBadBytes {
                encoding: enc.name().into(),
            }));
        }
        return Ok((text.into_owned(), enc.name().to_string()));
    }
    let head = &bytes[..bytes.len().min(8192)];
    if let Some(kind) = infer::get(head)
        && !matches!(kind.matcher_type(), infer::MatcherType::Text)
    {
        return Err(binary_error(kind.mime_type()));
    }
    if head.contains(&0) {
        return Err(binary_error("binary"));
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_string(), "UTF-8".into()));
    }
    let (text, _, bad) = encoding_rs::GB18030.decode(bytes);
    if !bad {
        return Ok((text.into_owned(), "GBK".into()));
    }
    Err(Error::invalid(Problem::StatementUnknownEncoding {}))
}

/// The delimiter used most in the first lines: `,`, `;` or a tab.
fn delimiter(text: &str) -> u8 {
    let sample: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(40)
        .collect();
    let mut best = (b',', 0usize);
    for d in [b',', b';', b'\t'] {
        // The widest line is the header or a data row, not a preamble line.
        let n = sample
            .iter()
            .map(|l| l.bytes().filter(|&b| b == d).count())
            .max()
            .unwrap_or(0);
        if n > best.1 {
            best = (d, n);
        }
    }
    best.0
}

fn read_csv(text: &str, encoding: String) -> Result<Sheet> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(text))
        .from_reader(text.as_bytes());
    // Line numbers as an editor shows them, from each record's byte offset.
    let newlines: Vec<usize> = text
        .bytes()
        .enumerate()
        .filter(|&(i, b)| b == b'\n' || (b == b'\r' && text.as_bytes().get(i + 1) != Some(&b'\n')))
        .map(|(i, _)| i)
        .collect();
    let bytes = text.as_bytes();
    let line_of = |mut byte: usize| {
        // A record's position may point at the line break before it.
        while bytes.get(byte).is_some_and(|b| *b == b'\r' || *b == b'\n') {
            byte += 1;
        }
        newlines.partition_point(|&nl| nl < byte) + 1
    };
    let mut lines = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| {
            Error::invalid(Problem::StatementBadCsv {
                line: e.position().map(|p| line_of(p.byte() as usize) as u64),
                detail: e.to_string(),
            })
        })?;
        let number = rec.position().map_or(0, |p| line_of(p.byte() as usize));
        lines.push(Line {
            number,
            cells: rec.iter().map(clean).collect(),
        });
    }
    Ok(Sheet { lines, encoding })
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => clean(s),
        Data::Float(f) => {
            // Integers stored as floats (IDs, whole amounts) without ".0".
            if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{}", *f as i64)
            } else {
                format!("{f}")
            }
        }
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => dt
            .as_datetime()
            .map(|d| d.format("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_default(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.replace('T', " "),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// The most a statement workbook's parts may say they hold, uncompressed:
/// one part, and all of them together (a real statement of a few thousand
/// rows holds a few MB).
const MAX_XLSX_PART_BYTES: u64 = 256 << 20;
const MAX_XLSX_TOTAL_BYTES: u64 = 512 << 20;
/// The least a shared string takes in `sharedStrings.xml` (`<si><t/></si>`).
const MIN_SHARED_STRING_BYTES: u64 = 12;

/// Checks a workbook against what calamine would allocate for it, before
/// calamine sees it: every part's declared size, and the shared-string
/// counts, which calamine reserves memory for up front (a crafted
/// `uniqueCount` of billions aborts the process: an allocation failure
/// cannot be caught).
fn check_xlsx_limits(bytes: &[u8]) -> std::result::Result<(), String> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("it is not a workbook ({e})"))?;
    let mut total: u64 = 0;
    let mut shared = None;
    for i in 0..zip.len() {
        let f = zip
            .by_index_raw(i)
            .map_err(|e| format!("it is damaged ({e})"))?;
        let size = f.size();
        if size > MAX_XLSX_PART_BYTES {
            return Err(format!(
                "a part of it says it holds {} MB, more than a statement can",
                size >> 20
            ));
        }
        total = total.saturating_add(size);
        let name = f.name().map_err(|e| format!("it is damaged ({e})"))?;
        if name.to_ascii_lowercase().ends_with("sharedstrings.xml") {
            shared = Some((i, size));
        }
    }
    if total > MAX_XLSX_TOTAL_BYTES {
        return Err(format!(
            "it says it holds {} MB once unpacked, more than a statement can",
            total >> 20
        ));
    }
    let Some((i, size)) = shared else {
        return Ok(());
    };
    // The counts are attributes of the first element.
    let mut head = Vec::with_capacity(4096);
    zip.by_index(i)
        .map_err(|e| format!("it is damaged ({e})"))?
        .take(64 * 1024)
        .read_to_end(&mut head)
        .map_err(|e| format!("it is damaged ({e})"))?;
    let head = String::from_utf8_lossy(&head);
    let Some(start) = head.find("sst") else {
        return Ok(());
    };
    let tag = &head[start..head[start..].find('>').map_or(head.len(), |e| start + e)];
    let can_hold = (size / MIN_SHARED_STRING_BYTES).min(MAX_XLSX_CELLS as u64);
    for attr in ["uniqueCount", "count"] {
        let Some(at) = tag.find(&format!("{attr}=")) else {
            continue;
        };
        let value: String = tag[at + attr.len() + 1..]
            .trim_start_matches(['"', '\''])
            .chars()
            .take_while(|c| !matches!(c, '"' | '\''))
            .collect();
        let n: u128 = value.trim().parse().unwrap_or(u128::MAX);
        if attr == "uniqueCount" && n > u128::from(can_hold) {
            return Err(format!(
                "its list of texts says it holds {value} of them, more than the file can (at most {can_hold})"
            ));
        }
        if attr == "count" && n > u128::from(MAX_XLSX_ROWS) * u128::from(MAX_XLSX_COLS) {
            return Err(format!(
                "its list of texts says it is used {value} times, more than a spreadsheet has cells"
            ));
        }
    }
    Ok(())
}

/// A spreadsheet's own limits (XLSX: 1,048,576 rows, 16,384 columns).
const MAX_XLSX_ROWS: u32 = 1_048_576;
const MAX_XLSX_COLS: u32 = 16_384;
/// The most cells (rows × columns of the used area) read from a sheet.
const MAX_XLSX_CELLS: usize = 5_000_000;

fn read_xlsx(bytes: &[u8]) -> Result<Sheet> {
    let bad = |e: &dyn std::fmt::Display| {
        Error::invalid(Problem::StatementBadXlsx {
            detail: e.to_string(),
        })
    };
    check_xlsx_limits(bytes).map_err(|e| bad(&e))?;
    // calamine can panic on a damaged file (an overflow in a cell
    // reference, found by fuzzing): that is a damaged file, not a crash.
    match std::panic::catch_unwind(|| read_xlsx_cells(bytes)) {
        Ok(sheet) => sheet.map_err(|e| bad(&e)),
        Err(_) => Err(bad(&"it is damaged")),
    }
}

/// The first sheet's cells, checked against a spreadsheet's limits before
/// anything is laid out (a damaged cell reference cannot ask for a sheet of
/// billions of cells).
fn read_xlsx_cells(bytes: &[u8]) -> std::result::Result<Sheet, String> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let name = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or("it has no sheet")?;
    let mut reader = book
        .worksheet_cells_reader(&name)
        .map_err(|e| e.to_string())?;
    let mut cells: Vec<(u32, u32, String)> = Vec::new();
    while let Some(cell) = reader.next_cell().map_err(|e| e.to_string())? {
        let (row, col) = cell.get_position();
        if row >= MAX_XLSX_ROWS || col >= MAX_XLSX_COLS {
            return Err("a cell lies outside a spreadsheet's limits".into());
        }
        cells.push((row, col, cell_text(&Data::from(cell.get_value().clone()))));
        if cells.len() > MAX_XLSX_CELLS {
            return Err("it has more cells than a statement can have".into());
        }
    }
    drop(reader);
    let (Some(min_row), Some(max_row), Some(min_col), Some(max_col)) = (
        cells.iter().map(|c| c.0).min(),
        cells.iter().map(|c| c.0).max(),
        cells.iter().map(|c| c.1).min(),
        cells.iter().map(|c| c.1).max(),
    ) else {
        return Ok(Sheet {
            lines: Vec::new(),
            encoding: "XLSX".into(),
        });
    };
    let height = (max_row - min_row) as usize + 1;
    let width = (max_col - min_col) as usize + 1;
    if height.saturating_mul(width) > MAX_XLSX_CELLS {
        return Err("its cells are spread over more rows and columns than a statement has".into());
    }
    let mut lines: Vec<Line> = (0..height)
        .map(|i| Line {
            number: min_row as usize + i + 1,
            cells: vec![String::new(); width],
        })
        .collect();
    for (row, col, text) in cells {
        lines[(row - min_row) as usize].cells[(col - min_col) as usize] = text;
    }
    Ok(Sheet {
        lines,
        encoding: "XLSX".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_lose_their_padding() {
        assert_eq!(clean("2024011522001\t"), "2024011522001");
        assert_eq!(clean("  交易成功  "), "交易成功");
        assert_eq!(clean("=\"0012\""), "0012");
        assert_eq!(clean(" \"16:20:01\""), "16:20:01");
        assert_eq!(clean("\"say \"\"hi\"\"\""), "say \"hi\"");
    }

    #[test]
    fn delimiters_are_found() {
        assert_eq!(delimiter("a;b;c\n1;2;3\n"), b';');
        assert_eq!(delimiter("a,b\n1,2\n"), b',');
        assert_eq!(delimiter("a\tb\tc\n"), b'\t');
    }

    /// Found by fuzzing: a cell reference whose column overflows made
    /// calamine panic (debug) or ask for a sheet of billions of cells.
    #[test]
    fn a_damaged_cell_reference_is_a_damaged_file() {
        let bytes = include_bytes!("../../tests/fixtures/statements/fuzz/calamine-overflow.xlsx");
        let err = read(bytes).unwrap_err();
        assert_eq!(err.code(), "statement_bad_xlsx", "{err}");
    }

    #[test]
    fn binary_and_empty_files_are_refused() {
        assert!(read(b"").is_err());
        assert!(read(b"%PDF-1.7\n\x00\x01").is_err());
        assert!(read(b"\x89PNG\r\n\x1a\n\x00\x00").is_err());
        let err = read(&[0x80, 0x81, 0x00, 0x41]).unwrap_err();
        assert!(err.to_string().contains("binary") || err.to_string().contains("UTF"));
    }
}
