//! The database masks customer details exactly as the core does (pii.rs), so a member sees
//! the same 张** and 138****1234 in every mode.

// Test setup: a failed step should stop the test at once.
#![allow(clippy::unwrap_used)]

mod common;

use pulsedesk_core::pii::{mask_email, mask_name, mask_phone};

#[tokio::test]
async fn sql_masking_agrees_with_the_core() {
    let db = common::db().await;
    let mut corpus: Vec<String> = [
        "张三丰",
        "张三",
        "张",
        "欧阳娜娜",
        "Alice Smith",
        "  Bo  ",
        "J R",
        "",
        "a",
        "Émile Zola",
        "13812341234",
        "138-1234-1234",
        "+86 138 1234 1234",
        "+8613812341234",
        "010-8888-5678",
        "12345",
        "1234",
        "95588",
        "+1",
        "+",
        "(021) 6666 7777",
        "phone",
        "alice@example.com",
        "a@b",
        "@example.com",
        "alice@",
        "a.b@c@d.com",
        "王芳@公司.中国",
        "x",
        "  spaced@out.org  ",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // And a deterministic spread of mixed strings.
    let alphabet: Vec<char> = "0123456789-+ ()@.a张Zé".chars().collect();
    let mut seed = 0x9E37_79B9_u64;
    for _ in 0..300 {
        let mut s = String::new();
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        for k in 0..(seed % 16) {
            s.push(alphabet[((seed >> (k * 3)) % alphabet.len() as u64) as usize]);
        }
        corpus.push(s);
    }
    for s in &corpus {
        let (n, p, e): (String, String, String) =
            sqlx::query_as("SELECT pd_mask_name($1), pd_mask_phone($1), pd_mask_email($1)")
                .bind(s)
                .fetch_one(db.owner.pool())
                .await
                .unwrap();
        assert_eq!(n, mask_name(s), "name {s:?}");
        assert_eq!(p, mask_phone(s), "phone {s:?}");
        assert_eq!(e, mask_email(s), "email {s:?}");
    }
}
