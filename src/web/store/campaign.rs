//! Campaigns: one role, one questionnaire, one norm set, the invitations
//! sent for them.

use sqlx::any::AnyRow;

use super::{failed, int, text, Store, StoreError};

/// A campaign as created: copies of the three data files and where they came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCampaign {
    /// Random id (the caller makes it).
    pub id: String,
    /// Name shown to assessors.
    pub name: String,
    /// The `--role` value it was made for (a built-in id or a path).
    pub role_id: String,
    /// The profile's JSON and source.
    pub profile: (String, String),
    /// The norms' JSON and source.
    pub norms: (String, String),
    /// The questionnaire's JSON and source.
    pub questionnaire: (String, String),
    /// Days the answers are kept.
    pub retention_days: i64,
}

/// A stored campaign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Campaign {
    /// What it was created with.
    pub spec: NewCampaign,
    /// When (seconds since 1970).
    pub created_at: i64,
}

const COLUMNS: &str = "id, name, role_id, profile_json, profile_source, norms_json, norms_source, \
questionnaire_json, questionnaire_source, retention_days, created_at";

fn campaign(row: &AnyRow) -> Result<Campaign, StoreError> {
    let pair = |a: &str, b: &str| Ok::<_, StoreError>((text(row, a)?, text(row, b)?));
    Ok(Campaign {
        spec: NewCampaign {
            id: text(row, "id")?,
            name: text(row, "name")?,
            role_id: text(row, "role_id")?,
            profile: pair("profile_json", "profile_source")?,
            norms: pair("norms_json", "norms_source")?,
            questionnaire: pair("questionnaire_json", "questionnaire_source")?,
            retention_days: int(row, "retention_days")?,
        },
        created_at: int(row, "created_at")?,
    })
}

impl Store {
    /// Stores a new campaign.
    ///
    /// # Errors
    /// [`StoreError`] on a database error.
    pub async fn add_campaign(&self, c: &NewCampaign, now: i64) -> Result<(), StoreError> {
        sqlx::query(&format!(
            "INSERT INTO campaign ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
        ))
        .bind(&c.id)
        .bind(&c.name)
        .bind(&c.role_id)
        .bind(&c.profile.0)
        .bind(&c.profile.1)
        .bind(&c.norms.0)
        .bind(&c.norms.1)
        .bind(&c.questionnaire.0)
        .bind(&c.questionnaire.1)
        .bind(c.retention_days)
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(failed("adding a campaign"))?;
        Ok(())
    }

    /// Every campaign, newest first.
    ///
    /// # Errors
    /// [`StoreError`] on a database error.
    pub async fn campaigns(&self) -> Result<Vec<Campaign>, StoreError> {
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM campaign ORDER BY created_at DESC, id"
        ))
        .fetch_all(&self.pool)
        .await
        .map_err(failed("listing campaigns"))?
        .iter()
        .map(campaign)
        .collect()
    }

    /// The campaign `id`.
    ///
    /// # Errors
    /// [`StoreError`] on a database error.
    pub async fn campaign(&self, id: &str) -> Result<Option<Campaign>, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM campaign WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(failed("reading a campaign"))?;
        row.as_ref().map(campaign).transpose()
    }

    /// The newest campaign made for `role_id` whose files are exactly these
    /// (so `invite --role retail` reuses one campaign until the files change).
    ///
    /// # Errors
    /// [`StoreError`] on a database error.
    pub async fn matching_campaign(&self, c: &NewCampaign) -> Result<Option<Campaign>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM campaign WHERE role_id = $1 AND profile_json = $2 \
AND norms_json = $3 AND questionnaire_json = $4 ORDER BY created_at DESC, id LIMIT 1"
        ))
        .bind(&c.role_id)
        .bind(&c.profile.0)
        .bind(&c.norms.0)
        .bind(&c.questionnaire.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(failed("finding a campaign"))?;
        row.as_ref().map(campaign).transpose()
    }
}
