//! The built-in questionnaire, norms and role profiles, compiled into the
//! binary so that every command works from any directory.

use crate::assessment::{Assessment, Options};
use crate::data;
use crate::error::{Error, LoadError};
use crate::names::{self, Lookup};
use crate::norms::NormSet;
use crate::profile::Profile;
use crate::questionnaire::Questionnaire;

/// The built-in questionnaire's JSON.
pub const QUESTIONNAIRE: &str = include_str!("../questionnaires/sfq.json");

/// What people call the built-in questionnaire (its title's short form), in messages.
pub const QUESTIONNAIRE_NAME: &str = "SFQ 2.0";

/// The built-in (provisional) norms' JSON.
pub const NORMS: &str = include_str!("../norms/sfq-provisional.json");

/// The built-in profiles' JSON, by id, in listing order.
pub const PROFILES: &[(&str, &str)] = &[
    ("general", include_str!("../profiles/general.json")),
    ("retail", include_str!("../profiles/retail.json")),
    ("hospitality", include_str!("../profiles/hospitality.json")),
    ("healthcare", include_str!("../profiles/healthcare.json")),
    (
        "financial-services",
        include_str!("../profiles/financial-services.json"),
    ),
    ("travel", include_str!("../profiles/travel.json")),
    (
        "contact-centre",
        include_str!("../profiles/contact-centre.json"),
    ),
];

/// Loads the built-in questionnaire.
///
/// # Errors
/// Only if the shipped file is broken, which the test suite rules out.
pub fn questionnaire() -> Result<Questionnaire, LoadError> {
    Questionnaire::from_json(QUESTIONNAIRE, "built-in questionnaire sfq")
}

/// Loads the built-in norms.
///
/// # Errors
/// Only if the shipped file is broken, which the test suite rules out.
pub fn norms() -> Result<NormSet, LoadError> {
    NormSet::from_json(NORMS, "built-in norms")
}

/// Other words people use for the built-in roles, offered as suggestions
/// when `--role` names no role (never selected by themselves).
const ROLE_ALIASES: &[(&str, &str)] = &[
    ("customer-service", "general"),
    ("shop", "retail"),
    ("store", "retail"),
    ("sales", "retail"),
    ("hotel", "hospitality"),
    ("restaurant", "hospitality"),
    ("front-desk", "hospitality"),
    ("reception", "healthcare"),
    ("health", "healthcare"),
    ("clinic", "healthcare"),
    ("hospital", "healthcare"),
    ("bank", "financial-services"),
    ("banking", "financial-services"),
    ("finance", "financial-services"),
    ("insurance", "financial-services"),
    ("airline", "travel"),
    ("airport", "travel"),
    ("call-centre", "contact-centre"),
    ("call-center", "contact-centre"),
    ("contact-center", "contact-centre"),
];

/// The JSON text of the built-in profile `id`, named forgivingly: `Retail`,
/// ` retail ` and `RETAIL` are `retail` (see [`names`]).
///
/// # Errors
/// [`LoadError::UnknownBuiltin`] with the closest ids and the ids that exist.
pub fn profile_text(id: &str) -> Result<&'static str, LoadError> {
    let ids: Vec<&str> = PROFILES.iter().map(|(name, _)| *name).collect();
    match names::lookup(id, &ids, ROLE_ALIASES) {
        // `found` is one of `ids`, so the search always succeeds.
        Lookup::Found(found) => Ok(PROFILES
            .iter()
            .find(|(name, _)| *name == found)
            .map_or("", |(_, text)| *text)),
        Lookup::NotFound(closest) => Err(LoadError::UnknownBuiltin {
            kind: "profile",
            id: id.to_string(),
            suggestions: closest.into_iter().map(String::from).collect(),
            available: ids.join(", "),
        }),
    }
}

/// Loads the built-in profile `id`.
///
/// # Errors
/// [`LoadError::UnknownBuiltin`] for an unknown id.
pub fn profile(id: &str) -> Result<Profile, LoadError> {
    Profile::from_json(profile_text(id)?, &format!("built-in profile {id}"))
}

/// An assessment from the built-in questionnaire, norms and the built-in profile `role`.
///
/// # Errors
/// [`Error::Load`] for an unknown role; [`Error::Consistency`] for bad options.
pub fn assessment(role: &str, options: Options) -> Result<Assessment, Error> {
    Ok(Assessment::new(
        data::questionnaire(None)?,
        data::norms(None)?,
        data::profile(role)?,
        options,
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_loads_and_fits_together() {
        let q = questionnaire().unwrap();
        assert!(q.title().contains(QUESTIONNAIRE_NAME), "{}", q.title());
        norms().unwrap().check_against(&q, "norms").unwrap();
        for (id, _) in PROFILES {
            let p = profile(id).unwrap();
            assert_eq!(&p.id, id);
            p.check_against(&q, id).unwrap();
        }
    }

    #[test]
    fn unknown_profile_lists_the_known_ones() {
        let err = profile("zoo").unwrap_err().to_string();
        assert!(err.contains("no built-in profile called 'zoo'"), "{err}");
        assert!(err.contains("retail, hospitality"), "{err}");
    }

    #[test]
    fn roles_are_named_forgivingly() {
        assert_eq!(
            profile_text("Retail").unwrap(),
            profile_text("retail").unwrap()
        );
        assert_eq!(profile("  RETAIL ").unwrap().id, "retail");
        let err = profile("hotel").unwrap_err().to_string();
        assert!(
            err.contains("'hotel' (did you mean 'hospitality'?)"),
            "{err}"
        );
        let err = profile("contact-center").unwrap_err().to_string();
        assert!(err.contains("did you mean 'contact-centre'"), "{err}");
    }
}
