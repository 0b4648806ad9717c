//! The store of `serve` on both back ends: SQLite always, and PostgreSQL
//! when `SERVICEFIT_TEST_POSTGRES` holds the URL of a database to use
//! (`.ci/run` starts Debian's PostgreSQL and sets it). Each scenario runs
//! on every back end present, on fresh random ids, so a shared PostgreSQL
//! database can be reused between runs.

use servicefit::web::invite::{self, Candidate, InviteSpec};
use servicefit::web::secret::{token, token_hash};
use servicefit::web::store::{SavedPage, Store, StoreError};

use super::web_support::{builtin_questionnaire, varied, Site};

/// The environment variable naming a PostgreSQL database for the tests.
const POSTGRES_VAR: &str = "SERVICEFIT_TEST_POSTGRES";

/// (name, database) of every back end to test: a SQLite file in `dir`, and
/// PostgreSQL when the variable is set.
fn back_ends(dir: &tempfile::TempDir) -> Vec<(&'static str, String)> {
    let mut out = vec![(
        "sqlite",
        dir.path().join("s.db").to_string_lossy().into_owned(),
    )];
    if let Ok(url) = std::env::var(POSTGRES_VAR) {
        out.push(("postgres", url));
    }
    out
}

async fn invited(store: &Store, references: &[&str]) -> (String, Vec<String>) {
    let campaign = invite::campaign_for_role(store, "retail", &token().unwrap(), 30)
        .await
        .unwrap();
    // A fresh reference prefix keeps reruns on one PostgreSQL database apart.
    let prefix = &token().unwrap()[..8];
    let candidates: Vec<Candidate> = references
        .iter()
        .map(|r| Candidate {
            reference: format!("{prefix}-{r}"),
            name: String::new(),
            email: String::new(),
        })
        .collect();
    let spec = InviteSpec {
        campaign_id: &campaign.spec.id,
        base_url: "",
        expires_days: 5,
        candidates: &candidates,
    };
    let links = invite::invite(store, &spec).await.unwrap().links;
    let ids = futures_ids(store, &links).await;
    (campaign.spec.id, ids)
}

async fn futures_ids(store: &Store, links: &[(String, String)]) -> Vec<String> {
    let mut ids = Vec::new();
    for (_, link) in links {
        let hash = token_hash(link.rsplit('/').next().unwrap());
        ids.push(store.invitation_by_token(&hash).await.unwrap().unwrap().id);
    }
    ids
}

#[tokio::test]
async fn pages_are_saved_whole_and_never_after_submission() {
    let dir = tempfile::tempdir().unwrap();
    for (name, db) in back_ends(&dir) {
        let store = Store::open(&db).await.unwrap();
        let (_, ids) = invited(&store, &["ann"]).await;
        let answers = vec![("X1".to_string(), Some(4)), ("X2".to_string(), None)];
        let page = |page, last| SavedPage {
            page,
            answers: &answers,
            seconds: 12.5,
            last,
        };
        // No consent yet: nothing is saved.
        assert!(
            !store
                .save_page(&ids[0], &page(1, false), 100)
                .await
                .unwrap(),
            "{name}"
        );
        assert!(store.consent(&ids[0], 100).await.unwrap());
        assert!(store
            .save_page(&ids[0], &page(1, false), 110)
            .await
            .unwrap());
        // Saving page 1 again adds its time: 12.5 + 12.5 = 25.
        assert!(store
            .save_page(&ids[0], &page(1, false), 120)
            .await
            .unwrap());
        assert!(store.save_page(&ids[0], &page(2, true), 130).await.unwrap());
        assert!(
            !store
                .save_page(&ids[0], &page(3, false), 140)
                .await
                .unwrap(),
            "{name}: after submission"
        );
        assert!(!store.consent(&ids[0], 150).await.unwrap());
        assert_eq!(store.pages_saved(&ids[0]).await.unwrap(), [1, 2]);
        let submitted = store.submitted(None).await.unwrap();
        let mine = submitted
            .iter()
            .find(|s| s.invitation.id == ids[0])
            .unwrap();
        // 12.5 (page 1) + 12.5 (page 1 again) + 12.5 (page 2) = 37.5 seconds.
        assert_eq!(mine.seconds, 37.5, "{name}");
        assert_eq!(mine.invitation.consented_at, Some(100));
        assert_eq!(mine.invitation.submitted_at, Some(130));
        assert_eq!(mine.answers.get("X1"), Some(&Some(4)));
        assert_eq!(mine.answers.get("X2"), Some(&None));
    }
}

