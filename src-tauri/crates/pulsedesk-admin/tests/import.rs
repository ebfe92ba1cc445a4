//! `pulsedesk-admin import`: a team's history from a CSV tracking table into the shared
//! database — checked whole first, written all or nothing, readable by the members through
//! row-level security, and equal to itself after an export and an import elsewhere.

#![allow(clippy::unwrap_used)]

mod common;

use pulsedesk_core::kinds::Role;
use pulsedesk_shared::testing::{db, TestDb};
use sqlx::{Connection, PgConnection};
use std::path::Path;

/// Runs the CLI as the superuser on `database`: (success, stdout, stderr).
fn admin(database: &str, args: &[&str]) -> (bool, String, String) {
    let run = common::admin_on(database, args);
    (run.ok, run.stdout, run.stderr)
}

async fn count(db: &TestDb, sql: &str) -> i64 {
    let mut c = PgConnection::connect(&common::url(&db.name)).await.unwrap();
    let n = sqlx::query_scalar(sql).fetch_one(&mut c).await.unwrap();
    c.close().await.unwrap();
    n
}

/// number, stage, outcome, assignee's login, minutes to first response, to resolution.
type Folded = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<i64>,
);

/// The seed's tracking table (its Chinese column names and words) plus the timestamps.
const SEED_TABLE: &str = "\u{feff}工单编号,接收时间,渠道,工单类型,客户类型,优先级,分配人员,当前节点,问题描述,客户姓名,客户电话,涉及部门,首次响应时间,解决时间
CS2023100101,2023-10-01 09:05,电话,技术支持,VIP,紧急,王小明,已完成,需技术部协助后台核查,赵敏,13800001234,技术部,2023-10-01 09:17,2023-10-01 11:40
CS2023100102,2023-10-01 10:30,在线客服,咨询,普通,中,{login},处理中,\"产品功能咨询, 等待产品部回复\",钱伟,13900005678,产品部,2023-10-01 10:41,
CS2023100103,2023-10-01 11:00,邮件,售后申请,企业客户,低,,待分配,发票抬头修改,孙丽,,,,
";

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

#[tokio::test]
async fn imports_the_seed_table_all_or_nothing_and_round_trips() {
    let db = db().await;
    let login = db.member("王小明", Role::Agent).await;
    let sup = db.member("主管甲", Role::Supervisor).await;
    let dir = tempfile::tempdir().unwrap();
    let seed = write(
        dir.path(),
        "seed.csv",
        &SEED_TABLE.replace("{login}", &login),
    );

    // The third row has no phone and no e-mail: the file is refused, line by line.
    let (ok, _, err) = admin(&db.name, &["import", &seed]);
    assert!(!ok, "{err}");
    assert!(err.contains("line 4, customer_phone"), "{err}");
    assert!(err.contains("nothing was imported"), "{err}");
    assert_eq!(count(&db, "SELECT count(*) FROM tickets").await, 0);

    let fixed = SEED_TABLE
        .replace("{login}", &login)
        .replace("发票抬头修改,孙丽,,", "发票抬头修改,孙丽,13700009999,");
    let seed = write(dir.path(), "seed.csv", &fixed);
    let (ok, out, err) = admin(&db.name, &["import", &seed, "--dry-run"]);
    assert!(ok, "{err}");
    assert!(
        out.contains("3 tickets and 3 customers would be imported"),
        "{out}"
    );
    assert_eq!(count(&db, "SELECT count(*) FROM tickets").await, 0);

    let (ok, out, err) = admin(&db.name, &["import", &seed]);
    assert!(ok, "{err}");
    assert!(out.contains("imported 3 tickets and 3 customers"), "{out}");

    // A supervisor reads them through row-level security, folded as the app would.
    let mut psql = db.psql(&sup).await;
    let rows: Vec<Folded> = sqlx::query_as(
        "SELECT t.number, t.stage, t.outcome, u.login,
                    (extract(epoch FROM t.first_response_at - t.created_at) / 60)::bigint,
                    (extract(epoch FROM t.resolved_at - t.created_at) / 60)::bigint
             FROM tickets t LEFT JOIN users u ON u.id = t.assignee_id ORDER BY t.number",
    )
    .fetch_all(&mut psql)
    .await
    .unwrap();
    assert_eq!(
        rows,
        vec![
            (
                "CS2023100101".into(),
                "done".into(),
                Some("fully".into()),
                Some(login.clone()),
                Some(12),
                Some(155)
            ),
            (
                "CS2023100102".into(),
                "in_progress".into(),
                None,
                Some(login.clone()),
                Some(11),
                None
            ),
            (
                "CS2023100103".into(),
                "unassigned".into(),
                None,
                None,
                None,
                None
            ),
        ]
    );
    let log: Vec<String> = sqlx::query_scalar(
        "SELECT e.kind FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
         WHERE t.number = 'CS2023100101' ORDER BY e.id",
    )
    .fetch_all(&mut psql)
    .await
    .unwrap();
    assert_eq!(
        log,
        [
            "created",
            "assigned",
            "stage_changed",
            "stage_changed",
            "stage_changed"
        ]
    );
    // Members see the imported customers masked, like any other.
    let phone: String = sqlx::query_scalar(
        "SELECT c.phone_masked FROM customers c JOIN tickets t ON t.customer_id = c.id WHERE t.number = 'CS2023100101'",
    )
    .fetch_one(&mut psql)
    .await
    .unwrap();
    assert_eq!(phone, "138****1234");
    psql.close().await.unwrap();
    // The day's counter moved past the imported numbers.
    assert_eq!(
        count(
            &db,
            "SELECT last::bigint FROM ticket_counters WHERE day = '20231001'"
        )
        .await,
        3
    );

    // Importing again changes nothing, and says which numbers are taken.
    let (ok, _, err) = admin(&db.name, &["import", &seed]);
    assert!(!ok);
    assert!(
        err.contains("line 2, number: CS2023100101 is already in the database"),
        "{err}"
    );
    assert_eq!(count(&db, "SELECT count(*) FROM tickets").await, 3);

    // Export with full contacts, import into another team database: the same table.
    let (ok, exported, err) = admin(&db.name, &["export", "--with-pii"]);
    assert!(ok, "{err}");
    let other = pulsedesk_shared::testing::db().await;
    other.member("王小明", Role::Agent).await;
    let file = write(dir.path(), "exported.csv", &exported);
    let (ok, _, err) = admin(&other.name, &["import", &file]);
    assert!(ok, "{err}");
    let (ok, again, _) = admin(&other.name, &["export", "--with-pii"]);
    assert!(ok);
    assert_eq!(again, exported);
}

