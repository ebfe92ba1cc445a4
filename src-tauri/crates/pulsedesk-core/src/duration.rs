//! A length of time written as the screen writes it (the UI's `formatDuration`), for the
//! printed reports: "2小时05分" / "2 h 05 min".

use crate::sla::notice::Lang;

/// `secs` as the screen shows it: days and hours past a day, hours and minutes past an
/// hour, minutes past a minute, else seconds.
pub fn duration_text(secs: i64, lang: Lang) -> String {
    let s = secs.max(0);
    let (d, h, m) = (s / 86_400, (s % 86_400) / 3_600, (s % 3_600) / 60);
    match lang {
        Lang::Zh if s < 60 => format!("{s}秒"),
        Lang::Zh if d > 0 => format!("{d}天{h}小时"),
        Lang::Zh if h > 0 => format!("{h}小时{m:02}分"),
        Lang::Zh => format!("{m}分钟"),
        Lang::En if s < 60 => format!("{s} s"),
        Lang::En if d > 0 => format!("{d} d {h} h"),
        Lang::En if h > 0 => format!("{h} h {m:02} min"),
        Lang::En => format!("{m} min"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// As the UI writes them (`formatDuration`, ui/src/lib/format.ts).
    #[test]
    fn reads_like_the_screen_in_both_languages() {
        assert_eq!(duration_text(5 * 3600 + 4 * 60, Lang::Zh), "5小时04分");
        assert_eq!(duration_text(2 * 3600 + 5 * 60, Lang::En), "2 h 05 min");
        assert_eq!(duration_text(9 * 60 + 59, Lang::Zh), "9分钟");
        assert_eq!(duration_text(9 * 60, Lang::En), "9 min");
        assert_eq!(duration_text(45, Lang::En), "45 s");
        assert_eq!(duration_text(26 * 3600, Lang::Zh), "1天2小时");
        assert_eq!(duration_text(-5, Lang::Zh), "0秒");
    }
}
