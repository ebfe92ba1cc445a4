//! Lays a report out on A4 pages: the title, then each block under its heading — a table
//! (rows wrapped to their columns; on every page it runs onto, its heading marked as
//! continued and its header again), a bar chart, a line of text. Pure: it yields drawing
//! operations that `render` hands to the PDF writer.

use super::doc::{Bars, Block, Doc, Section};

pub(crate) const PAGE_W: f32 = 595.28;
pub(crate) const PAGE_H: f32 = 841.89;
const MARGIN: f32 = 50.0;
const BOTTOM: f32 = PAGE_H - MARGIN - 20.0;
const TEXT_W: f32 = PAGE_W - 2.0 * MARGIN;
const TITLE: f32 = 20.0;
const SUBTITLE: f32 = 11.0;
const HEADING: f32 = 13.0;
const BODY: f32 = 9.5;
const LINE: f32 = BODY * 1.4;
const PAD: f32 = 4.0;

/// A colour as red, green, blue.
pub(crate) type Rgb = (u8, u8, u8);
pub(crate) const INK: Rgb = (33, 37, 41);
pub(crate) const MUTED: Rgb = (108, 117, 125);
const ACCENT: Rgb = (23, 92, 164);
const HEADER_BG: Rgb = (233, 239, 246);
const RULE: Rgb = (206, 212, 218);
/// The bars' colour, as on the screen's charts.
const BAR: Rgb = (37, 99, 235);
const BAR_H: f32 = LINE;
const BAR_GAP: f32 = 5.0;
/// The share of the text width the bar labels take.
const BAR_LABELS: f32 = 0.32;

/// One thing to draw; `y` is a text's baseline, measured down from the page's top.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        colour: Rgb,
        text: String,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        colour: Rgb,
    },
}

/// How wide text is in a font: the width of `text` at size 1.
pub(crate) trait Measure {
    fn width(&self, text: &str) -> f32;
}

/// Splits `text` into lines no wider than `max` at `size`: Latin words stay whole where they
/// fit, Chinese breaks between any two characters, and a word wider than a line is cut.
pub(crate) fn wrap(m: &dyn Measure, text: &str, size: f32, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        for token in tokens(para) {
            let candidate = format!("{line}{token}");
            if m.width(candidate.trim_end()) * size <= max || line.is_empty() {
                line = candidate;
                if m.width(line.trim_end()) * size > max {
                    // A single token wider than the line: cut it by characters.
                    let mut cut = String::new();
                    for c in line.chars() {
                        let next = format!("{cut}{c}");
                        if m.width(&next) * size > max && !cut.is_empty() {
                            lines.push(cut);
                            cut = c.to_string();
                        } else {
                            cut = next;
                        }
                    }
                    line = cut;
                }
            } else {
                lines.push(line.trim_end().to_owned());
                line = token.trim_start().to_owned();
            }
        }
        lines.push(line.trim_end().to_owned());
    }
    lines
}

