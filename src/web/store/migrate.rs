//! Schema migrations: the SQL files of `migrations/`, embedded at build time
//! and applied in order, each once, each in its own transaction.

use sqlx::{AnyPool, Row};

use super::{failed, StoreError};

/// Every migration, in order: (version, SQL). Append; never edit one that shipped.
const MIGRATIONS: &[(i64, &str)] = &[(1, include_str!("../../../migrations/0001_initial.sql"))];

/// Brings the schema of `pool` up to the newest version.
pub(super) async fn run(pool: &AnyPool) -> Result<(), StoreError> {
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)",
    )
    .execute(pool)
    .await
    .map_err(failed("creating the schema version table"))?;
    let applied: Vec<i64> = sqlx::query("SELECT version FROM schema_version")
        .fetch_all(pool)
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
        let mut tx = pool.begin().await.map_err(failed("starting a migration"))?;
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
