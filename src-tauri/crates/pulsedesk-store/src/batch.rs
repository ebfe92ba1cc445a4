//! Several statements sent to SQLite in one call.
//!
//! Every call is a round trip to the driver's worker thread. Writing what a pull brought
//! takes half a dozen small statements, and under load those hand-offs cost more than the
//! statements themselves. sqlx runs every statement of a query string in turn, binding each
//! one's `?`s from the arguments in order, so the statements are gathered here and sent as
//! one string.

use crate::StoreError;
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

pub(crate) struct Batch<'a> {
    q: QueryBuilder<'a, Sqlite>,
    statements: usize,
}

impl<'a> Batch<'a> {
    pub(crate) fn new() -> Self {
        Batch {
            q: QueryBuilder::new(""),
            statements: 0,
        }
    }

    /// Starts the next statement; write it with the builder returned.
    pub(crate) fn statement(&mut self) -> &mut QueryBuilder<'a, Sqlite> {
        if self.statements > 0 {
            self.q.push(";\n");
        }
        self.statements += 1;
        &mut self.q
    }

    /// Adds `before` `ids` `after` as a statement, `ids` bound as a JSON array (for
    /// `json_each`), unless there are none.
    pub(crate) fn with_ids(&mut self, before: &'static str, ids: &[i64], after: &'static str) {
        if !ids.is_empty() {
            self.statement()
                .push(before)
                .push_bind(crate::rows::to_json(&ids))
                .push(after);
        }
    }

    /// Runs every statement, in order, and returns the rows of those that read (a read
    /// after writes sees them). The first that fails stops the rest (the caller's
    /// transaction then rolls back what ran).
    pub(crate) async fn fetch(
        mut self,
        conn: &mut SqliteConnection,
    ) -> Result<Vec<SqliteRow>, StoreError> {
        if self.statements == 0 {
            return Ok(Vec::new());
        }
        Ok(self.q.build().fetch_all(conn).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::{Connection, Row};

    /// An in-memory database holding table `t` as `columns` describe it.
    async fn with_table(columns: &str) -> SqliteConnection {
        let mut conn = SqliteConnection::connect("sqlite::memory:")
            .await
            .expect("an in-memory database");
        sqlx::query(&format!("CREATE TABLE t ({columns})"))
            .execute(&mut conn)
            .await
            .expect("a table");
        conn
    }

    #[tokio::test]
    async fn every_statement_runs_with_its_own_arguments_in_order() {
        let mut conn = with_table("k TEXT PRIMARY KEY, v INTEGER").await;
        let mut b = Batch::new();
        b.statement().push("INSERT INTO t (k, v) ").push_values(
            [("a", 1), ("b", 2)],
            |mut r, (k, v)| {
                r.push_bind(k).push_bind(v);
            },
        );
        b.statement()
            .push("UPDATE t SET v = v + ")
            .push_bind(10)
            .push(" WHERE k = ")
            .push_bind("b");
        b.statement()
            .push("INSERT INTO t (k, v) VALUES (")
            .push_bind("c")
            .push(", ")
            .push_bind(3)
            .push(")");
        b.statement()
            .push("SELECT k, v FROM t WHERE v > ")
            .push_bind(2)
            .push(" ORDER BY k");
        let rows = b.fetch(&mut conn).await.expect("the batch runs");
        let read: Vec<(String, i64)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
        assert_eq!(
            read,
            vec![("b".into(), 12), ("c".into(), 3)],
            "the read sees the writes before it"
        );
    }

    #[tokio::test]
    async fn a_failing_statement_stops_the_rest_and_reports_the_error() {
        let mut conn = with_table("k TEXT PRIMARY KEY").await;
        let mut tx = conn.begin().await.expect("a transaction");
        let mut b = Batch::new();
        b.statement().push("INSERT INTO t (k) VALUES ('a')");
        b.statement().push("INSERT INTO t (k) VALUES ('a')");
        b.statement().push("INSERT INTO t (k) VALUES ('z')");
        assert!(
            b.fetch(&mut tx).await.is_err(),
            "the duplicate key is an error"
        );
        tx.rollback().await.expect("rolled back");
        let (n,): (i64,) = sqlx::query_as("SELECT count(*) FROM t")
            .fetch_one(&mut conn)
            .await
            .expect("a count");
        assert_eq!(n, 0, "nothing of the batch stays");
    }
}