#[tokio::test]
async fn bad_rows_are_listed_by_line_and_nothing_is_written() {
    let db = db().await;
    db.member("王小明", Role::Agent).await;
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "bad.csv",
        "number,received_at,channel,type,tier,priority,assignee,stage,subject,customer_name,customer_phone,first_response_at,resolved_at
CS1,2023-10-01 09:05,phone,咨询,vip,超急,王小明,done,a,赵敏,13800001234,,2023-10-01 10:00
CS2,yesterday,phone,咨询,vip,high,,unassigned,b,赵敏,13800001234,,
CS3,2023-10-01 09:05,phone,投诉建议,vip,high,,unassigned,c,赵敏,13800001234,,
CS4,2023-10-01 09:05,phone,咨询,vip,high,李四,to_contact,d,赵敏,13800001234,,
CS5,2023-10-01 09:05,phone,咨询,vip,high,王小明,in_progress,e,赵敏,13800001234,,
CS5,2023-10-01 09:05,phone,咨询,vip,high,,unassigned,f,赵敏,13800001234,,
",
    );
    // Field problems are found first, all of them.
    let (ok, _, err) = admin(&db.name, &["import", &file]);
    assert!(!ok);
    assert!(
        err.contains("line 2, priority: unknown value \"超急\""),
        "{err}"
    );
    assert!(
        err.contains("line 3, received_at: \"yesterday\" is not a time"),
        "{err}"
    );
    // Then, with the fields fixed, what only the database knows.
    let fixed = std::fs::read_to_string(&file)
        .unwrap()
        .replace("超急", "urgent")
        .replace("yesterday", "2023-10-01 09:05");
    let file = write(dir.path(), "bad.csv", &fixed);
    let (ok, _, err) = admin(&db.name, &["import", &file]);
    assert!(!ok);
    for says in [
        "line 4, type: no ticket type called \"投诉建议\"",
        "line 5, assignee: no member with the login or name \"李四\"",
        "line 6, first_response_at: a ticket at stage in_progress was answered: when?",
        "line 7, number: CS5 appears twice in the file",
        "nothing was imported",
    ] {
        assert!(err.contains(says), "{says}\n{err}");
    }
    assert_eq!(count(&db, "SELECT count(*) FROM tickets").await, 0);

    let (ok, _, err) = admin(&db.name, &["import", "/no/such/file.csv"]);
    assert!(!ok && err.contains("cannot be opened"), "{err}");
    let unknown = write(dir.path(), "cols.csv", "number,colour\nCS1,red\n");
    let (ok, _, err) = admin(&db.name, &["import", &unknown]);
    assert!(
        !ok && err.contains("unknown column(s) [\"colour\"]"),
        "{err}"
    );
    let (ok, _, err) = admin(&db.name, &["import", &file, "--utc-offset", "99"]);
    assert!(!ok && err.contains("expected whole hours"), "{err}");
}
