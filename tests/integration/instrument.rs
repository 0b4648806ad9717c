//! The built-in questionnaire (SFQ 2.0) against the rules of its item review
//! (docs/TECHNICAL-MANUAL.md §3): no item of SFQ 1.0 that the review removed
//! comes back, no wording that reads like a health screen, assumes work
//! history or leans on an idiom, keying balanced within every scale, and
//! attention items that an honest answer cannot fail. The archived 1.0.0 file
//! stays loadable, and norms of one version are refused with the other.

use servicefit::builtin;
use servicefit::questionnaire::{ItemRole, Questionnaire, ScaleKind};

use crate::support::{repo, Workdir};

const ARCHIVED_V1: &str = "questionnaires/archive/sfq-1.0.0.json";
const ARCHIVED_V1_NORMS: &str = "norms/archive/sfq-1.0.0-provisional.json";

/// Ids of SFQ 1.0 items the review removed (TECHNICAL-MANUAL.md §3.3): none may
/// return, with any text, because an id stands for one item across versions.
const REMOVED_V1_IDS: [&str; 45] = [
    "TR03", "TR05", "TR06", "TR07", "TR10", "TA03", "TA04", "TA05", "TA06", "TA07", "TA10", "TA11",
    "EM01", "EM02", "EM04", "EM07", "EM10", "EM11", "EM12", "CO03", "CO05", "CO08", "CO10", "CO11",
    "CO12", "FO02", "FO04", "FO06", "FO07", "FO08", "FO11", "FO12", "FL02", "FL04", "FL06", "FL08",
    "FL09", "FL10", "FL12", "IM05", "IM06", "IM07", "IM08", "AT02", "AT03",
];

/// Wording the review rules out, lower case: health- or disability-like
/// content, age stereotypes, work history, idioms, the failable attention item.
const BANNED_PHRASES: [&str; 26] = [
    "noise",
    "distracted",
    "mind drifts",
    "lose track",
    "repeat themselves",
    "missed what they said",
    "tone of voice",
    "hard to tell how",
    "get stuck",
    "uneasy",
    "find it hard",
    "new systems",
    "hard to get used to",
    "colleagues have told",
    "my manager",
    "at work",
    "my usual duties",
    "face value",
    "bend the truth",
    "bending a rule",
    "guard up",
    "benefit of the doubt",
    "falls through",
    "turn a bad situation around",
    "walked on",
    "read and understand",
];

fn builtin() -> Questionnaire {
    builtin::questionnaire().unwrap()
}

#[test]
fn the_builtin_is_version_2_and_the_archive_is_1() {
    assert_eq!(builtin().version(), "2.0.0");
    let text = std::fs::read_to_string(repo(ARCHIVED_V1)).unwrap();
    let v1 = Questionnaire::from_json(&text, ARCHIVED_V1).unwrap();
    assert_eq!((v1.id(), v1.version()), ("sfq", "1.0.0"));
    // Only the top level of questionnaires/ is built in: the archive is a file to pass.
    assert!(!builtin::QUESTIONNAIRE.contains("\"version\": \"1.0.0\""));
}

#[test]
fn no_removed_v1_item_returns() {
    let q = builtin();
    for item in q.items() {
        assert!(
            !REMOVED_V1_IDS.contains(&item.id.as_str()),
            "{} returned",
            item.id
        );
        let text = item.text.to_lowercase();
        for phrase in BANNED_PHRASES {
            assert!(
                !text.contains(phrase),
                "{}: '{}' contains '{phrase}'",
                item.id,
                item.text
            );
        }
    }
    // The lists are not vacuous: the archived 1.0.0 holds every removed id,
    // and each banned phrase quotes one of its items.
    let text = std::fs::read_to_string(repo(ARCHIVED_V1)).unwrap();
    let v1 = Questionnaire::from_json(&text, ARCHIVED_V1).unwrap();
    for id in REMOVED_V1_IDS {
        assert!(v1.items().iter().any(|i| i.id == id), "{id} is no 1.0 item");
    }
    // Every 1.0 item is either kept (same id in 2.0) or listed as removed.
    let kept = v1
        .items()
        .iter()
        .filter(|i| q.items().iter().any(|j| j.id == i.id))
        .count();
    assert_eq!(kept + REMOVED_V1_IDS.len(), v1.items().len());
    for phrase in BANNED_PHRASES {
        let in_v1 = v1
            .items()
            .iter()
            .any(|i| i.text.to_lowercase().contains(phrase));
        assert!(in_v1, "'{phrase}' is in no 1.0 item");
    }
}