/// Latin words with their trailing spaces; each Chinese (wide) character on its own.
fn tokens(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        let wide = u32::from(c) >= 0x2E80;
        if wide {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            out.push(c.to_string());
        } else if c == ' ' {
            word.push(c);
            out.push(std::mem::take(&mut word));
        } else {
            word.push(c);
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// The pages being filled.
struct Pages<'a> {
    m: &'a dyn Measure,
    pages: Vec<Vec<Op>>,
    y: f32,
}

impl Pages<'_> {
    fn op(&mut self, op: Op) {
        if let Some(page) = self.pages.last_mut() {
            page.push(op);
        }
    }

    fn text(&mut self, x: f32, y: f32, size: f32, colour: Rgb, text: &str) {
        self.op(Op::Text {
            x,
            y,
            size,
            colour,
            text: text.to_owned(),
        });
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN;
    }

    /// The lines of each cell of a row and the row's height.
    fn cells(&self, widths: &[f32], cells: &[String]) -> (Vec<Vec<String>>, f32) {
        let lines: Vec<Vec<String>> = widths
            .iter()
            .zip(cells)
            .map(|(w, c)| wrap(self.m, c, BODY, w * TEXT_W - 2.0 * PAD))
            .collect();
        let most = lines.iter().map(Vec::len).max().unwrap_or(1).max(1);
        (lines, most as f32 * LINE + 2.0 * PAD)
    }

    fn row(&mut self, widths: &[f32], lines: &[Vec<String>], height: f32, header: bool) {
        if header {
            self.op(Op::Rect {
                x: MARGIN,
                y: self.y,
                w: TEXT_W,
                h: height,
                colour: HEADER_BG,
            });
        }
        let mut x = MARGIN;
        for (w, cell) in widths.iter().zip(lines) {
            for (i, line) in cell.iter().enumerate() {
                let baseline = self.y + PAD + BODY + i as f32 * LINE;
                self.text(x + PAD, baseline, BODY, INK, line);
            }
            x += w * TEXT_W;
        }
        self.y += height;
        self.op(Op::Rect {
            x: MARGIN,
            y: self.y - 0.5,
            w: TEXT_W,
            h: 0.5,
            colour: RULE,
        });
    }

    /// A block's heading, moving to a new page first unless `then` more points fit under it.
    fn heading(&mut self, heading: &str, then: f32) {
        let heading_h = if heading.is_empty() {
            0.0
        } else {
            HEADING + 10.0
        };
        // A heading never sits alone at the foot of a page.
        if self.y + heading_h + then > BOTTOM {
            self.new_page();
        }
        if !heading.is_empty() {
            self.y += HEADING;
            self.text(MARGIN, self.y, HEADING, ACCENT, heading);
            self.y += 10.0;
        }
    }

    fn section(&mut self, s: &Section, continued: &str) {
        let (head, head_h) = self.cells(&s.widths, &s.header);
        let first = s.rows.first().map(|r| self.cells(&s.widths, r).1);
        self.heading(&s.heading, head_h + first.unwrap_or(0.0));
        self.row(&s.widths, &head, head_h, true);
        for r in &s.rows {
            let (lines, h) = self.cells(&s.widths, r);
            if self.y + h > BOTTOM {
                // The table stays under its own heading on the next page too.
                self.new_page();
                if !s.heading.is_empty() {
                    self.heading(&format!("{}{continued}", s.heading), 0.0);
                }
                self.row(&s.widths, &head, head_h, true);
            }
            self.row(&s.widths, &lines, h, false);
        }
        self.y += 18.0;
    }

    fn bars(&mut self, b: &Bars) {
        self.heading(&b.heading, BAR_H + BAR_GAP);
        let label_w = BAR_LABELS * TEXT_W;
        // Room for the value after the longest bar.
        let room = TEXT_W - label_w - 40.0;
        let most = b.bars.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
        if b.bars.is_empty() {
            self.y += BODY;
            self.text(MARGIN, self.y, BODY, MUTED, "—");
        }
        for (label, value) in &b.bars {
            if self.y + BAR_H + BAR_GAP > BOTTOM {
                self.new_page();
            }
            let mut lines = wrap(self.m, label, BODY, label_w - PAD);
            if lines.len() > 1 {
                lines.truncate(1);
                lines[0].push('…');
            }
            let baseline = self.y + BODY;
            self.text(MARGIN, baseline, BODY, INK, &lines[0]);
            let w = if *value == 0 {
                0.0
            } else {
                (room * *value as f32 / most as f32).max(1.0)
            };
            let x = MARGIN + label_w;
            self.op(Op::Rect {
                x,
                y: self.y + 1.0,
                w,
                h: BAR_H - 2.0,
                colour: BAR,
            });
            self.text(x + w + 4.0, baseline, BODY, INK, &value.to_string());
            self.y += BAR_H + BAR_GAP;
        }
        self.y += 18.0;
    }

    fn line(&mut self, heading: &str, text: &str) {
        let lines = wrap(self.m, text, BODY, TEXT_W);
        self.heading(heading, LINE);
        for l in lines {
            if self.y + LINE > BOTTOM {
                self.new_page();
            }
            self.y += LINE;
            self.text(MARGIN, self.y, BODY, INK, &l);
        }
        self.y += 18.0;
    }
}

