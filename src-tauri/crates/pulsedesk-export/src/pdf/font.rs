//! The font reports are printed in: one that has Chinese and Latin letters, found among the
//! system's fonts (Microsoft YaHei on Windows, PingFang on macOS, Noto Sans CJK and friends on
//! Linux) or named by `PULSEDESK_REPORT_FONT`.

use std::path::Path;
use std::sync::{Arc, OnceLock};

/// The families tried first, best first: the Simplified Chinese faces each system ships.
const FAMILIES: &[&str] = &[
    "Microsoft YaHei",
    "DengXian",
    "SimSun",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "STHeiti",
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
    "AR PL UMing CN",
];

/// What the Chinese face must draw.
const CHINESE: &[char] = &['周', '复', '盘', '客', '服'];
/// What the report's faces together must draw besides.
const LATIN: &[char] = &['A', 'z', '0', '9', '%', '(', '.'];

/// The Latin faces tried when the Chinese face has no Latin letters, best first.
const LATIN_FAMILIES: &[&str] = &[
    "Segoe UI",
    "Arial",
    "Helvetica Neue",
    "Helvetica",
    "Noto Sans",
    "DejaVu Sans",
    "Liberation Sans",
];

/// One face of a font file (collections hold several).
#[derive(Clone)]
pub(crate) struct Face {
    pub data: Arc<Vec<u8>>,
    pub index: u32,
    pub name: String,
}

/// The faces a report is printed in: a Chinese face first, then, when it lacks Latin
/// letters, a Latin face for them.
#[derive(Clone)]
pub struct ReportFont {
    pub(crate) faces: Vec<Face>,
}

impl std::fmt::Debug for ReportFont {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ReportFont({})", self.name())
    }
}

/// Why no report font could be had.
#[derive(Debug, Clone, thiserror::Error)]
pub enum FontError {
    #[error("the report font {path} could not be read: {reason}")]
    Unreadable { path: String, reason: String },
    #[error("the report font {path} cannot draw Chinese and Latin text")]
    Incomplete { path: String },
    #[error(
        "no font on this computer can print Chinese and Latin text: install one (on Debian or \
         Ubuntu: sudo apt-get install fonts-noto-cjk) or name a font file in PULSEDESK_REPORT_FONT"
    )]
    NoneFound,
}

fn draws(data: &[u8], index: u32, chars: &[char]) -> bool {
    ttf_parser::Face::parse(data, index)
        .map(|face| chars.iter().all(|c| face.glyph_index(*c).is_some()))
        .unwrap_or(false)
}

impl ReportFont {
    /// The face at `index` of the font file at `path`, if it alone can print a report.
    pub fn from_file(path: &Path, index: u32) -> Result<Self, FontError> {
        let shown = path.display().to_string();
        let unreadable = |reason: String| FontError::Unreadable {
            path: shown.clone(),
            reason,
        };
        let data = std::fs::read(path).map_err(|e| unreadable(e.to_string()))?;
        let face = ttf_parser::Face::parse(&data, index).map_err(|e| unreadable(e.to_string()))?;
        let name = face
            .names()
            .into_iter()
            .find(|n| n.name_id == ttf_parser::name_id::FAMILY && n.is_unicode())
            .and_then(|n| n.to_string())
            .unwrap_or_else(|| shown.clone());
        if !draws(&data, index, CHINESE) || !draws(&data, index, LATIN) {
            return Err(FontError::Incomplete { path: shown });
        }
        Ok(Self {
            faces: vec![Face {
                data: Arc::new(data),
                index,
                name,
            }],
        })
    }

    /// The system's report font: `PULSEDESK_REPORT_FONT` when set, otherwise the first of
    /// the known Chinese families installed (with a Latin face beside it when it has no
    /// Latin letters). Looked up once per process.
    pub fn system() -> Result<Self, FontError> {
        static FOUND: OnceLock<Result<ReportFont, FontError>> = OnceLock::new();
        FOUND
            .get_or_init(|| match std::env::var_os("PULSEDESK_REPORT_FONT") {
                Some(path) => Self::from_file(Path::new(&path), 0),
                None => search(),
            })
            .clone()
    }

    /// The faces' family names, for messages.
    pub fn name(&self) -> String {
        let names: Vec<&str> = self.faces.iter().map(|f| f.name.as_str()).collect();
        names.join(" + ")
    }
}

/// The first face among `families`, then among every installed face (by name), that draws
/// all of `chars`.
fn find(db: &fontdb::Database, families: &[&str], chars: &[char]) -> Option<Face> {
    let take = |id: fontdb::ID, name: String| {
        db.with_face_data(id, |data, index| {
            draws(data, index, chars).then(|| Face {
                data: Arc::new(data.to_vec()),
                index,
                name,
            })
        })
        .flatten()
    };
    for family in families {
        let query = fontdb::Query {
            families: &[fontdb::Family::Name(family)],
            ..fontdb::Query::default()
        };
        if let Some(face) = db
            .query(&query)
            .and_then(|id| take(id, (*family).to_owned()))
        {
            return Some(face);
        }
    }
    let mut faces: Vec<_> = db
        .faces()
        .filter(|f| f.style == fontdb::Style::Normal && f.weight == fontdb::Weight::NORMAL)
        .map(|f| {
            let name = f
                .families
                .first()
                .map(|(n, _)| n.clone())
                .unwrap_or_default();
            (f.id, name)
        })
        .collect();
    faces.sort_by(|a, b| a.1.cmp(&b.1));
    faces.into_iter().find_map(|(id, name)| take(id, name))
}

fn search() -> Result<ReportFont, FontError> {
    let mut db = fontdb::Database::new();
    db.load_system_fonts();
    let chinese = find(&db, FAMILIES, CHINESE).ok_or(FontError::NoneFound)?;
    if draws(&chinese.data, chinese.index, LATIN) {
        return Ok(ReportFont {
            faces: vec![chinese],
        });
    }
    let latin = find(&db, LATIN_FAMILIES, LATIN).ok_or(FontError::NoneFound)?;
    Ok(ReportFont {
        faces: vec![chinese, latin],
    })
}