#[tokio::test]
async fn references_accounts_sessions_deletion_and_purge() {
    let dir = tempfile::tempdir().unwrap();
    for (name, db) in back_ends(&dir) {
        let store = Store::open(&db).await.unwrap();
        let (campaign, _) = invited(&store, &[]).await;
        // Two invitations made long ago (at t = 5), so that purging what is
        // older than t = 10 touches nothing another test is using.
        let mut ids = Vec::new();
        for _ in 0..2 {
            let invitation = servicefit::web::store::NewInvitation {
                id: token().unwrap()[..16].to_string(),
                token_hash: token_hash(&token().unwrap()),
                campaign_id: campaign.clone(),
                reference: token().unwrap()[..10].to_string(),
                name: String::new(),
                email: String::new(),
                expires_at: 0,
            };
            store.add_invitation(&invitation, 5).await.unwrap();
            ids.push(invitation);
        }
        let mut duplicate = ids[0].clone();
        duplicate.id = token().unwrap()[..16].to_string();
        duplicate.token_hash = token_hash(&token().unwrap());
        assert!(
            matches!(
                store.add_invitation(&duplicate, 5).await,
                Err(StoreError::Taken { .. })
            ),
            "{name}"
        );
        let ids: Vec<String> = ids.into_iter().map(|i| i.id).collect();
        let user = token().unwrap();
        store.add_assessor(&user, "$argon2id$x", 0).await.unwrap();
        assert!(matches!(
            store.add_assessor(&user, "h", 0).await,
            Err(StoreError::Taken { .. })
        ));
        let session = token_hash(&token().unwrap());
        store.add_session(&session, &user, 1000).await.unwrap();
        assert_eq!(
            store.session(&session, 999).await.unwrap().as_deref(),
            Some(user.as_str())
        );
        assert_eq!(
            store.session(&session, 1000).await.unwrap(),
            None,
            "{name}: expired"
        );
        store.end_session(&session, 0).await.unwrap();
        assert!(store.delete_invitation(&campaign, &ids[0]).await.unwrap());
        assert!(!store.delete_invitation(&campaign, &ids[0]).await.unwrap());
        assert!(
            !store.delete_invitation("other", &ids[1]).await.unwrap(),
            "{name}: wrong campaign"
        );
        // Purge what was made before t = 10: bob's invitation (ann's is deleted).
        let purged = store.purge(10, 0).await.unwrap();
        assert!(purged >= 1, "{name}");
        let left = store.progress(&campaign).await.unwrap();
        assert!(left.iter().all(|p| p.invitation.created_at >= 10), "{name}");
    }
}

#[tokio::test]
async fn a_candidate_completes_the_questionnaire_on_every_back_end() {
    let dir = tempfile::tempdir().unwrap();
    for (name, db) in back_ends(&dir) {
        let site = Site::on(tempfile::tempdir().unwrap(), &db).await;
        let campaign = site.campaign("retail").await;
        let reference = token().unwrap()[..12].to_string();
        let link = site.invite(&campaign, &[&reference], 3).await.remove(0);
        site.complete(&link, &builtin_questionnaire(), &varied(4))
            .await;
        let submitted = site.store.submitted(Some(&campaign)).await.unwrap();
        assert!(
            submitted
                .iter()
                .any(|s| s.invitation.reference == reference),
            "{name}"
        );
    }
}
