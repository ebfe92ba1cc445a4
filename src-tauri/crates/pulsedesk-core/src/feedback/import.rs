//! Survey results from a file: which column is which (Chinese or English headers), and
//! each row read into an answer with a clear reason when it cannot be.

use super::score::Scores;
use super::survey::Answer;
use crate::reason::Reason;
use crate::validate::FieldProblem;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// The columns an import reads; others (the overall score, the owner) are ignored, so the
/// exported feedback summary table can be read back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Columns {
    pub number: usize,
    pub answered_at: usize,
    pub speed: usize,
    pub professionalism: usize,
    pub resolution: usize,
    /// Without it every answer counts as "solved".
    pub solved: Option<usize>,
    pub comment: Option<usize>,
}

const NAMES: [(&str, &[&str]); 7] = [
    ("number", &["number", "ticket", "工单编号"]),
    ("answered_at", &["answered_at", "date", "日期", "回答时间"]),
    ("speed", &["speed", "响应速度", "响应速度评分"]),
    (
        "professionalism",
        &["professionalism", "专业度", "专业度评分"],
    ),
    ("resolution", &["resolution", "问题解决", "问题解决评分"]),
    ("solved", &["solved", "问题是否解决", "是否解决"]),
    (
        "comment",
        &["comment", "suggestions", "客户建议", "其他建议"],
    ),
];

fn norm(h: &str) -> String {
    // "响应速度评分(1-5分)" → "响应速度评分"; BOM and case ignored.
    let h = h.trim_start_matches('\u{feff}').trim().to_lowercase();
    h.split(['(', '（']).next().unwrap_or("").trim().to_string()
}

impl Columns {
    /// Finds the columns by their headers; names the ones missing.
    pub fn from_headers<'a>(headers: impl IntoIterator<Item = &'a str>) -> Result<Self, Reason> {
        let headers: Vec<String> = headers.into_iter().map(norm).collect();
        let find = |key: &str| {
            let names = NAMES.iter().find(|(k, _)| *k == key).map(|(_, n)| *n)?;
            headers.iter().position(|h| names.contains(&h.as_str()))
        };
        let need = |key: &str| find(key).ok_or(key.to_string());
        let column = |key: &str| need(key).map_err(|k| Reason::MissingColumns { columns: vec![k] });
        let missing: Vec<String> = [
            "number",
            "answered_at",
            "speed",
            "professionalism",
            "resolution",
        ]
        .iter()
        .filter_map(|k| need(k).err())
        .collect();
        if !missing.is_empty() {
            return Err(Reason::MissingColumns { columns: missing });
        }
        Ok(Columns {
            number: column("number")?,
            answered_at: column("answered_at")?,
            speed: column("speed")?,
            professionalism: column("professionalism")?,
            resolution: column("resolution")?,
            solved: find("solved"),
            comment: find("comment"),
        })
    }
}

/// One readable row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    pub number: String,
    pub answered_at: DateTime<Utc>,
    pub answer: Answer,
}

fn fault(field: &str, why: Reason) -> FieldProblem {
    FieldProblem {
        field: field.to_string(),
        reason: why,
    }
}

fn score(field: &str, v: &str) -> Result<u8, FieldProblem> {
    v.trim()
        .parse::<u8>()
        .ok()
        .filter(|s| (1..=5).contains(s))
        .ok_or_else(|| {
            fault(
                field,
                Reason::NotAScore {
                    value: v.trim().to_string(),
                },
            )
        })
}

fn yes_no(v: &str) -> Result<bool, FieldProblem> {
    match v.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "是" | "已解决" => Ok(true),
        "no" | "n" | "false" | "0" | "否" | "未解决" => Ok(false),
        _ => Err(fault(
            "solved",
            Reason::NotYesNo {
                value: v.trim().to_string(),
            },
        )),
    }
}

/// A time with an offset (RFC 3339), or a local time or date in the team's calendar.
pub fn parse_time(
    v: &str,
    offset: impl Fn(NaiveDateTime) -> FixedOffset,
) -> Result<DateTime<Utc>, Reason> {
    let v = v.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(v) {
        return Ok(t.with_timezone(&Utc));
    }
    let bad = || Reason::NotATimestamp {
        value: v.to_string(),
    };
    let local = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(v, f).ok())
        .or_else(|| {
            NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })
        .ok_or_else(bad)?;
    offset(local)
        .from_local_datetime(&local)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(bad)
}

