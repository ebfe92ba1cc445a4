//! Masking of customer PII for display: 张**, 138****1234, a***@example.com.
//!
//! Masking keeps just enough to recognise a customer on the phone and never reveals the
//! length of an e-mail's local part. Full values are shown only through an audited reveal.

/// Masks a personal name: the first character of each word stays, the rest become `*`.
/// Chinese names have no spaces, so 张三丰 → 张**; "Alice Smith" → "A**** S****".
pub fn mask_name(name: &str) -> String {
    let name = name.trim();
    let mut out = String::with_capacity(name.len());
    for (i, word) in name.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let n = word.chars().count();
        if n == 1 && i == 0 && !name.contains(char::is_whitespace) {
            // A one-character name would be shown in full: hide it.
            out.push('*');
            continue;
        }
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first);
        }
        out.extend(std::iter::repeat_n('*', n.saturating_sub(1)));
    }
    out
}

/// Masks a phone number, keeping separators: mobiles and landlines show their first three
/// and last four digits (138****1234, 010****5678); short numbers show only their last two;
/// a `+country` prefix stays visible.
pub fn mask_phone(phone: &str) -> String {
    let phone = phone.trim();
    let (prefix, rest) = match phone.strip_prefix('+') {
        Some(after) => {
            let end = after
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(after.len());
            phone.split_at(end + 1)
        }
        None => ("", phone),
    };
    // A `*` is a digit already hidden (a replica holds numbers the server masked), so
    // masking a masked number changes nothing.
    let hidden_or_digit = |c: &char| c.is_ascii_digit() || *c == '*';
    let digits = rest.chars().filter(hidden_or_digit).count();
    let (keep_head, keep_tail) = match digits {
        0..=4 => (0, 0),
        5..=7 => (0, 2),
        _ => (3, 4),
    };
    let mut seen = 0;
    let mut out = String::from(prefix);
    for c in rest.chars() {
        if hidden_or_digit(&c) {
            seen += 1;
            let visible = seen <= keep_head || seen > digits - keep_tail;
            out.push(if visible { c } else { '*' });
        } else {
            out.push(c);
        }
    }
    out
}

/// Masks an e-mail address: the first character of the local part and the whole domain
/// stay (a***@example.com). Something that is not an address is masked like a name.
pub fn mask_email(email: &str) -> String {
    let email = email.trim();
    match email.rsplit_once('@') {
        Some((local, domain)) if !local.is_empty() && !domain.is_empty() => {
            let first = local.chars().next().map(String::from).unwrap_or_default();
            format!("{first}***@{domain}")
        }
        _ => mask_name(email),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masking_what_is_already_masked_changes_nothing() {
        for name in ["张三丰", "Alice Smith", "王", "欧阳 娜娜"] {
            let once = mask_name(name);
            assert_eq!(mask_name(&once), once);
        }
        for phone in [
            "13812341234",
            "+86 138-1234-1234",
            "010-6543 5678",
            "12345",
            "123",
        ] {
            let once = mask_phone(phone);
            assert_eq!(mask_phone(&once), once, "{phone}");
        }
        for email in ["alice@example.com", "王芳@公司.中国", "x"] {
            let once = mask_email(email);
            assert_eq!(mask_email(&once), once);
        }
    }

    #[test]
    fn chinese_names() {
        assert_eq!(mask_name("张三丰"), "张**");
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name("欧阳娜娜"), "欧***");
        assert_eq!(mask_name("张"), "*");
    }

    #[test]
    fn latin_names() {
        assert_eq!(mask_name("Alice Smith"), "A**** S****");
        assert_eq!(mask_name("  Bo  "), "B*");
        assert_eq!(mask_name("J R"), "J R");
        assert_eq!(mask_name(""), "");
    }

    #[test]
    fn mobiles() {
        assert_eq!(mask_phone("13812341234"), "138****1234");
        assert_eq!(mask_phone("138-1234-1234"), "138-****-1234");
        assert_eq!(mask_phone("+86 13812341234"), "+86 138****1234");
    }

    #[test]
    fn landlines_and_short_numbers() {
        assert_eq!(mask_phone("010-12345678"), "010-****5678");
        assert_eq!(mask_phone("0755-88888888"), "075*-****8888");
        assert_eq!(mask_phone("95588"), "***88");
        assert_eq!(mask_phone("110"), "***");
        assert_eq!(mask_phone(""), "");
    }

    #[test]
    fn emails() {
        assert_eq!(mask_email("alice@example.com"), "a***@example.com");
        assert_eq!(mask_email("a@example.com"), "a***@example.com");
        assert_eq!(mask_email("张伟@例子.cn"), "张***@例子.cn");
        assert_eq!(mask_email("not-an-address"), "n*************");
        assert_eq!(mask_email("@example.com"), "@***********");
    }

    #[test]
    fn masking_never_shows_the_middle_of_a_mobile() {
        let masked = mask_phone("13900001111");
        assert!(!masked.contains("0000"), "{masked}");
    }
}