/// The pages of `doc`, each a list of drawing operations, with the footer on every page.
pub(crate) fn layout(doc: &Doc, m: &dyn Measure) -> Vec<Vec<Op>> {
    let mut p = Pages {
        m,
        pages: Vec::new(),
        y: MARGIN,
    };
    p.new_page();
    p.y += TITLE;
    p.text(MARGIN, p.y, TITLE, INK, &doc.title);
    p.y += SUBTITLE + 8.0;
    p.text(MARGIN, p.y, SUBTITLE, MUTED, &doc.subtitle);
    p.y += 22.0;
    for b in &doc.blocks {
        match b {
            Block::Table(s) => p.section(s, &doc.continued),
            Block::Bars(b) => p.bars(b),
            Block::Line { heading, text } => p.line(heading, text),
        }
    }
    let total = p.pages.len();
    for (n, page) in p.pages.iter_mut().enumerate() {
        page.push(Op::Text {
            x: MARGIN,
            y: PAGE_H - MARGIN + 10.0,
            size: 8.0,
            colour: MUTED,
            text: format!("Pulsedesk · {} · {}/{total}", doc.title, n + 1),
        });
    }
    p.pages
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character as wide as its size, Chinese ones twice that.
    struct Fixed;
    impl Measure for Fixed {
        fn width(&self, text: &str) -> f32 {
            text.chars()
                .map(|c| if u32::from(c) >= 0x2E80 { 1.0 } else { 0.5 })
                .sum()
        }
    }

    #[test]
    fn latin_wraps_between_words_and_chinese_between_characters() {
        // 10 pt: a Latin letter is 5 pt, a Chinese character 10 pt; lines up to 40 pt.
        assert_eq!(wrap(&Fixed, "ab cd ef", 10.0, 35.0), ["ab cd", "ef"]);
        assert_eq!(wrap(&Fixed, "ab cd ef", 10.0, 40.0), ["ab cd ef"]);
        assert_eq!(
            wrap(&Fixed, "首次响应超时", 10.0, 40.0),
            ["首次响应", "超时"]
        );
        assert_eq!(wrap(&Fixed, "VIP 工单", 10.0, 40.0), ["VIP 工单"]);
        assert_eq!(wrap(&Fixed, "VIP 工单", 10.0, 30.0), ["VIP 工", "单"]);
        assert_eq!(wrap(&Fixed, "VIP 工单", 10.0, 20.0), ["VIP", "工单"]);
        assert_eq!(wrap(&Fixed, "abcdefghij", 10.0, 40.0), ["abcdefgh", "ij"]);
        assert_eq!(wrap(&Fixed, "", 10.0, 40.0), [""]);
    }

    fn texts(page: &[Op]) -> Vec<&str> {
        page.iter()
            .filter_map(|op| match op {
                Op::Text { text, .. } => Some(text.as_str()),
                Op::Rect { .. } => None,
            })
            .collect()
    }

    #[test]
    fn a_long_table_runs_onto_more_pages_with_its_header_on_each() {
        let mut s = Section::new("客服", &[0.5, 0.5], &["名称", "工单数"]);
        for i in 0..120 {
            s.row(vec![format!("客服{i}"), i.to_string()]);
        }
        let doc = Doc {
            title: "周复盘".into(),
            subtitle: "2026-11-16 至 2026-11-22".into(),
            blocks: vec![Block::Table(s)],
            continued: "（续）".into(),
        };
        let pages = layout(&doc, &Fixed);
        assert!(pages.len() >= 3, "{} pages", pages.len());
        for (n, page) in pages.iter().enumerate() {
            let t = texts(page);
            assert!(t.contains(&"名称"), "page {n} repeats the header");
            // Every page of the table is under its heading, marked as continued after the first.
            let heading = if n == 0 { "客服" } else { "客服（续）" };
            assert!(t.contains(&heading), "page {n} heads the table: {t:?}");
            assert_eq!(
                t.last().copied(),
                Some(format!("Pulsedesk · 周复盘 · {}/{}", n + 1, pages.len()).as_str())
            );
            for op in page {
                if let Op::Text { y, .. } = op {
                    assert!(*y <= PAGE_H - MARGIN + 10.0, "inside the page");
                }
            }
        }
        let all: Vec<&str> = pages.iter().flat_map(|p| texts(p)).collect();
        for i in 0..120 {
            assert_eq!(all.iter().filter(|t| **t == format!("客服{i}")).count(), 1);
        }
    }

    #[test]
    fn a_heading_never_sits_apart_from_its_table() {
        // Wherever the first table ends, the next heading shares a page with its header
        // and first row.
        for rows in 1..80 {
            let mut big = Section::new("A", &[1.0], &["h"]);
            for i in 0..rows {
                big.row(vec![i.to_string()]);
            }
            let mut next = Section::new("NEXT", &[1.0], &["h2"]);
            next.row(vec!["only".into()]);
            let doc = Doc {
                title: "T".into(),
                subtitle: "S".into(),
                blocks: vec![Block::Table(big), Block::Table(next)],
                continued: " (continued)".into(),
            };
            let pages = layout(&doc, &Fixed);
            let page_of = |t: &str| pages.iter().position(|p| texts(p).contains(&t));
            assert_eq!(page_of("NEXT"), page_of("only"), "{rows} rows");
            assert_eq!(page_of("NEXT"), page_of("h2"), "{rows} rows");
        }
    }

    fn bars(page: &[Op]) -> Vec<f32> {
        page.iter()
            .filter_map(|op| match op {
                Op::Rect { w, colour, .. } if *colour == BAR => Some(*w),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_bar_chart_draws_each_value_in_proportion_with_its_label_and_number() {
        let doc = Doc {
            title: "月度报告".into(),
            subtitle: "2026-12".into(),
            blocks: vec![
                Block::Bars(Bars::new(
                    "按阶段积压",
                    [
                        ("待分配".to_owned(), 10),
                        ("处理中".to_owned(), 5),
                        ("待回复".to_owned(), 0),
                    ],
                )),
                Block::Line {
                    heading: "当前积压".into(),
                    text: "15 张未完成工单".into(),
                },
            ],
            continued: "（续）".into(),
        };
        let pages = layout(&doc, &Fixed);
        assert_eq!(pages.len(), 1);
        let widths = bars(&pages[0]);
        // The empty stage has no bar; the others are in proportion, the largest full length.
        assert_eq!(widths.len(), 3);
        assert!((widths[0] - 2.0 * widths[1]).abs() < 0.01, "{widths:?}");
        assert_eq!(widths[2], 0.0);
        let t = texts(&pages[0]);
        for want in [
            "按阶段积压",
            "待分配",
            "10",
            "处理中",
            "5",
            "待回复",
            "0",
            "当前积压",
            "15 张未完成工单",
        ] {
            assert!(t.contains(&want), "{want} in {t:?}");
        }
    }
}
