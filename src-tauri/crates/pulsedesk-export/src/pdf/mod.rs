//! Reports as PDF documents: a report module builds a `Doc`, `layout` places it on A4
//! pages, `render` writes them with the report font embedded.

pub(crate) mod doc;
pub mod font;
mod layout;
mod render;

use crate::ExportError;
use font::ReportFont;
use pulsedesk_core::sla::notice::Lang;
use std::path::Path;

/// The PDF bytes of `doc`.
pub(crate) fn bytes(doc: &doc::Doc, font: &ReportFont, language: &str) -> Result<Vec<u8>, String> {
    let measure = render::FontMeasure::new(font)?;
    let pages = layout::layout(doc, &measure);
    render::render(&pages, font, &doc.title, language)
}

/// Writes `doc` to `path`, under a temporary name until it is complete.
pub(crate) fn save(
    doc: &doc::Doc,
    font: &ReportFont,
    lang: Lang,
    path: &Path,
) -> Result<(), ExportError> {
    let language = match lang {
        Lang::Zh => "zh-CN",
        Lang::En => "en",
    };
    let pdf = bytes(doc, font, language).map_err(|e| ExportError::write(path, e))?;
    let temp = crate::partial(path);
    let written = std::fs::write(&temp, pdf).and_then(|()| std::fs::rename(&temp, path));
    written.map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        ExportError::write(path, e)
    })
}