/// Reads one row by `cols`; the column at fault (by its English key) and why, when it
/// cannot be read.
pub fn parse_row(
    cols: &Columns,
    row: &[&str],
    offset: impl Fn(NaiveDateTime) -> FixedOffset,
) -> Result<ImportRow, FieldProblem> {
    let get = |i: usize| row.get(i).copied().unwrap_or("");
    let number = get(cols.number).trim().to_string();
    if number.is_empty() {
        return Err(fault("number", Reason::Required));
    }
    let answered_at =
        parse_time(get(cols.answered_at), offset).map_err(|why| fault("answered_at", why))?;
    let scores = Scores::new(
        score("speed", get(cols.speed))?,
        score("professionalism", get(cols.professionalism))?,
        score("resolution", get(cols.resolution))?,
    )
    .map_err(|e| fault(e.field().unwrap_or("speed"), e.reason()))?;
    let solved = match cols.solved.map(get) {
        Some(v) if !v.trim().is_empty() => yes_no(v)?,
        _ => true,
    };
    let comment = cols.comment.map(get).unwrap_or("").trim();
    // The summary table writes "无" (none) for no suggestion.
    let comment = if comment == "无" { "" } else { comment };
    Ok(ImportRow {
        number,
        answered_at,
        answer: Answer {
            scores,
            solved,
            comment: comment.to_string(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cst(_: NaiveDateTime) -> FixedOffset {
        FixedOffset::east_opt(8 * 3600).unwrap()
    }

    #[test]
    fn chinese_headers_of_the_summary_table_are_understood() {
        let cols = Columns::from_headers([
            "\u{feff}日期",
            "工单编号",
            "客户评分",
            "响应速度评分(1-5分)",
            "专业度评分（1-5分）",
            "问题解决评分(1-5分)",
            "客户建议",
            "跟进责任人",
        ])
        .unwrap();
        assert_eq!((cols.number, cols.answered_at, cols.speed), (1, 0, 3));
        assert_eq!(
            (cols.resolution, cols.solved, cols.comment),
            (5, None, Some(6))
        );
        let r = parse_row(
            &cols,
            &[
                "2023-10-01",
                "CS2023100103",
                "2.0",
                "2",
                "1",
                "3",
                "“等待时间太长”",
                "主管B",
            ],
            cst,
        )
        .unwrap();
        assert_eq!(r.answered_at.to_rfc3339(), "2023-09-30T16:00:00+00:00");
        assert_eq!(r.answer.scores.overall().to_string(), "2.0");
        assert!(r.answer.solved);
        let none = parse_row(
            &cols,
            &["2023-10-01", "CS1", "", "5", "5", "4", "无", ""],
            cst,
        )
        .unwrap();
        assert_eq!(none.answer.comment, "");
    }

    #[test]
    fn missing_columns_and_bad_values_are_named() {
        let err = Columns::from_headers(["number", "speed"]).unwrap_err();
        assert_eq!(
            err,
            Reason::MissingColumns {
                columns: vec![
                    "answered_at".into(),
                    "professionalism".into(),
                    "resolution".into()
                ]
            }
        );
        let cols = Columns::from_headers([
            "number",
            "answered_at",
            "speed",
            "professionalism",
            "resolution",
            "solved",
        ])
        .unwrap();
        let bad = |row: &[&str]| parse_row(&cols, row, cst).unwrap_err();
        let at = |field: &str, reason: Reason| FieldProblem {
            field: field.into(),
            reason,
        };
        assert_eq!(
            bad(&["CS1", "2026-03-02 10:00", "6", "5", "5", "yes"]),
            at("speed", Reason::NotAScore { value: "6".into() })
        );
        assert_eq!(
            bad(&["CS1", "yesterday", "5", "5", "5", "yes"]),
            at(
                "answered_at",
                Reason::NotATimestamp {
                    value: "yesterday".into()
                }
            )
        );
        assert_eq!(
            bad(&["CS1", "2026-03-02 10:00", "5", "5", "5", "maybe"]),
            at(
                "solved",
                Reason::NotYesNo {
                    value: "maybe".into()
                }
            )
        );
        assert_eq!(
            bad(&["", "2026-03-02 10:00", "5", "5", "5", "no"]),
            at("number", Reason::Required)
        );
        let ok = parse_row(
            &cols,
            &["CS1", "2026-03-02T10:00:00Z", "5", "4", "4", "否"],
            cst,
        )
        .unwrap();
        assert!(!ok.answer.solved);
        assert_eq!(ok.answered_at.to_rfc3339(), "2026-03-02T10:00:00+00:00");
    }
}
