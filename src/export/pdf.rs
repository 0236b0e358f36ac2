//! The summary as a PDF: real text (selectable, searchable), Chinese and
//! English in one system CJK font (subset into the file), A4, the case title
//! on every page and "page N of M" at the foot. The summary's JSON rides along
//! as an embedded file so that `verify-export` can check its data.
//!
//! Layout is done first (lines measured with the font's advances), then the
//! pages are drawn, so every footer knows the page count.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use krilla::Document;
use krilla::color::rgb;
use krilla::embed::{AssociationKind, EmbeddedFile, MimeType};
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, GlyphId, KrillaGlyph};

use super::Summary;
use super::labels::{Lang, t};
use super::render::{Block, blocks};
use crate::error::{Error, Problem, Result};

const W: f32 = 595.28;
const H: f32 = 841.89;
const LEFT: f32 = 50.0;
const RIGHT: f32 = W - 50.0;
const TOP: f32 = 70.0;
const BOTTOM: f32 = H - 60.0;

/// Environment variable naming a font file (.ttf/.otf/.ttc) to use instead.
pub const FONT_ENV: &str = "CASEBOOK_PDF_FONT";

/// The systems whose fonts are known by path.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Os {
    Linux,
    Windows,
    Mac,
}

impl Os {
    fn current() -> Os {
        if cfg!(target_os = "windows") {
            Os::Windows
        } else if cfg!(target_os = "macos") {
            Os::Mac
        } else {
            Os::Linux
        }
    }
}

/// Fonts with Chinese and Latin glyphs on `os`, most preferred first, as
/// (regular, bold) paths under `root` (`/`, or Windows' folder).
fn candidates(os: Os, root: &Path) -> Vec<(PathBuf, Option<PathBuf>)> {
    let list: &[(&str, Option<&str>)] = match os {
        // Debian and Ubuntu (fonts-noto-cjk), Fedora
        // (google-noto-sans-cjk-fonts), Arch (noto-fonts-cjk), then
        // WenQuanYi and AR PL.
        Os::Linux => &[
            (
                "usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                Some("usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
            ),
            (
                "usr/share/fonts/google-noto-sans-cjk-fonts/NotoSansCJK-Regular.ttc",
                Some("usr/share/fonts/google-noto-sans-cjk-fonts/NotoSansCJK-Bold.ttc"),
            ),
            (
                "usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
                Some("usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc"),
            ),
            ("usr/share/fonts/truetype/wqy/wqy-microhei.ttc", None),
            ("usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", None),
            ("usr/share/fonts/wqy-microhei/wqy-microhei.ttc", None),
            ("usr/share/fonts/truetype/arphic/uming.ttc", None),
        ],
        // Microsoft YaHei, then SimHei and SimSun (every Chinese Windows,
        // and every Windows 10/11 with its supplemental fonts).
        Os::Windows => &[
            ("Fonts/msyh.ttc", Some("Fonts/msyhbd.ttc")),
            ("Fonts/simhei.ttf", None),
            ("Fonts/simsun.ttc", None),
        ],
        // PingFang (macOS 10.11 and later), Hiragino Sans GB, STHeiti,
        // Arial Unicode.
        Os::Mac => &[
            ("System/Library/Fonts/PingFang.ttc", None),
            ("System/Library/Fonts/Hiragino Sans GB.ttc", None),
            ("System/Library/Fonts/STHeiti Medium.ttc", None),
            ("System/Library/Fonts/Supplemental/Arial Unicode.ttf", None),
            ("Library/Fonts/Arial Unicode.ttf", None),
        ],
    };
    list.iter()
        .map(|(r, b)| (root.join(r), b.map(|b| root.join(b))))
        .collect()
}

/// Where `os` keeps the fonts `candidates` names: `/`, or Windows' own
/// folder (`%WINDIR%`, `C:\Windows` when unset).
fn font_root(os: Os) -> PathBuf {
    match os {
        Os::Windows => std::env::var_os("WINDIR")
            .filter(|v| !v.is_empty())
            .map_or_else(|| PathBuf::from(r"C:\Windows"), PathBuf::from),
        Os::Linux | Os::Mac => PathBuf::from("/"),
    }
}