#[test]
fn probes_and_suggestions_avoid_idioms_and_conformity_asks_about_rules() {
    // Interviewers read the probes aloud to candidates: the idioms removed
    // from the items (and a few more) stay out of them too.
    let idioms = [
        "face value",
        "bend the truth",
        "guard up",
        "benefit of the doubt",
        "falls through",
        "turn a bad situation around",
        "add up",
        "felt for",
        "on your mind",
        "came across",
    ];
    let q = builtin();
    for scale in q.scales() {
        let texts = [
            &scale.probes.low,
            &scale.probes.high,
            &scale.development.low,
            &scale.development.high,
        ];
        for text in texts.into_iter().flatten() {
            for idiom in idioms {
                assert!(
                    !text.to_lowercase().contains(idiom),
                    "{}: '{text}'",
                    scale.id
                );
            }
            if scale.id == "conformity" {
                assert!(
                    !text.contains("manager"),
                    "conformity is about rules: '{text}'"
                );
            }
        }
    }
}

/// (forward-keyed, reverse-keyed) item counts of each scale, by scale id.
fn keying(q: &Questionnaire) -> Vec<(String, ScaleKind, usize, usize)> {
    let mut counts: Vec<_> = q
        .scales()
        .iter()
        .map(|s| (s.id.clone(), s.kind, 0, 0))
        .collect();
    for item in q.items() {
        if let ItemRole::Scored {
            scale,
            reverse_keyed,
        } = item.role
        {
            if reverse_keyed {
                counts[scale].3 += 1;
            } else {
                counts[scale].2 += 1;
            }
        }
    }
    counts
}

#[test]
fn the_technical_manual_reviews_every_item_of_both_versions() {
    // Its item review (§3) has a table row "| ID | …" for every 2.0 item and
    // every removed 1.0 item.
    let manual = std::fs::read_to_string(repo("docs/TECHNICAL-MANUAL.md")).unwrap();
    let ids = builtin()
        .items()
        .iter()
        .map(|i| i.id.clone())
        .collect::<Vec<_>>();
    for id in ids.iter().map(String::as_str).chain(REMOVED_V1_IDS) {
        assert!(
            manual.contains(&format!("\n| {id} |")),
            "no review row for {id}"
        );
    }
}

#[test]
fn reverse_keying_is_balanced_within_every_attribute() {
    let counts = keying(&builtin());
    let attributes: Vec<_> = counts
        .iter()
        .filter(|c| c.1 == ScaleKind::Attribute)
        .collect();
    assert_eq!(attributes.len(), 6);
    for (id, _, forward, reverse) in attributes {
        let k = forward + reverse;
        assert!((10..=12).contains(&k), "{id}: {k} items");
        // About half reversed: at most one item from an even split.
        assert!(
            forward.abs_diff(*reverse) <= 2,
            "{id}: {forward} forward, {reverse} reverse"
        );
    }
}

#[test]
fn impression_management_has_at_least_three_reverse_keyed_items() {
    // Agreeing with everything must not raise IM: with 4 of 8 reversed, an
    // acquiescent "Agree" to all scores (4·4 + 4·2)/8 = 3, the scale's middle.
    let counts = keying(&builtin());
    let im: Vec<_> = counts
        .iter()
        .filter(|c| c.1 == ScaleKind::Impression)
        .collect();
    assert_eq!(im.len(), 1);
    let (_, _, forward, reverse) = im[0];
    assert!(
        *reverse >= 3 && *forward >= 3,
        "{forward} forward, {reverse} reverse"
    );
    // The v1 scale failed this rule: all 8 items forward-keyed.
    let text = std::fs::read_to_string(repo(ARCHIVED_V1)).unwrap();
    let v1 = keying(&Questionnaire::from_json(&text, ARCHIVED_V1).unwrap());
    assert!(v1.iter().any(|c| c.1 == ScaleKind::Impression && c.3 == 0));
}

