//! `pulsedesk-admin export`: the ticket status tracking table as CSV, masked by default.

#![allow(clippy::unwrap_used)]

mod common;

use pulsedesk_core::kinds::Role;
use pulsedesk_shared::testing::{create, db};
use pulsedesk_shared::EXPORT_COLUMNS;

/// `pulsedesk-admin export ARGS…` as the superuser on `database`: (success, stdout, stderr).
fn export(database: &str, args: &[&str]) -> (bool, String, String) {
    let run = common::admin_on(database, &[&["export"], args].concat());
    (run.ok, run.stdout, run.stderr)
}

fn rows(csv_text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

#[tokio::test]
async fn exports_the_tracking_table_masked_unless_asked() {
    let db = db().await;
    let li = db.member("李娜", Role::Agent).await;
    let s = db.connect(&li).await;
    create(&db, &s, "包裹丢失, \"加急\"").await;
    create(&db, &s, "发票抬头\n需要修改").await;
    s.close().await;

    let (ok, out, err) = export(&db.name, &[]);
    assert!(ok, "{err}");
    assert!(err.contains("exported 2 tickets"), "{err}");
    let (header, rows_masked) = rows(&out);
    assert_eq!(header, EXPORT_COLUMNS);
    assert_eq!(rows_masked.len(), 2);
    let col = |name: &str| EXPORT_COLUMNS.iter().position(|c| *c == name).unwrap();
    let first = &rows_masked[0];
    assert!(first[col("number")].starts_with("CS"), "{first:?}");
    // Commas, quotes and line breaks in a subject survive the round trip.
    assert_eq!(first[col("subject")], "包裹丢失, \"加急\"");
    assert_eq!(rows_masked[1][col("subject")], "发票抬头\n需要修改");
    assert_eq!(first[col("customer_name")], "张**");
    assert_eq!(first[col("customer_phone")], "138****1234");
    assert_eq!(first[col("stage")], "unassigned");
    assert_eq!(first[col("priority")], "high");
    assert_eq!(first[col("tier")], "vip");
    assert_eq!(first[col("first_response_at")], "");

    let (ok, out, err) = export(&db.name, &["--with-pii"]);
    assert!(ok, "{err}");
    let (_, full) = rows(&out);
    assert_eq!(full[0][col("customer_name")], "张三丰");
    assert_eq!(full[0][col("customer_phone")], "13812341234");

    // Nothing was received on or after 2030-01-01.
    let (ok, out, _) = export(&db.name, &["--since", "2030-01-01"]);
    assert!(ok);
    assert_eq!(rows(&out).1.len(), 0);

    let (ok, _, err) = export(&db.name, &["--since", "yesterday"]);
    assert!(
        !ok && err.contains("expected a date like 2026-01-01"),
        "{err}"
    );
    let (ok, _, err) = export(&db.name, &["--everything"]);
    assert!(!ok && err.contains("unknown option --everything"), "{err}");
}
