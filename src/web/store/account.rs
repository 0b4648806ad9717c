//! Assessor accounts and their login sessions.

use super::{failed, is_unique_violation, text, Store, StoreError};

impl Store {
    /// Adds assessor `name` with an argon2 `password_hash` (PHC string).
    ///
    /// # Errors
    /// [`StoreError::Taken`] when the name exists; other database errors.
    pub async fn add_assessor(
        &self,
        name: &str,
        password_hash: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO assessor (name, password_hash, created_at) VALUES ($1, $2, $3)")
            .bind(name)
            .bind(password_hash)
            .bind(now)
            .execute(&self.pool)
            .await
            .map_err(|e| match is_unique_violation(&e) {
                true => StoreError::Taken {
                    what: "assessor",
                    value: name.to_string(),
                },
                false => failed("adding an assessor")(e),
            })?;
        Ok(())
    }

    /// The password hash of assessor `name`, if there is one.
    ///
    /// # Errors
    /// [`StoreError`] on a database error.
    pub async fn password_hash(&self, name: &str) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT password_hash FROM assessor WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await
            .map_err(failed("reading an assessor"))?;
        row.map(|r| text(&r, "password_hash")).transpose()
    }

    /// Opens a session for `assessor`, known by the hash of its token.
    ///
    /// # Errors
    /// [`StoreError`] on a database error.
    pub async fn add_session(
        &self,
        token_hash: &str,
        assessor: &str,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO session (token_hash, assessor, expires_at) VALUES ($1, $2, $3)")
            .bind(token_hash)
            .bind(assessor)
            .bind(expires_at)
            .execute(&self.pool)
            .await
            .map_err(failed("opening a session"))?;
        Ok(())
    }

    /// The assessor of the unexpired session whose token hashes to `token_hash`.
    ///
    /// # Errors
    /// [`StoreError`] on a database error.
    pub async fn session(&self, token_hash: &str, now: i64) -> Result<Option<String>, StoreError> {
        let row =
            sqlx::query("SELECT assessor FROM session WHERE token_hash = $1 AND expires_at > $2")
                .bind(token_hash)
                .bind(now)
                .fetch_optional(&self.pool)
                .await
                .map_err(failed("reading a session"))?;
        row.map(|r| text(&r, "assessor")).transpose()
    }

    /// Ends a session, and forgets every expired one.
    ///
    /// # Errors
    /// [`StoreError`] on a database error.
    pub async fn end_session(&self, token_hash: &str, now: i64) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM session WHERE token_hash = $1 OR expires_at <= $2")
            .bind(token_hash)
            .bind(now)
            .execute(&self.pool)
            .await
            .map_err(failed("ending a session"))?;
        Ok(())
    }
}