struct Face {
    data: Arc<Vec<u8>>,
    index: u32,
    font: Font,
    /// Glyph id and advance (at 1 pt) of each character seen so far.
    glyphs: HashMap<char, (u32, f32)>,
    upem: f32,
}

impl Face {
    fn load(path: &Path) -> Option<Face> {
        let data = Arc::new(std::fs::read(path).ok()?);
        let n = ttf_parser::fonts_in_collection(&data).unwrap_or(1);
        // In a collection prefer the Simplified Chinese face.
        let mut index = 0;
        for i in 0..n {
            if let Ok(f) = ttf_parser::Face::parse(&data, i) {
                let sc = f.names().into_iter().any(|name| {
                    name.name_id == ttf_parser::name_id::FAMILY
                        && name.to_string().is_some_and(|s| s.ends_with(" SC"))
                });
                if sc {
                    index = i;
                    break;
                }
            }
        }
        let face = ttf_parser::Face::parse(&data, index).ok()?;
        // It must cover both scripts.
        if face.glyph_index('中').is_none() || face.glyph_index('A').is_none() {
            return None;
        }
        let upem = face.units_per_em() as f32;
        let font = Font::new(data.clone().into(), index)?;
        Some(Face {
            data,
            index,
            font,
            glyphs: HashMap::new(),
            upem,
        })
    }

    /// Looks up the characters of `s` not seen yet (the font is parsed once
    /// per call that meets a new character, never per glyph).
    fn learn(&mut self, s: &str) {
        if s.chars().all(|c| self.glyphs.contains_key(&c)) {
            return;
        }
        let Ok(face) = ttf_parser::Face::parse(&self.data, self.index) else {
            return;
        };
        for c in s.chars() {
            if self.glyphs.contains_key(&c) {
                continue;
            }
            // A character the font lacks shows as its .notdef box.
            let gid = face.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
            let adv = face
                .glyph_hor_advance(gid)
                .map_or(1.0, |a| a as f32 / self.upem);
            self.glyphs.insert(c, (gid.0 as u32, adv));
        }
    }

    /// Width of `s` at 1 pt.
    fn width(&mut self, s: &str) -> f32 {
        self.learn(s);
        s.chars()
            .map(|c| self.glyphs.get(&c).map_or(1.0, |g| g.1))
            .sum()
    }

    /// The glyphs of `s`, one per character, with their place in the text
    /// (so the PDF's text layer extracts exactly `s`). No shaping is needed
    /// for Chinese and plain Latin text.
    fn glyphs(&mut self, s: &str) -> Vec<KrillaGlyph> {
        self.learn(s);
        s.char_indices()
            .map(|(i, c)| {
                let (gid, adv) = self.glyphs.get(&c).copied().unwrap_or((0, 1.0));
                KrillaGlyph::new(
                    GlyphId::new(gid),
                    adv,
                    0.0,
                    0.0,
                    0.0,
                    i..i + c.len_utf8(),
                    None,
                )
            })
            .collect()
    }
}

struct Fonts {
    regular: Face,
    bold: Option<Face>,
}

fn first_font(list: &[(PathBuf, Option<PathBuf>)]) -> Option<Fonts> {
    list.iter().find_map(|(regular, bold)| {
        Some(Fonts {
            regular: Face::load(regular)?,
            bold: bold.as_deref().and_then(Face::load),
        })
    })
}

fn find_fonts() -> Result<Fonts> {
    if let Some(p) = std::env::var_os(FONT_ENV).filter(|v| !v.is_empty())
        && let Some(regular) = Face::load(Path::new(&p))
    {
        return Ok(Fonts {
            regular,
            bold: None,
        });
    }
    let os = Os::current();
    if let Some(fonts) = first_font(&candidates(os, &font_root(os))) {
        return Ok(fonts);
    }
    Err(Error::invalid(Problem::PdfFontMissing {
        env: FONT_ENV.into(),
    }))
}

#[derive(Clone, Copy, PartialEq)]
enum Style {
    Regular,
    Bold,
}

enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        style: Style,
        grey: bool,
        text: String,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
    },
}

struct Layout<'f> {
    fonts: &'f mut Fonts,
    pages: Vec<Vec<Op>>,
    y: f32,
}

fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() && c != '\n' { ' ' } else { c })
        .collect()
}

fn is_wide(c: char) -> bool {
    (c as u32) >= 0x2E80
}

impl<'f> Layout<'f> {
    fn face(&mut self, style: Style) -> &mut Face {
        match style {
            Style::Bold if self.fonts.bold.is_some() => {
                self.fonts.bold.as_mut().unwrap_or(&mut self.fonts.regular)
            }
            _ => &mut self.fonts.regular,
        }
    }

    fn width(&mut self, s: &str, size: f32, style: Style) -> f32 {
        self.face(style).width(s) * size
    }

    /// Greedy line breaking: at spaces in Latin text, between any two wide
    /// (CJK) characters, and inside a word that is longer than the line.
    fn wrap(&mut self, text: &str, width: f32, size: f32, style: Style) -> Vec<String> {
        let mut lines = Vec::new();
        for para in clean(text).split('\n') {
            // Tokens: a wide char alone, or a run of narrow non-space chars, or spaces.
            let mut tokens: Vec<String> = Vec::new();
            for c in para.chars() {
                let joins = tokens.last().is_some_and(|last: &String| {
                    let l = last.chars().last().unwrap_or(' ');
                    !is_wide(c) && !is_wide(l) && (c == ' ') == (l == ' ')
                });
                if joins {
                    if let Some(last) = tokens.last_mut() {
                        last.push(c);
                    }
                } else {
                    tokens.push(c.to_string());
                }
            }
            let mut line = String::new();
            let mut line_w = 0.0;
            for tok in tokens {
                let tw = self.width(&tok, size, style);
                if line_w + tw <= width || line.is_empty() && tw <= width {
                    if !(line.is_empty() && tok.starts_with(' ')) {
                        line.push_str(&tok);
                        line_w += tw;
                    }
                    continue;
                }
                if tok.starts_with(' ') {
                    lines.push(std::mem::take(&mut line));
                    line_w = 0.0;
                    continue;
                }
                if tw <= width {
                    lines.push(std::mem::replace(&mut line, tok));
                    line_w = tw;
                    continue;
                }
                // A word longer than a line: break it by characters.
                for c in tok.chars() {
                    let cw = self.width(&c.to_string(), size, style);
                    if line_w + cw > width && !line.is_empty() {
                        lines.push(std::mem::take(&mut line));
                        line_w = 0.0;
                    }
                    line.push(c);
                    line_w += cw;
                }
            }
            lines.push(line.trim_end().to_string());
        }
        lines
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    fn ensure(&mut self, height: f32) {
        if self.y + height > BOTTOM {
            self.new_page();
        }
    }

    fn text(&mut self, x: f32, size: f32, style: Style, grey: bool, s: String) {
        if let Some(p) = self.pages.last_mut() {
            p.push(Op::Text {
                x,
                y: self.y,
                size,
                style,
                grey,
                text: s,
            });
        }
    }

    fn rule(&mut self, x1: f32, x2: f32, y: f32, width: f32) {
        if let Some(p) = self.pages.last_mut() {
            p.push(Op::Line {
                x1,
                y1: y,
                x2,
                y2: y,
                width,
            });
        }
    }

    /// Lines of text at x, wrapping to the right margin, one per line height.
    fn para(&mut self, x: f32, text: &str, size: f32, style: Style, grey: bool) {
        let lh = size * 1.45;
        for line in self.wrap(text, RIGHT - x, size, style) {
            self.ensure(lh);
            self.y += lh;
            self.text(x, size, style, grey, line);
        }
    }

    fn table(&mut self, head: &[String], rows: &[Vec<String>], widths: &[f32]) {
        let size = 8.0;
        let lh = size * 1.4;
        let total: f32 = widths.iter().sum();
        let cols: Vec<(f32, f32)> = {
            let mut x = LEFT;
            widths
                .iter()
                .map(|w| {
                    let cw = (RIGHT - LEFT) * w / total;
                    let c = (x, cw);
                    x += cw;
                    c
                })
                .collect()
        };
        let draw_row = |me: &mut Self, cells: &[String], style: Style| {
            let wrapped: Vec<Vec<String>> = cells
                .iter()
                .zip(&cols)
                .map(|(c, (_, w))| me.wrap(c, w - 6.0, size, style))
                .collect();
            let n = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
            let height = n as f32 * lh + 4.0;
            let fresh = me.y + height > BOTTOM;
            (wrapped, height, fresh)
        };
        let emit = |me: &mut Self, wrapped: Vec<Vec<String>>, height: f32, style: Style| {
            let top = me.y;
            for (lines, (x, _)) in wrapped.into_iter().zip(&cols) {
                me.y = top;
                for line in lines {
                    me.y += lh;
                    me.text(x + 3.0, size, style, false, line);
                }
            }
            me.y = top + height;
            me.rule(LEFT, RIGHT, me.y, 0.3);
        };
        let (hw, hh, _) = draw_row(self, head, Style::Bold);
        self.ensure(hh + lh * 2.0);
        self.rule(LEFT, RIGHT, self.y, 0.6);
        emit(self, hw.clone(), hh, Style::Bold);
        for r in rows {
            let (w, h, fresh) = draw_row(self, r, Style::Regular);
            if fresh {
                self.new_page();
                self.rule(LEFT, RIGHT, self.y, 0.6);
                emit(self, hw.clone(), hh, Style::Bold);
            }
            emit(self, w, h, Style::Regular);
        }
        self.y += 6.0;
    }

    fn block(&mut self, b: Block) {
        match b {
            Block::Title(x) => {
                self.para(LEFT, &x, 17.0, Style::Bold, false);
                self.y += 6.0;
            }
            Block::Heading(x) => {
                self.ensure(60.0);
                self.y += 12.0;
                self.para(LEFT, &x, 13.0, Style::Bold, false);
                self.y += 4.0;
                self.rule(LEFT, RIGHT, self.y, 0.8);
                self.y += 2.0;
            }
            Block::SubHeading(x) => {
                self.ensure(40.0);
                self.y += 6.0;
                self.para(LEFT, &x, 10.5, Style::Bold, false);
                self.y += 2.0;
            }
            Block::Entry { text, .. } => {
                self.ensure(50.0);
                self.y += 8.0;
                self.para(LEFT, &text, 10.0, Style::Bold, false);
            }
            Block::Fields(f) => {
                let label_w = 130.0;
                for (k, v) in f {
                    let size = 9.0;
                    let lh = size * 1.45;
                    let klines = self.wrap(&k, label_w - 6.0, size, Style::Bold);
                    let vlines = self.wrap(&v, RIGHT - LEFT - label_w, size, Style::Regular);
                    let n = klines.len().max(vlines.len());
                    for i in 0..n {
                        self.ensure(lh);
                        self.y += lh;
                        if let Some(k) = klines.get(i) {
                            self.text(LEFT, size, Style::Bold, false, k.clone());
                        }
                        if let Some(v) = vlines.get(i) {
                            self.text(LEFT + label_w, size, Style::Regular, false, v.clone());
                        }
                    }
                }
                self.y += 3.0;
            }
            Block::Quote { label, text } => {
                if !label.is_empty() {
                    self.para(LEFT, &label, 9.0, Style::Bold, false);
                }
                let start = self.y + 3.0;
                let page = self.pages.len();
                self.para(LEFT + 12.0, &text, 9.0, Style::Regular, false);
                if self.pages.len() == page {
                    let end = self.y + 3.0;
                    if let Some(p) = self.pages.last_mut() {
                        p.push(Op::Line {
                            x1: LEFT + 4.0,
                            y1: start,
                            x2: LEFT + 4.0,
                            y2: end,
                            width: 1.5,
                        });
                    }
                }
                self.y += 5.0;
            }
            Block::Para(x) => {
                self.para(LEFT, &x, 9.5, Style::Regular, false);
                self.y += 3.0;
            }
            Block::Small(x) => {
                self.para(LEFT, &x, 8.0, Style::Regular, true);
                self.y += 3.0;
            }
            Block::Table { head, rows, widths } => self.table(&head, &rows, &widths),
            Block::Mono(lines) => {
                for l in lines {
                    self.para(LEFT, &l, 6.5, Style::Regular, false);
                }
                self.y += 4.0;
            }
        }
    }
}

/// Draws `text` with its baseline at (x, y).
fn draw(
    surface: &mut krilla::surface::Surface<'_>,
    face: &mut Face,
    x: f32,
    y: f32,
    size: f32,
    text: &str,
) {
    let glyphs = face.glyphs(text);
    surface.draw_glyphs(
        Point::from_xy(x, y),
        &glyphs,
        face.font.clone(),
        text,
        size,
        false,
    );
}

pub(crate) fn render(s: &Summary) -> Result<Vec<u8>> {
    let mut fonts = find_fonts()?;
    let mut layout = Layout {
        fonts: &mut fonts,
        pages: Vec::new(),
        y: TOP,
    };
    layout.new_page();
    for b in blocks(s) {
        layout.block(b);
    }
    let pages = std::mem::take(&mut layout.pages);
    let header = format!("{} — {}", t(s.lang, "case_summary"), s.case.title);
    let header_lines = layout.wrap(&header, RIGHT - LEFT, 8.0, Style::Regular);
    let header = match header_lines.as_slice() {
        [one] => one.clone(),
        [first, ..] => format!("{first}…"),
        [] => String::new(),
    };

    let grey = Fill {
        paint: rgb::Color::new(90, 98, 112).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    };
    let black = Fill::default();
    let mut doc = Document::new();
    let total = pages.len();
    for (n, ops) in pages.into_iter().enumerate() {
        let settings =
            PageSettings::from_wh(W, H).ok_or_else(|| Error::internal("exporting", "page size"))?;
        let mut page = doc.start_page_with(settings);
        let mut surface = page.surface();
        surface.set_fill(Some(grey.clone()));
        draw(&mut surface, &mut fonts.regular, LEFT, 40.0, 8.0, &header);
        let footer = match s.lang {
            Lang::En => format!("Page {} of {total}", n + 1),
            Lang::Zh => format!("第 {} 页，共 {total} 页", n + 1),
        };
        draw(
            &mut surface,
            &mut fonts.regular,
            LEFT,
            H - 30.0,
            8.0,
            &footer,
        );
        surface.set_fill(Some(black.clone()));
        let mut path = PathBuilder::new();
        path.move_to(LEFT, 46.0);
        path.line_to(RIGHT, 46.0);
        let mut any_line = true;
        for op in ops {
            match op {
                Op::Text {
                    x,
                    y,
                    size,
                    style,
                    grey: g,
                    text,
                } => {
                    if text.is_empty() {
                        continue;
                    }
                    if g {
                        surface.set_fill(Some(grey.clone()));
                    }
                    let face = match (style, fonts.bold.as_mut()) {
                        (Style::Bold, Some(b)) => b,
                        _ => &mut fonts.regular,
                    };
                    draw(&mut surface, face, x, y, size, &text);
                    if g {
                        surface.set_fill(Some(black.clone()));
                    }
                }
                Op::Line {
                    x1,
                    y1,
                    x2,
                    y2,
                    width,
                } => {
                    // Lines are drawn after the text, one stroke per width.
                    let mut p = PathBuilder::new();
                    p.move_to(x1, y1 + 3.0);
                    p.line_to(x2, y2 + 3.0);
                    if let Some(p) = p.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke {
                            paint: rgb::Color::new(160, 166, 178).into(),
                            width,
                            ..Default::default()
                        }));
                        surface.draw_path(&p);
                        surface.set_stroke(None);
                        surface.set_fill(Some(black.clone()));
                    }
                    any_line = true;
                }
            }
        }
        if any_line && let Some(p) = path.finish() {
            surface.set_fill(None);
            surface.set_stroke(Some(Stroke {
                paint: rgb::Color::new(160, 166, 178).into(),
                width: 0.5,
                ..Default::default()
            }));
            surface.draw_path(&p);
            surface.set_stroke(None);
        }
        surface.finish();
        page.finish();
    }
    doc.set_metadata(
        Metadata::new()
            .title(format!("{} — {}", t(s.lang, "case_summary"), s.case.title))
            .creator(format!("Casebook {}", env!("CARGO_PKG_VERSION")))
            .language(match s.lang {
                Lang::En => "en".into(),
                Lang::Zh => "zh-CN".into(),
            }),
    );
    let json = serde_json::to_vec(s).map_err(|e| Error::internal("exporting", e))?;
    doc.embed_file(EmbeddedFile {
        path: "casebook-summary.json".into(),
        mime_type: MimeType::new("application/json"),
        description: Some("Casebook case summary data (checked by casebook verify-export)".into()),
        association_kind: AssociationKind::Source,
        data: json.into(),
        modification_date: None,
        compress: Some(false),
        location: None,
    });
    doc.finish().map_err(|e| {
        Error::Conflict(Problem::PdfFailed {
            detail: format!("{e:?}"),
        })
    })
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// Debian's Noto CJK (the test machines have it: `fonts-noto-cjk`).
    const NOTO: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
    const NOTO_BOLD: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc";

    /// Puts `from` at `rel` under `root`, as another system lays its fonts out.
    fn place(root: &Path, rel: &str, from: &str) {
        let to = root.join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(from, to).unwrap();
    }

    #[test]
    fn chinese_fonts_are_found_where_fedora_windows_and_macos_keep_them() {
        // Fedora's package puts Noto CJK in a folder of its own name.
        let fedora = tempfile::tempdir().unwrap();
        place(
            fedora.path(),
            "usr/share/fonts/google-noto-sans-cjk-fonts/NotoSansCJK-Regular.ttc",
            NOTO,
        );
        place(
            fedora.path(),
            "usr/share/fonts/google-noto-sans-cjk-fonts/NotoSansCJK-Bold.ttc",
            NOTO_BOLD,
        );
        let fonts = first_font(&candidates(Os::Linux, fedora.path())).expect("Fedora's Noto");
        assert!(fonts.bold.is_some(), "Fedora's bold face");

        // Windows: Microsoft YaHei under %WINDIR%\Fonts, which the user
        // may have moved.
        let windir = tempfile::tempdir().unwrap();
        place(windir.path(), "Fonts/msyh.ttc", NOTO);
        place(windir.path(), "Fonts/msyhbd.ttc", NOTO_BOLD);
        let list = candidates(Os::Windows, windir.path());
        assert_eq!(list[0].0, windir.path().join("Fonts").join("msyh.ttc"));
        let fonts = first_font(&list).expect("Microsoft YaHei");
        assert!(fonts.bold.is_some());

        // macOS without PingFang (an older system): Hiragino Sans GB.
        let mac = tempfile::tempdir().unwrap();
        place(
            mac.path(),
            "System/Library/Fonts/Hiragino Sans GB.ttc",
            NOTO,
        );
        assert!(first_font(&candidates(Os::Mac, mac.path())).is_some());

        // No Chinese font anywhere: nothing found, no panic.
        let empty = tempfile::tempdir().unwrap();
        for os in [Os::Linux, Os::Windows, Os::Mac] {
            assert!(
                first_font(&candidates(os, empty.path())).is_none(),
                "{os:?}"
            );
        }
        // A file in the right place that is not a font is passed over.
        let broken = tempfile::tempdir().unwrap();
        let msyh = broken.path().join("Fonts/msyh.ttc");
        std::fs::create_dir_all(msyh.parent().unwrap()).unwrap();
        std::fs::write(&msyh, b"not a font").unwrap();
        place(broken.path(), "Fonts/simsun.ttc", NOTO);
        assert!(first_font(&candidates(Os::Windows, broken.path())).is_some());
    }

    #[test]
    fn linux_and_macos_fonts_are_under_the_root() {
        assert_eq!(Os::current(), Os::Linux);
        assert_eq!(font_root(Os::Linux), PathBuf::from("/"));
        assert_eq!(font_root(Os::Mac), PathBuf::from("/"));
    }
}