/// The value of the label an attention item instructs, if it is an
/// instructed-response item ("please choose 'Agree'").
fn instructed_value(q: &Questionnaire, text: &str) -> Option<i32> {
    let start = text.find("please choose '")? + "please choose '".len();
    let label = &text[start..start + text[start..].find('\'')?];
    let labels = &q.response_scale().labels;
    labels.iter().find(|l| l.label == label).map(|l| l.value)
}

#[test]
fn every_attention_item_is_instructed_so_an_honest_answer_never_fails() {
    let q = builtin();
    let mut seen = 0;
    for item in q.items() {
        if let ItemRole::Attention { expected } = &item.role {
            seen += 1;
            let value = instructed_value(&q, &item.text);
            assert!(
                value.is_some(),
                "{}: '{}' is no instructed item",
                item.id,
                item.text
            );
            assert_eq!(expected, &vec![value.unwrap()], "{}", item.id);
        }
    }
    assert_eq!(seen, 4);
    // v1's AT02 (the moon) and AT03 ("I can read and understand …") are not
    // instructed: the rule catches them.
    let text = std::fs::read_to_string(repo(ARCHIVED_V1)).unwrap();
    let v1 = Questionnaire::from_json(&text, ARCHIVED_V1).unwrap();
    let failing: Vec<_> = v1
        .items()
        .iter()
        .filter(|i| matches!(i.role, ItemRole::Attention { .. }))
        .filter(|i| instructed_value(&v1, &i.text).is_none())
        .map(|i| i.id.as_str())
        .collect();
    assert_eq!(failing, ["AT02", "AT03"]);
}

/// A response file of one candidate for `q`: every item answered `value`,
/// attention items as instructed.
fn one_candidate(q: &Questionnaire, value: i32) -> String {
    let ids: Vec<&str> = q.items().iter().map(|i| i.id.as_str()).collect();
    let answers: Vec<String> = q
        .items()
        .iter()
        .map(|i| match &i.role {
            ItemRole::Attention { expected } => expected[0].to_string(),
            ItemRole::Scored { .. } => value.to_string(),
        })
        .collect();
    format!(
        "candidate_id,{}\nold-1,{}\n",
        ids.join(","),
        answers.join(",")
    )
}

#[test]
fn old_data_is_rescored_with_the_archived_questionnaire_and_its_norms() {
    let text = std::fs::read_to_string(repo(ARCHIVED_V1)).unwrap();
    let v1 = Questionnaire::from_json(&text, ARCHIVED_V1).unwrap();
    let wd = Workdir::new();
    wd.write("old.csv", &one_candidate(&v1, 4));
    let (q, n) = (repo(ARCHIVED_V1), repo(ARCHIVED_V1_NORMS));
    let run = wd
        .command(&["score", "old.csv", "--role", "retail"])
        .args([
            "--questionnaire",
            q.to_str().unwrap(),
            "--norms",
            n.to_str().unwrap(),
        ])
        .assert()
        .success();
    let out = String::from_utf8_lossy(&run.get_output().stdout).to_string();
    assert!(out.contains("old-1"), "{out}");
    // Every answer 4: each attribute has 6 forward and 6 reverse items, so the
    // raw score is (6·4 + 6·2)/12 = 3 everywhere; trust's v1 planning norm
    // (M 3.70, SD 0.50) gives z = −1.4, sten 2·(−1.4) + 5.5 = 2.7 → 3.
    assert!(out.lines().next().unwrap().contains("trust_sten"), "{out}");
    let header: Vec<&str> = out.lines().next().unwrap().split(',').collect();
    let row: Vec<&str> = out.lines().nth(1).unwrap().split(',').collect();
    let at = header.iter().position(|h| *h == "trust_sten").unwrap();
    assert_eq!(row[at], "3");
}

