//! Everything `serve` keeps, in SQLite or PostgreSQL through one code path:
//! sqlx's `Any` driver with runtime queries in portable SQL (`$1`
//! placeholders, which both read), so the two back ends cannot drift apart.
//! The back end is chosen by the database name: a `postgres://` URL, or a
//! SQLite file path.
//!
//! Owns the schema (migrations embedded from `migrations/`) and every query;
//! knows nothing of HTTP or HTML. Secrets are stored only as SHA-256 hashes
//! (tokens) or argon2 hashes (passwords), made by the caller.

mod account;
mod campaign;
mod invitation;
mod migrate;

pub use campaign::{Campaign, NewCampaign};
pub use invitation::{Invitation, NewInvitation, Progress, SavedPage, Submitted};

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Executor, Row};

/// A database error, with what the store was doing.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be opened.
    #[error("cannot open the database {name}")]
    Open {
        /// The path or URL, without its password.
        name: String,
        /// The driver's error.
        source: sqlx::Error,
    },
    /// A query failed.
    #[error("database error while {doing}")]
    Query {
        /// What the store was doing.
        doing: &'static str,
        /// The driver's error.
        source: sqlx::Error,
    },
    /// A name that must be unique is taken.
    #[error("{what} '{value}' exists already")]
    Taken {
        /// What kind of name.
        what: &'static str,
        /// The name.
        value: String,
    },
}

/// Maps a driver error to [`StoreError::Query`] with what was being done.
pub(crate) fn failed(doing: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |source| StoreError::Query { doing, source }
}

/// Whether `error` is a unique-constraint violation (both back ends say so).
pub(crate) fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(e) if e.is_unique_violation())
}

/// How every SQLite connection is set up. WAL lets readers go on while a
/// page is saved; `synchronous = NORMAL` in WAL mode keeps the database
/// consistent and every committed page safe when the process is killed
/// (the commit is in the log, in the operating system's hands), and gives
/// up only the last commits on a power cut, for commits that do not wait
/// for the disk; `foreign_keys` makes deletions cascade; `busy_timeout`
/// lets `invite` or `export` run while `serve` holds the file.
pub const SQLITE_SETUP: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;";

/// The database of one `serve` installation.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
}

/// The database URL for `name`: itself when it is a PostgreSQL URL, else a
/// SQLite file created on first use.
pub fn url(name: &str) -> String {
    if is_postgres(name) {
        name.to_string()
    } else {
        format!(
            "sqlite://{}?mode=rwc",
            name.strip_prefix("sqlite://").unwrap_or(name)
        )
    }
}

fn is_postgres(name: &str) -> bool {
    name.starts_with("postgres://") || name.starts_with("postgresql://")
}

/// `name` without a password, for messages.
fn shown(name: &str) -> String {
    match (name.find("://"), name.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}://…@{}", &name[..scheme], &name[at + 1..])
        }
        _ => name.to_string(),
    }
}

impl Store {
    /// Opens (creating a SQLite file when needed) and migrates the database
    /// `name`: a SQLite path or a `postgres://` URL.
    ///
    /// SQLite gets one connection ([`SQLITE_SETUP`]): writes are serialised
    /// in the process rather than retried on `SQLITE_BUSY`, which keeps every
    /// page save a single short transaction that cannot fail under load.
    ///
    /// # Errors
    /// [`StoreError`] when the database cannot be opened or migrated.
    pub async fn open(name: &str) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let postgres = is_postgres(name);
        let pool = AnyPoolOptions::new()
            .max_connections(if postgres { 8 } else { 1 })
            .idle_timeout(None)
            .max_lifetime(None)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if !postgres {
                        conn.execute(SQLITE_SETUP).await?;
                    }
                    Ok(())
                })
            })
            .connect(&url(name))
            .await
            .map_err(|source| StoreError::Open {
                name: shown(name),
                source,
            })?;
        let store = Store { pool };
        migrate::run(&store.pool, postgres).await?;
        Ok(store)
    }

    /// The secret that signs CSRF tokens: made once from the OS random
    /// source (by the caller, `fresh`) and then shared by every instance.
    ///
    /// # Errors
    /// [`StoreError`] on a database error.
    pub async fn server_key(&self, fresh: &str) -> Result<String, StoreError> {
        sqlx::query(
            "INSERT INTO server_key (id, secret) VALUES (1, $1) ON CONFLICT (id) DO NOTHING",
        )
        .bind(fresh)
        .execute(&self.pool)
        .await
        .map_err(failed("keeping the server key"))?;
        let row = sqlx::query("SELECT secret FROM server_key WHERE id = 1")
            .fetch_one(&self.pool)
            .await
            .map_err(failed("reading the server key"))?;
        text(&row, "secret")
    }

    /// Records that `actor` did `action` to `subject`.
    ///
    /// # Errors
    /// [`StoreError`] on a database error.
    pub async fn audit(
        &self,
        now: i64,
        actor: &str,
        action: &str,
        subject: &str,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO audit_log (at, actor, action, subject) VALUES ($1, $2, $3, $4)")
            .bind(now)
            .bind(actor)
            .bind(action)
            .bind(subject)
            .execute(&self.pool)
            .await
            .map_err(failed("writing the audit log"))?;
        Ok(())
    }
}

/// Column `name` of `row` as text.
pub(crate) fn text(row: &AnyRow, name: &str) -> Result<String, StoreError> {
    row.try_get(name).map_err(failed("reading a text column"))
}

/// Column `name` of `row` as an integer.
pub(crate) fn int(row: &AnyRow, name: &str) -> Result<i64, StoreError> {
    row.try_get(name).map_err(failed("reading a number column"))
}

/// Column `name` of `row` as an integer that may be NULL.
pub(crate) fn maybe_int(row: &AnyRow, name: &str) -> Result<Option<i64>, StoreError> {
    row.try_get(name).map_err(failed("reading a number column"))
}
