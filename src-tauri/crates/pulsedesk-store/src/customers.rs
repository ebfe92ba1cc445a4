//! Customers: finding them for the ticket form (masked) and creating them with a ticket.

use crate::rows::decode;
use crate::time::to_ms;
use crate::{StoreError, Workspace};
use chrono::{DateTime, Utc};
use pulsedesk_core::ids::CustomerId;
use pulsedesk_core::kinds::Tier;
use pulsedesk_core::permissions::{Action, Actor};
use pulsedesk_core::pii::{mask_email, mask_name, mask_phone};
use pulsedesk_core::validate;
use pulsedesk_core::view::{CustomerView, NewCustomer};
use sqlx::SqliteConnection;

/// A customer row as stored.
#[derive(sqlx::FromRow)]
pub(crate) struct CustomerRow {
    pub id: i64,
    pub name: String,
    pub phone: String,
    pub email: String,
    pub tier: String,
}

impl CustomerRow {
    /// The view with every contact detail masked.
    pub fn masked(self) -> Result<CustomerView, StoreError> {
        Ok(CustomerView {
            id: CustomerId(self.id),
            name: mask_name(&self.name),
            phone: mask_phone(&self.phone),
            email: mask_email(&self.email),
            tier: decode(Tier::parse, &self.tier, "tier")?,
        })
    }

    /// The full view; only for an authorised, audited reveal.
    pub fn revealed(self) -> Result<CustomerView, StoreError> {
        Ok(CustomerView {
            id: CustomerId(self.id),
            tier: decode(Tier::parse, &self.tier, "tier")?,
            name: self.name,
            phone: self.phone,
            email: self.email,
        })
    }
}

pub(crate) const CUSTOMER_COLUMNS: &str = "id, name, phone, email, tier";

/// Loads one customer.
pub(crate) async fn load(
    conn: &mut SqliteConnection,
    id: CustomerId,
) -> Result<CustomerRow, StoreError> {
    sqlx::query_as::<_, CustomerRow>(&format!(
        "SELECT {CUSTOMER_COLUMNS} FROM customers WHERE id = ?"
    ))
    .bind(id.0)
    .fetch_optional(conn)
    .await?
    .ok_or(StoreError::NotFound("customer"))
}

/// Inserts a validated new customer.
pub(crate) async fn insert(
    conn: &mut SqliteConnection,
    c: &NewCustomer,
    now: DateTime<Utc>,
) -> Result<CustomerId, StoreError> {
    validate::customer(c)?;
    let id: (i64,) = sqlx::query_as(
        "INSERT INTO customers (name, phone, email, tier, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(c.name.trim())
    .bind(c.phone.trim())
    .bind(c.email.trim())
    .bind(c.tier.as_str())
    .bind(to_ms(now))
    .fetch_one(conn)
    .await?;
    Ok(CustomerId(id.0))
}

impl Workspace {
    /// Customers whose name, phone or e-mail contains `query`, masked, at most 20.
    pub async fn find_customers(
        &self,
        actor: &Actor,
        query: &str,
    ) -> Result<Vec<CustomerView>, StoreError> {
        actor.authorize(Action::CreateTicket)?;
        let q = query.trim();
        if q.is_empty() {
            return Ok(vec![]);
        }
        let like = format!(
            "%{}%",
            q.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        let rows = sqlx::query_as::<_, CustomerRow>(&format!(
            "SELECT {CUSTOMER_COLUMNS} FROM customers
             WHERE name LIKE ?1 ESCAPE '\\' OR phone LIKE ?1 ESCAPE '\\' OR email LIKE ?1 ESCAPE '\\'
             ORDER BY name LIMIT 20"
        ))
        .bind(like)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(CustomerRow::masked).collect()
    }
}
