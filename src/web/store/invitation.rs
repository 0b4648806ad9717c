//! Invitations and the answers given through them. A page of answers is
//! saved in one transaction that first claims the invitation row (so under
//! SQLite the write lock is taken before anything is read, and under
//! PostgreSQL the row is locked), then writes answers and the page's time;
//! the last page also marks the questionnaire submitted, after which no
//! save is accepted.

use std::collections::BTreeMap;

use sqlx::any::AnyRow;
use sqlx::Row;

use super::{failed, int, is_unique_violation, maybe_int, text, Store, StoreError};

/// An invitation to create. The token itself never reaches the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInvitation {
    /// Random handle for assessors' pages.
    pub id: String,
    /// SHA-256 (hex) of the token in the link.
    pub token_hash: String,
    /// The campaign.
    pub campaign_id: String,
    /// The candidate's reference: the id column of the export.
    pub reference: String,
    /// Name, if given (shown to assessors only).
    pub name: String,
    /// E-mail, if given (shown to assessors only).
    pub email: String,
    /// When the link stops working (seconds since 1970).
    pub expires_at: i64,
}

/// A stored invitation and where the candidate is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    /// Random handle.
    pub id: String,
    /// The campaign.
    pub campaign_id: String,
    /// The candidate's reference.
    pub reference: String,
    /// Name, or empty.
    pub name: String,
    /// E-mail, or empty.
    pub email: String,
    /// Created (seconds since 1970).
    pub created_at: i64,
    /// Stops working.
    pub expires_at: i64,
    /// Consent given and questionnaire started.
    pub consented_at: Option<i64>,
    /// Questionnaire submitted.
    pub submitted_at: Option<i64>,
}

/// One page of answers to save.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedPage<'a> {
    /// 1-based page number.
    pub page: i64,
    /// (item id, value or `None` for a statement left blank).
    pub answers: &'a [(String, Option<i64>)],
    /// Seconds the page was open.
    pub seconds: f64,
    /// Whether it is the last page (saving it submits).
    pub last: bool,
}

/// An invitation with the number of pages saved, for the progress table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    /// The invitation.
    pub invitation: Invitation,
    /// Pages saved so far.
    pub pages_saved: i64,
}

/// A submitted questionnaire, as the export writes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Submitted {
    /// The invitation.
    pub invitation: Invitation,
    /// Item id → value (blank statements have no entry or `None`).
    pub answers: BTreeMap<String, Option<i64>>,
    /// Seconds spent on the pages, summed.
    pub seconds: f64,
}

const COLUMNS: &str =
    "id, campaign_id, reference, name, email, created_at, expires_at, consented_at, submitted_at";

fn invitation(row: &AnyRow) -> Result<Invitation, StoreError> {
    Ok(Invitation {
        id: text(row, "id")?,
        campaign_id: text(row, "campaign_id")?,
        reference: text(row, "reference")?,
        name: text(row, "name")?,
        email: text(row, "email")?,
        created_at: int(row, "created_at")?,
        expires_at: int(row, "expires_at")?,
        consented_at: maybe_int(row, "consented_at")?,
        submitted_at: maybe_int(row, "submitted_at")?,
    })
}

impl Store {
    /// Stores an invitation.
    ///
    /// # Errors
    /// [`StoreError::Taken`] when the campaign has the reference already.
    pub async fn add_invitation(&self, i: &NewInvitation, now: i64) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO invitation (id, token_hash, campaign_id, reference, name, email, created_at, expires_at) \
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&i.id)
        .bind(&i.token_hash)
        .bind(&i.campaign_id)
        .bind(&i.reference)
        .bind(&i.name)
        .bind(&i.email)
        .bind(now)
        .bind(i.expires_at)
        .execute(&self.pool)
        .await
        .map_err(|e| match is_unique_violation(&e) {
            true => StoreError::Taken {
                what: "candidate reference",
                value: i.reference.clone(),
            },
            false => failed("adding an invitation")(e),
        })?;
        Ok(())
    }

    /// The invitation whose token hashes to `token_hash`.
    ///
    /// # Errors
    /// [`StoreError`] on a database error.
    pub async fn invitation_by_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<Invitation>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM invitation WHERE token_hash = $1"
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(failed("reading an invitation"))?;
        row.as_ref().map(invitation).transpose()
    }

    /// Records consent (once); false when the questionnaire was submitted.
    ///
    /// # Errors
    /// [`StoreError`] on a database error.
    pub async fn consent(&self, id: &str, now: i64) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE invitation SET consented_at = COALESCE(consented_at, $2) \