#[test]
fn norms_of_one_version_are_refused_with_the_other() {
    let text = std::fs::read_to_string(repo(ARCHIVED_V1)).unwrap();
    let v1 = Questionnaire::from_json(&text, ARCHIVED_V1).unwrap();
    let wd = Workdir::new();
    wd.write("old.csv", &one_candidate(&v1, 4));
    wd.write("new.csv", &one_candidate(&builtin(), 4));
    let (q, n) = (repo(ARCHIVED_V1), repo(ARCHIVED_V1_NORMS));
    // v1 answers with the v1 questionnaire but the built-in (v2) norms.
    let run = wd
        .command(&["score", "old.csv", "--role", "retail"])
        .args(["--questionnaire", q.to_str().unwrap()])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&run.get_output().stderr).to_string();
    assert!(
        err.contains(
            "the built-in norms (sfq-provisional) are for version 2.0.0 of questionnaire 'sfq', \
             not version 1.0.0, the version in use"
        ),
        "{err}"
    );
    // v2 answers with the built-in questionnaire but the archived v1 norms.
    let run = wd
        .command(&["score", "new.csv", "--role", "retail"])
        .args(["--norms", n.to_str().unwrap()])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&run.get_output().stderr).to_string();
    assert!(
        err.contains("the norms 'sfq-1.0.0-provisional' are for version 1.0.0 of questionnaire 'sfq', not version 2.0.0"),
        "{err}"
    );
    // `check` names the field.
    let run = wd.command(&["check", n.to_str().unwrap()]).assert().code(2);
    let out = String::from_utf8_lossy(&run.get_output().stdout).to_string()
        + &String::from_utf8_lossy(&run.get_output().stderr);
    assert!(
        out.contains("questionnaire_version: found '1.0.0'; expected '2.0.0', the version of the questionnaire in use"),
        "{out}"
    );
}

/// A response file for `q` of respondents at the given keyed levels, each
/// answer the level plus a wobble (0, +1, 0, −1 by item and person), mirrored
/// on reverse-keyed items; attention items as instructed.
fn sample(q: &Questionnaire, prefix: &str, levels: &[i32]) -> String {
    let ids: Vec<&str> = q.items().iter().map(|i| i.id.as_str()).collect();
    let mut text = format!("candidate_id,{}\n", ids.join(","));
    for (p, level) in levels.iter().enumerate() {
        let answers: Vec<String> = q
            .items()
            .iter()
            .enumerate()
            .map(|(i, item)| match &item.role {
                ItemRole::Attention { expected } => expected[0],
                ItemRole::Scored { reverse_keyed, .. } => {
                    let v = (level + [0, 1, 0, -1][(i + p) % 4]).clamp(1, 5);
                    if *reverse_keyed {
                        6 - v
                    } else {
                        v
                    }
                }
            })
            .map(|v| v.to_string())
            .collect();
        text.push_str(&format!("{prefix}-{p},{}\n", answers.join(",")));
    }
    text
}

#[test]
fn built_norms_name_the_version_and_partials_of_two_versions_do_not_merge() {
    let text = std::fs::read_to_string(repo(ARCHIVED_V1)).unwrap();
    let v1 = Questionnaire::from_json(&text, ARCHIVED_V1).unwrap();
    let wd = Workdir::new();
    let levels = [2, 3, 3, 4, 4, 5];
    wd.write("old.csv", &sample(&v1, "old", &levels));
    wd.write("new.csv", &sample(&builtin(), "new", &levels));
    let q = repo(ARCHIVED_V1);
    wd.command(&[
        "norms",
        "build",
        "old.csv",
        "--partial",
        "--name",
        "o",
        "--out",
        "old.partial.json",
    ])
    .args(["--questionnaire", q.to_str().unwrap()])
    .assert()
    .success();
    wd.command(&[
        "norms",
        "build",
        "new.csv",
        "--partial",
        "--name",
        "n",
        "--out",
        "new.partial.json",
    ])
    .assert()
    .success();
    let run = wd
        .command(&[
            "norms",
            "merge",
            "new.partial.json",
            "old.partial.json",
            "--name",
            "m",
            "--out",
            "m.json",
        ])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&run.get_output().stderr).to_string();
    assert!(err.contains("questionnaire 'sfq' version 1.0.0"), "{err}");
    assert!(err.contains("questionnaire 'sfq' version 2.0.0"), "{err}");
    // A norm file built from data records the version it was built with.
    wd.command(&[
        "norms",
        "build",
        "new.csv",
        "--name",
        "n",
        "--out",
        "new.norms.json",
    ])
    .assert()
    .success();
    assert!(wd
        .read("new.norms.json")
        .contains("\"questionnaire_version\": \"2.0.0\""));
}
