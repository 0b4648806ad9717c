//! Schema migrations: the SQL files of `migrations/`, embedded at build time
//! and applied in order, each once, each in its own transaction. On
//! PostgreSQL, instances starting together take turns under an advisory
//! lock, so a migration runs once; SQLite's write lock does the same for
//! processes sharing a file.

use sqlx::{AnyConnection, AnyPool, Connection, Row};

use super::{failed, StoreError};

/// Every migration, in order: (version, SQL). Append; never edit one that shipped.
const MIGRATIONS: &[(i64, &str)] = &[(1, include_str!("../../../migrations/0001_initial.sql"))];

/// Key of the PostgreSQL advisory lock held while migrating (any constant
/// this application alone uses: "sf" in ASCII, then 17, the issue).
const LOCK_KEY: i64 = 0x7366_0017;

/// Brings the schema of `pool` up to the newest version.
pub(super) async fn run(pool: &AnyPool, postgres: bool) -> Result<(), StoreError> {
    let mut conn = pool
        .acquire()
        .await
        .map_err(failed("connecting to migrate"))?;
    if postgres {
        sqlx::query("SELECT pg_advisory_lock($1)")
            .bind(LOCK_KEY)
            .execute(&mut *conn)
            .await
            .map_err(failed("waiting for another instance's migration"))?;
    }
    let migrated = apply(&mut conn).await;
    if postgres {
        sqlx::query("SELECT pg_advisory_unlock($1)")
            .bind(LOCK_KEY)
            .execute(&mut *conn)
            .await
            .map_err(failed("ending a migration"))?;
    }
    migrated
}

async fn apply(conn: &mut AnyConnection) -> Result<(), StoreError> {
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)",
    )
    .execute(&mut *conn)
    .await
    .map_err(failed("creating the schema version table"))?;
    let applied: Vec<i64> = sqlx::query("SELECT version FROM schema_version")
        .fetch_all(&mut *conn)
        .await
        .map_err(failed("reading the schema version"))?
        .iter()
        .map(|row| row.try_get::<i64, _>("version"))
        .collect::<Result<_, _>>()
        .map_err(failed("reading the schema version"))?;
    for &(version, sql) in MIGRATIONS {
        if applied.contains(&version) {
            continue;
        }
        let mut tx = conn.begin().await.map_err(failed("starting a migration"))?;
        sqlx::raw_sql(sql)
            .execute(&mut *tx)
            .await
            .map_err(failed("applying a migration"))?;
        sqlx::query("INSERT INTO schema_version (version, applied_at) VALUES ($1, $2)")
            .bind(version)
            .bind(super::super::clock::now())
            .execute(&mut *tx)
            .await
            .map_err(failed("recording a migration"))?;
        tx.commit()
            .await
            .map_err(failed("committing a migration"))?;
    }
    Ok(())
}
