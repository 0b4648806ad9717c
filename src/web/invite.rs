//! Making invitations, for `servicefit invite` and the assessor's pages
//! alike: a campaign for a role, a token per candidate (shown once, stored
//! as its hash), and the candidates read from a list or a CSV file.

use super::secret::{token, token_hash};
use super::store::{Campaign, NewCampaign, NewInvitation, Store, StoreError};
use super::{clock, WebError};
use crate::builtin;
use crate::data::{self, BUILTIN_SOURCE};

/// Days answers are kept when nobody says otherwise.
pub const DEFAULT_RETENTION_DAYS: i64 = 180;
/// Longest reference, name or e-mail accepted (characters).
const MAX_FIELD: usize = 200;

/// A candidate to invite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Reference: the id column of the export; unique in the campaign.
    pub reference: String,
    /// Name (may be empty).
    pub name: String,
    /// E-mail (may be empty).
    pub email: String,
}

/// What to invite.
#[derive(Debug, Clone)]
pub struct InviteSpec<'a> {
    /// The campaign.
    pub campaign_id: &'a str,
    /// Start of every link, e.g. `https://jobs.example.org` (no trailing slash needed).
    pub base_url: &'a str,
    /// Days the links work.
    pub expires_days: i64,
    /// The candidates.
    pub candidates: &'a [Candidate],
}

/// What inviting did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Invited {
    /// (reference, link) of each invitation made, in order.
    pub links: Vec<(String, String)>,
    /// Candidates not invited, with why (a reference used already).
    pub problems: Vec<String>,
}

/// Invites every candidate of `spec`; a reference the campaign has already
/// is a problem, not an error, and the others are still invited.
///
/// # Errors
/// [`WebError`] on a database error or when the random source fails.
pub async fn invite(store: &Store, spec: &InviteSpec<'_>) -> Result<Invited, WebError> {
    let now = clock::now();
    let mut invited = Invited::default();
    for candidate in spec.candidates {
        let secret = token()?;
        let invitation = NewInvitation {
            id: token()?[..16].to_string(),
            token_hash: token_hash(&secret),
            campaign_id: spec.campaign_id.to_string(),
            reference: candidate.reference.clone(),
            name: candidate.name.clone(),
            email: candidate.email.clone(),
            expires_at: now + spec.expires_days.clamp(1, 3650) * 86_400,
        };
        match store.add_invitation(&invitation, now).await {
            Ok(()) => invited.links.push((
                candidate.reference.clone(),
                format!("{}/i/{secret}", spec.base_url.trim_end_matches('/')),
            )),
            Err(taken @ StoreError::Taken { .. }) => invited.problems.push(taken.to_string()),
            Err(other) => return Err(other.into()),
        }
    }
    Ok(invited)
}

/// The campaign for `role` (a built-in id or a profile file) with the
/// built-in questionnaire and norms: the newest one made with exactly these
/// files, else a new one named `name` (the role when empty).
///
/// # Errors
/// [`WebError::BadRequest`] for an unknown role or an invalid profile;
/// database errors.
pub async fn campaign_for_role(
    store: &Store,
    role: &str,
    name: &str,
    retention_days: i64,
) -> Result<Campaign, WebError> {
    let spec = new_campaign(role, name, retention_days)?;
    if let Some(campaign) = store.matching_campaign(&spec).await? {
        return Ok(campaign);
    }
    add_campaign(store, spec).await
}

/// Stores `spec` as a new campaign.
///
/// # Errors
/// Database errors.
pub async fn add_campaign(store: &Store, spec: NewCampaign) -> Result<Campaign, WebError> {
    let now = clock::now();
    store.add_campaign(&spec, now).await?;
    Ok(Campaign {
        spec,
        created_at: now,
    })
}