WHERE id = $1 AND submitted_at IS NULL",
        )
        .bind(id)
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(failed("recording consent"))?;
        Ok(done.rows_affected() == 1)
    }

    /// The pages saved of invitation `id`, ascending.
    ///
    /// # Errors
    /// [`StoreError`] on a database error.
    pub async fn pages_saved(&self, id: &str) -> Result<Vec<i64>, StoreError> {
        sqlx::query("SELECT page FROM page_saved WHERE invitation_id = $1 ORDER BY page")
            .bind(id)
            .fetch_all(&self.pool)
            .await
            .map_err(failed("reading saved pages"))?
            .iter()
            .map(|r| int(r, "page"))
            .collect()
    }

    /// The answers saved for invitation `id`.
    ///
    /// # Errors
    /// [`StoreError`] on a database error.
    pub async fn answers(&self, id: &str) -> Result<BTreeMap<String, Option<i64>>, StoreError> {
        sqlx::query("SELECT item_id, value FROM answer WHERE invitation_id = $1")
            .bind(id)
            .fetch_all(&self.pool)
            .await
            .map_err(failed("reading answers"))?
            .iter()
            .map(|r| Ok((text(r, "item_id")?, maybe_int(r, "value")?)))
            .collect()
    }

    /// Saves one page in one transaction; false (and nothing saved) when the
    /// questionnaire was submitted already or consent was never given.
    ///
    /// # Errors
    /// [`StoreError`] on a database error (the transaction is rolled back).
    pub async fn save_page(
        &self,
        id: &str,
        page: &SavedPage<'_>,
        now: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self
            .pool
            .begin()
            .await
            .map_err(failed("starting a page save"))?;
        let claimed = sqlx::query(
            "UPDATE invitation SET submitted_at = $2 WHERE id = $1 AND submitted_at IS NULL AND consented_at IS NOT NULL",
        )
        .bind(id)
        .bind(page.last.then_some(now))
        .execute(&mut *tx)
        .await
        .map_err(failed("claiming an invitation"))?;
        if claimed.rows_affected() != 1 {
            return Ok(false);
        }
        for (item, value) in page.answers {
            sqlx::query(
                "INSERT INTO answer (invitation_id, item_id, value) VALUES ($1, $2, $3) \
ON CONFLICT (invitation_id, item_id) DO UPDATE SET value = excluded.value",
            )
            .bind(id)
            .bind(item)
            .bind(*value)
            .execute(&mut *tx)
            .await
            .map_err(failed("saving an answer"))?;
        }
        sqlx::query(
            "INSERT INTO page_saved (invitation_id, page, seconds, saved_at) VALUES ($1, $2, $3, $4) \
ON CONFLICT (invitation_id, page) DO UPDATE SET seconds = page_saved.seconds + excluded.seconds, saved_at = excluded.saved_at",
        )
        .bind(id)
        .bind(page.page)
        .bind(page.seconds)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(failed("saving a page time"))?;
        tx.commit().await.map_err(failed("committing a page"))?;
        Ok(true)
    }

    /// Every invitation of `campaign_id` with its pages saved, oldest first.
    ///
    /// # Errors
    /// [`StoreError`] on a database error.
    pub async fn progress(&self, campaign_id: &str) -> Result<Vec<Progress>, StoreError> {
        sqlx::query(&format!(
            "SELECT {COLUMNS}, (SELECT COUNT(*) FROM page_saved p WHERE p.invitation_id = invitation.id) AS pages \
FROM invitation WHERE campaign_id = $1 ORDER BY created_at, reference"
        ))
        .bind(campaign_id)
        .fetch_all(&self.pool)
        .await
        .map_err(failed("reading progress"))?
        .iter()
        .map(|r| {
            Ok(Progress {
                invitation: invitation(r)?,
                pages_saved: int(r, "pages")?,
            })
        })
        .collect()
    }

    /// The submitted questionnaires of `campaign_id` (every campaign for
    /// `None`), in order of submission.
    ///
    /// # Errors
    /// [`StoreError`] on a database error.
    pub async fn submitted(&self, campaign_id: Option<&str>) -> Result<Vec<Submitted>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS}, (SELECT COALESCE(SUM(p.seconds), 0.0) FROM page_saved p \
WHERE p.invitation_id = invitation.id) AS seconds FROM invitation \
WHERE submitted_at IS NOT NULL AND ($1 = '' OR campaign_id = $1) ORDER BY submitted_at, reference"
        ))
        .bind(campaign_id.unwrap_or(""))
        .fetch_all(&self.pool)
        .await
        .map_err(failed("reading submitted questionnaires"))?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let invitation = invitation(row)?;
            let seconds: f64 = row
                .try_get("seconds")
                .map_err(failed("reading page times"))?;
            let answers = self.answers(&invitation.id).await?;
            out.push(Submitted {
                invitation,
                answers,
                seconds,
            });
        }
        Ok(out)
    }

    /// Deletes invitation `id` of `campaign_id` and everything given through
    /// it; false when there was none.
    ///
    /// # Errors
    /// [`StoreError`] on a database error.
    pub async fn delete_invitation(&self, campaign_id: &str, id: &str) -> Result<bool, StoreError> {
        let mut tx = self
            .pool
            .begin()
            .await
            .map_err(failed("starting a deletion"))?;
        for table in ["answer", "page_saved"] {
            sqlx::query(&format!(
                "DELETE FROM {table} WHERE invitation_id IN \
(SELECT id FROM invitation WHERE id = $1 AND campaign_id = $2)"
            ))
            .bind(id)
            .bind(campaign_id)
            .execute(&mut *tx)
            .await
            .map_err(failed("deleting answers"))?;
        }
        let done = sqlx::query("DELETE FROM invitation WHERE id = $1 AND campaign_id = $2")
            .bind(id)
            .bind(campaign_id)
            .execute(&mut *tx)
            .await
            .map_err(failed("deleting an invitation"))?;
        tx.commit().await.map_err(failed("committing a deletion"))?;
        Ok(done.rows_affected() == 1)
    }

    /// Deletes every invitation (and its answers) created before `before`,
    /// or past its campaign's retention period at `now`; returns how many.
    ///
    /// # Errors
    /// [`StoreError`] on a database error.
    pub async fn purge(&self, before: i64, now: i64) -> Result<u64, StoreError> {
        let doomed = "SELECT id FROM invitation WHERE created_at < $1 OR created_at < $2 - \
(SELECT c.retention_days FROM campaign c WHERE c.id = invitation.campaign_id) * 86400";
        let mut tx = self
            .pool
            .begin()
            .await
            .map_err(failed("starting a purge"))?;
        for table in ["answer", "page_saved"] {
            sqlx::query(&format!(
                "DELETE FROM {table} WHERE invitation_id IN ({doomed})"
            ))
            .bind(before)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(failed("purging answers"))?;
        }
        let done = sqlx::query(&format!("DELETE FROM invitation WHERE id IN ({doomed})"))
            .bind(before)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(failed("purging invitations"))?;
        tx.commit().await.map_err(failed("committing a purge"))?;
        Ok(done.rows_affected())
    }
}
