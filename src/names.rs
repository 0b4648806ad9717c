//! Forgiving look-up of the names people type for things the tool knows by
//! id: roles (`--role`) and norm groups (`--norm-group`).
//!
//! A name that differs from an id only in case, surrounding spaces, or
//! spaces and underscores where the id has hyphens (`Retail`, ` retail `,
//! `contact centre`) *is* that id: nothing can be confused by accepting it.
//! Anything else is never guessed — picking the wrong role would score every
//! candidate against the wrong profile without a word — but answered with the
//! closest ids, so that a near miss (`contact-center`, `finance`, `hotel`) is
//! one retype away.

/// What a typed name matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup<'a> {
    /// The id the name stands for.
    Found(&'a str),
    /// No id; these are the closest ones (possibly none), best first.
    NotFound(Vec<&'a str>),
}

/// How similar (Jaro–Winkler, 0–1) a typed name must be to an id to be
/// suggested. 0.8 takes `contact-center` → `contact-centre` (0.97) and
/// `retial` → `retail` (0.95) but not `zoo` → `retail` (0).
const SUGGEST_SIMILARITY: f64 = 0.8;

/// The at most three ids suggested for a name that matched none.
const MAX_SUGGESTIONS: usize = 3;

/// The comparison key of a name: trimmed, lower case, runs of spaces,
/// underscores and hyphens made one hyphen.
pub fn key(name: &str) -> String {
    name.trim()
        .to_lowercase()
        .split(|c: char| c.is_whitespace() || c == '_' || c == '-')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// Looks `name` up among `ids`; `aliases` maps other words people use
/// (`hotel`) to the id they mean (`hospitality`), for suggestions only.
pub fn lookup<'a>(name: &str, ids: &[&'a str], aliases: &[(&str, &'a str)]) -> Lookup<'a> {
    let wanted = key(name);
    if let Some(id) = ids.iter().find(|id| key(id) == wanted) {
        return Lookup::Found(id);
    }
    let mut scored: Vec<(f64, &'a str)> = ids
        .iter()
        .map(|id| (similarity(&wanted, &key(id)), *id))
        .chain(
            aliases
                .iter()
                .filter(|(alias, _)| key(alias) == wanted)
                .map(|(_, id)| (1.0, *id)),
        )
        .filter(|(score, _)| *score >= SUGGEST_SIMILARITY)
        .collect();
    // Best first; equal scores in the ids' own order (stable sort).
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut suggestions: Vec<&'a str> = Vec::new();
    for (_, id) in scored {
        if !suggestions.contains(&id) && suggestions.len() < MAX_SUGGESTIONS {
            suggestions.push(id);
        }
    }
    Lookup::NotFound(suggestions)
}

/// Jaro–Winkler similarity, raised to 1 when one key is a whole word-prefix
/// of the other (`finance` of `financial-services` shares `financ`, which
/// Jaro–Winkler already rewards; `health` of `healthcare` is a prefix).
fn similarity(a: &str, b: &str) -> f64 {
    if !a.is_empty() && (b.starts_with(a) || a.starts_with(b)) {
        return 1.0;
    }
    strsim::jaro_winkler(a, b)
}

/// " (did you mean 'a' or 'b'?)" for a non-empty list of suggestions, else "".
pub fn did_you_mean(suggestions: &[String]) -> String {
    match suggestions {
        [] => String::new(),
        [one] => format!(" (did you mean '{one}'?)"),
        [init @ .., last] => {
            let init: Vec<String> = init.iter().map(|s| format!("'{s}'")).collect();
            format!(" (did you mean {} or '{last}'?)", init.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const IDS: &[&str] = &[
        "general",
        "retail",
        "hospitality",
        "healthcare",
        "financial-services",
        "travel",
        "contact-centre",
    ];
    const ALIASES: &[(&str, &str)] = &[("hotel", "hospitality")];

    #[test]
    fn case_spaces_and_separators_select_the_id() {
        for name in ["Retail", "RETAIL", " retail ", "retail"] {
            assert_eq!(
                lookup(name, IDS, ALIASES),
                Lookup::Found("retail"),
                "{name}"
            );
        }
        for name in ["contact centre", "Contact_Centre", "contact - centre"] {
            assert_eq!(
                lookup(name, IDS, ALIASES),
                Lookup::Found("contact-centre"),
                "{name}"
            );
        }
    }

    #[test]
    fn near_misses_are_suggested_never_selected() {
        let suggest = |name| match lookup(name, IDS, ALIASES) {
            Lookup::NotFound(ids) => ids,
            Lookup::Found(id) => panic!("{name} selected {id}"),
        };
        assert_eq!(suggest("contact-center")[0], "contact-centre");
        assert_eq!(suggest("finance"), vec!["financial-services"]);
        assert_eq!(suggest("hotel"), vec!["hospitality"]);
        assert_eq!(suggest("health")[0], "healthcare");
        assert!(suggest("zoo").is_empty());
    }

    #[test]
    fn suggestions_read_as_a_question() {
        assert_eq!(did_you_mean(&[]), "");
        assert_eq!(did_you_mean(&["a".into()]), " (did you mean 'a'?)");
        assert_eq!(
            did_you_mean(&["a".into(), "b".into(), "c".into()]),
            " (did you mean 'a', 'b' or 'c'?)"
        );
    }
}
