//! Draws laid-out pages into a PDF with krilla, the text in the report font (embedded as a
//! subset, so the file prints the same anywhere and its text can be searched and copied).

use super::font::ReportFont;
use super::layout::{Measure, Op, Rgb, PAGE_H, PAGE_W};
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::text::{Font, TextDirection};
use krilla::Document;

/// The report's faces, parsed: which face draws a character, and how wide text is.
pub(crate) struct FontMeasure<'a> {
    faces: Vec<ttf_parser::Face<'a>>,
}

impl<'a> FontMeasure<'a> {
    pub fn new(font: &'a ReportFont) -> Result<Self, String> {
        let faces = font
            .faces
            .iter()
            .map(|f| {
                ttf_parser::Face::parse(&f.data, f.index)
                    .map_err(|e| format!("the font {} cannot be read: {e}", f.name))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if faces.is_empty() {
            return Err("no report font".to_owned());
        }
        Ok(Self { faces })
    }

    /// The first face that has `c` (the first face when none has it).
    fn pick(&self, c: char) -> usize {
        self.faces
            .iter()
            .position(|f| f.glyph_index(c).is_some())
            .unwrap_or(0)
    }

    /// `text` cut into runs, each drawn by one face.
    fn runs(&self, text: &str) -> Vec<(usize, String)> {
        let mut runs: Vec<(usize, String)> = Vec::new();
        for c in text.chars() {
            let face = self.pick(c);
            match runs.last_mut() {
                Some((f, run)) if *f == face => run.push(c),
                _ => runs.push((face, c.to_string())),
            }
        }
        runs
    }

    fn advance(&self, c: char) -> f32 {
        let face = &self.faces[self.pick(c)];
        let upem = f32::from(face.units_per_em().max(1));
        face.glyph_index(c)
            .and_then(|g| face.glyph_hor_advance(g))
            .map_or(0.5, |a| f32::from(a) / upem)
    }
}

impl Measure for FontMeasure<'_> {
    fn width(&self, text: &str) -> f32 {
        text.chars().map(|c| self.advance(c)).sum()
    }
}

fn fill(colour: Rgb) -> Fill {
    Fill {
        paint: rgb::Color::new(colour.0, colour.1, colour.2).into(),
        ..Fill::default()
    }
}

/// The PDF bytes of `pages`, titled `title`, in `language` (a BCP 47 tag).
pub(crate) fn render(
    pages: &[Vec<Op>],
    font: &ReportFont,
    title: &str,
    language: &str,
) -> Result<Vec<u8>, String> {
    let measure = FontMeasure::new(font)?;
    let faces = font
        .faces
        .iter()
        .map(|f| {
            Font::new(f.data.clone().into(), f.index)
                .ok_or_else(|| format!("the font {} cannot be embedded", f.name))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(title.to_owned())
            .language(language.to_owned())
            .creator("Pulsedesk".to_owned()),
    );
    let settings =
        PageSettings::from_wh(PAGE_W, PAGE_H).ok_or_else(|| "bad page size".to_owned())?;
    for ops in pages {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        for op in ops {
            match op {
                Op::Text {
                    x,
                    y,
                    size,
                    colour,
                    text,
                } => {
                    surface.set_fill(Some(fill(*colour)));
                    let mut at = *x;
                    for (face, run) in measure.runs(text) {
                        surface.draw_text(
                            Point::from_xy(at, *y),
                            faces[face].clone(),
                            *size,
                            &run,
                            false,
                            TextDirection::Auto,
                        );
                        at += measure.width(&run) * size;
                    }
                }
                Op::Rect { x, y, w, h, colour } => {
                    let mut path = PathBuilder::new();
                    if let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) {
                        path.push_rect(rect);
                    }
                    if let Some(path) = path.finish() {
                        surface.set_fill(Some(fill(*colour)));
                        surface.draw_path(&path);
                    }
                }
            }
        }
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| format!("the PDF could not be written: {e:?}"))
}