/// A new campaign's record for `role`, checked: the profile must load and
/// fit the built-in questionnaire and norms.
///
/// # Errors
/// [`WebError::BadRequest`] naming what is wrong.
pub fn new_campaign(role: &str, name: &str, retention_days: i64) -> Result<NewCampaign, WebError> {
    let bad = |e: crate::error::LoadError| WebError::BadRequest(e.to_string());
    let profile = data::profile_source(role).map_err(bad)?;
    let spec = NewCampaign {
        id: token()?[..16].to_string(),
        name: if name.trim().is_empty() {
            role
        } else {
            name.trim()
        }
        .chars()
        .take(MAX_FIELD)
        .collect(),
        role_id: role.to_string(),
        profile,
        norms: (builtin::NORMS.to_string(), BUILTIN_SOURCE.to_string()),
        questionnaire: (
            builtin::QUESTIONNAIRE.to_string(),
            BUILTIN_SOURCE.to_string(),
        ),
        retention_days: retention_days.clamp(1, 3650),
    };
    let campaign = Campaign {
        spec,
        created_at: 0,
    };
    super::export::assessment(&campaign).map_err(|e| WebError::BadRequest(e.to_string()))?;
    Ok(campaign.spec)
}

/// Candidates from a CSV file with a header: the reference from a column
/// named `reference`, `ref`, `candidate_id` or `id`, and optional `name`
/// and `email` columns (names matched ignoring case).
///
/// # Errors
/// A message saying which column is missing, or which row cannot be read.
pub fn candidates_from_csv(text: &str) -> Result<Vec<Candidate>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| format!("cannot read the header: {e}"))?
        .clone();
    let column = |names: &[&str]| {
        header
            .iter()
            .position(|h| names.iter().any(|n| h.trim().eq_ignore_ascii_case(n)))
    };
    let reference = column(&["reference", "ref", "candidate_id", "id"])
        .ok_or("the file has no reference column (expected a header named reference, ref, candidate_id or id)")?;
    let (name, email) = (column(&["name"]), column(&["email", "e-mail"]));
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| format!("row {}: {e}", i + 2))?;
        let cell = |c: Option<usize>| {
            c.and_then(|c| record.get(c))
                .unwrap_or("")
                .trim()
                .to_string()
        };
        push_candidate(
            &mut out,
            cell(Some(reference)),
            cell(name),
            cell(email),
            i + 2,
        )?;
    }
    Ok(out)
}

/// Candidates from lines of `reference[, name[, email]]` (a form's text box).
///
/// # Errors
/// A message naming a line that cannot be used.
pub fn candidates_from_lines(text: &str) -> Result<Vec<Candidate>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let mut parts = line.splitn(3, ',').map(|p| p.trim().to_string());
        let reference = parts.next().unwrap_or_default();
        if reference.is_empty() {
            continue;
        }
        let (name, email) = (
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
        );
        push_candidate(&mut out, reference, name, email, i + 1)?;
    }
    Ok(out)
}

fn push_candidate(
    out: &mut Vec<Candidate>,
    reference: String,
    name: String,
    email: String,
    row: usize,
) -> Result<(), String> {
    if reference.is_empty() {
        return Err(format!("row {row}: the reference is empty"));
    }
    if [&reference, &name, &email]
        .iter()
        .any(|f| f.chars().count() > MAX_FIELD)
    {
        return Err(format!(
            "row {row}: a field is longer than {MAX_FIELD} characters"
        ));
    }
    if reference.chars().any(char::is_control) {
        return Err(format!(
            "row {row}: the reference holds a control character"
        ));
    }
    out.push(Candidate {
        reference,
        name,
        email,
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_from_a_csv_with_any_column_order() {
        let got = candidates_from_csv("Email,Name,Reference\nann@x.org,Ann,A1\n,,B2\n").unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(
            (
                got[0].reference.as_str(),
                got[0].name.as_str(),
                got[0].email.as_str()
            ),
            ("A1", "Ann", "ann@x.org")
        );
        assert_eq!(
            (got[1].reference.as_str(), got[1].name.as_str()),
            ("B2", "")
        );
        let err = candidates_from_csv("name\nAnn\n").unwrap_err();
        assert!(err.contains("no reference column"), "{err}");
        let err = candidates_from_csv("id\nA1\n\"\"\n").unwrap_err();
        assert!(err.contains("row 3: the reference is empty"), "{err}");
    }

    #[test]
    fn candidates_from_lines_skip_blank_lines() {
        let got = candidates_from_lines("A1, Ann Lee, ann@x.org\n\n  \nB2\n").unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].name, "Ann Lee");
        assert_eq!(got[1].email, "");
    }
}
