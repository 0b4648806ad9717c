//! Unit tests of the audit computation on hand-made results.

use super::groups::GroupFile;
use super::results::Results;
use super::selection::Selection;
use super::*;

/// Results CSV text: one line per (group, selected?, count), fits 80 when selected, 40 when not.
fn results_csv(rows: &[(&str, bool, usize)]) -> String {
    let mut text = String::from("rank,candidate_id,status,fit,fit_band,group\n");
    let mut id = 0;
    for &(group, selected, count) in rows {
        for _ in 0..count {
            id += 1;
            let (fit, band) = if selected {
                (80.0, "good")
            } else {
                (40.0, "weak")
            };
            text.push_str(&format!("{id},c{id},valid,{fit},{band},{group}\n"));
        }
    }
    text
}

fn run(text: &str, groups: &[&str], selection: Selection, group_file: Option<&GroupFile>) -> Audit {
    let options = AuditOptions::new(
        groups.iter().map(|g| g.to_string()).collect(),
        selection,
        Some("2025-03-31"),
    )
    .unwrap();
    let results = Results::read(text.as_bytes(), "results.csv", &options.wanted_fields()).unwrap();
    audit(&results, group_file, &options).unwrap()
}

fn good_band() -> Selection {
    Selection::band("good").unwrap()
}

#[test]
fn hand_computed_table() {
    // A: 48 of 80 selected (0.60); B: 12 of 40 (0.30). Ratio 0.30/0.60 = 0.50 < 0.80: flagged.
    let text = results_csv(&[
        ("A", true, 48),
        ("A", false, 32),
        ("B", true, 12),
        ("B", false, 28),
    ]);
    let audit = run(&text, &["group"], good_band(), None);
    let table = &audit.tables[0];
    assert_eq!(table.reference.as_deref(), Some("A"));
    let [a, b] = &table.rows[..] else {
        panic!("two rows")
    };
    assert_eq!((a.n, a.selected, a.selection_rate), (80, 48, Some(0.6)));
    assert_eq!((b.n, b.selected, b.selection_rate), (40, 12, Some(0.3)));
    assert_eq!(a.impact_ratio, Some(1.0));
    assert_eq!(b.impact_ratio, Some(0.5)); // (12·80)/(48·40) = 960/1920
    assert_eq!(b.below_four_fifths, Some(true));
    assert_eq!(a.below_four_fifths, Some(false));
    // R: prop.test(c(48,12), c(80,40), correct=FALSE)$p.value; fisher.test(matrix(c(48,32,12,28),2))$p.value
    assert!((b.z_test_p.unwrap() - 0.0019457736937391517).abs() < 1e-9);
    assert!((b.fisher_p.unwrap() - 0.0034092217678491866).abs() < 1e-9);
    assert_eq!(a.z_test_p, None); // the reference is not tested against itself
                                  // Median of 60 fits of 80 and 60 of 40 is 60: above it are the selected ones.
    assert_eq!(audit.median_fit, Some(60.0));
    assert_eq!((a.above_median, b.above_median), (48, 12));
    // Cohen's d of B against A: means 40 + 40·12/40 = 52 and 40 + 40·0.6 = 64;
    // sd² of a 0/40 mix with share p: 1600·p(1−p)·n/(n−1): A 1600·0.24·80/79 = 388.86, B 1600·0.21·40/39 = 344.62;
    // pooled = (79·388.86 + 39·344.62)/118 = (30720 + 13440)/118 = 374.24; d = −12/19.345 = −0.6203.
    assert!((b.cohens_d.unwrap() - (-12.0 / (44160.0_f64 / 118.0).sqrt())).abs() < 1e-12);
    // Katz: exp(ln 0.5 ± 1.96·√(1/12 − 1/40 + 1/48 − 1/80)) = 0.301–0.829 (R, stats.rs): reaches 0.80.
    assert!((b.impact_ratio_low.unwrap() - 0.301_432_941_045_596_9).abs() < 1e-12);
    assert!((b.impact_ratio_high.unwrap() - 0.829_371_863_382_984_4).abs() < 1e-12);
    assert_eq!((a.impact_ratio_low, a.impact_ratio_high), (None, None));
    assert!(b.flags.iter().any(|f| f
        == "selection impact ratio 0.50 is below four-fifths (0.80); its 95% interval 0.30–0.83 \
            reaches 0.80: not distinguishable from 0.80 with these numbers"));
    assert_eq!(audit.counts.audited, 120);
    assert_eq!(audit.date.as_deref(), Some("2025-03-31"));
}

#[test]
fn a_shortfall_beyond_chance_is_called_distinguishable() {
    // A 60 of 100, B 30 of 100: ratio 0.5, Katz 95%: exp(ln 0.5 ± 1.96·√(1/30 − 1/100 + 1/60 − 1/100))
    // = exp(−0.6931 ± 1.96·√0.03) = exp(−0.6931 ± 0.3395) = 0.356–0.702, wholly below 0.80.
    let text = results_csv(&[
        ("A", true, 60),
        ("A", false, 40),
        ("B", true, 30),
        ("B", false, 70),
    ]);
    let options = AuditOptions::new(vec!["group".into()], good_band(), None).unwrap();
    let results = Results::read(text.as_bytes(), "r.csv", &options.wanted_fields()).unwrap();
    let b = &audit(&results, None, &options).unwrap().tables[0].rows[1];
    let se = (1.0_f64 / 30.0 - 0.01 + 1.0 / 60.0 - 0.01).sqrt();
    assert!(
        (b.impact_ratio_high.unwrap() - (0.5_f64.ln() + 1.959963984540054 * se).exp()).abs()
            < 1e-12
    );
    assert!(b.flags[0].ends_with(
        "its 95% interval 0.36–0.70 lies below 0.80: the shortfall is larger than chance would explain"
    ), "{:?}", b.flags);
    // At 99% the interval widens (z = 2.5758): exp(−0.6931 ± 2.5758·√0.03) = 0.320–0.781, still below.
    let options = options.with_confidence(0.99).unwrap();
    let b = &audit(&results, None, &options).unwrap().tables[0].rows[1];
    assert!(
        b.flags[0].contains("its 99% interval 0.32–0.78 lies below 0.80"),
        "{:?}",
        b.flags
    );
    assert!(AuditOptions::new(vec!["g".into()], good_band(), None)
        .unwrap()
        .with_confidence(1.5)
        .is_err());
}

#[test]
fn validity_flags_are_counted_for_every_candidate_of_a_group() {
    // A: 10 valid, 5 caution (one of them without a fit), 5 invalid → flagged 10/20, invalid 5/20.
    // B: 18 valid, 2 invalid → flagged 2/20 (pass 0.90, the reference).
    // A's pass ratio 0.50/0.90 = 0.556 < 0.80; invalid: 0.75/0.90 = 0.833.
    let mut text = String::from("rank,candidate_id,status,fit,fit_band,group\n");
    let rows = [
        ("A", "valid", 10),
        ("A", "caution", 4),
        ("A", "invalid", 5),
        ("B", "valid", 18),
        ("B", "invalid", 2),
    ];
    let mut id = 0;
    for (group, status, count) in rows {
        for _ in 0..count {
            id += 1;
            let fit = if status == "invalid" { "" } else { "80" };
            text.push_str(&format!("{id},c{id},{status},{fit},good,{group}\n"));
        }
    }
    text.push_str("99,c99,caution,,,A\n");
    let table = &run(&text, &["group"], good_band(), None).tables[0];
    let (a, b) = (&table.rows[0].validity, &table.rows[1].validity);
    assert_eq!((a.n, a.flagged.count, a.invalid.count), (20, 10, 5));
    assert_eq!((b.n, b.flagged.count, b.invalid.count), (20, 2, 2));
    assert_eq!(b.flagged.pass_ratio, Some(1.0));
    assert!((a.flagged.pass_ratio.unwrap() - 0.5 / 0.9).abs() < 1e-15);
    assert_eq!(a.flagged.below_four_fifths, Some(true));
    assert_eq!(a.invalid.below_four_fifths, Some(false));
    // R: fisher.test(matrix(c(10, 10, 2, 18), 2))$p.value; prop.test(c(10, 2), c(20, 20), correct = FALSE)$p.value
    assert!((a.flagged.fisher_p.unwrap() - 0.013814147851967632).abs() < 1e-12);
    assert!((a.flagged.z_test_p.unwrap() - 0.005_775_498_089_305_212).abs() < 1e-12);
    assert!(table.rows[0]
        .flags
        .iter()
        .any(|f| f
            .starts_with("passes the response-validity check less often: pass-rate ratio 0.56")));
}

#[test]
fn everyone_selected_gives_ratio_one() {
    let text = results_csv(&[("A", true, 10), ("B", true, 6)]);
    let table = &run(&text, &["group"], good_band(), None).tables[0];
    for row in &table.rows {
        assert_eq!(row.impact_ratio, Some(1.0));
        assert_eq!(row.below_four_fifths, Some(false));
    }
    // No variation at all: z test undefined (R gives NaN), Fisher p = 1.
    assert_eq!(table.rows[1].z_test_p, None);
    assert_eq!(table.rows[1].fisher_p, Some(1.0));
}

#[test]
fn nobody_selected_leaves_ratios_undefined() {
    let text = results_csv(&[("A", false, 10), ("B", false, 6)]);
    let table = &run(&text, &["group"], good_band(), None).tables[0];
    for row in &table.rows {
        assert_eq!(row.selection_rate, Some(0.0));
        assert_eq!(row.impact_ratio, None);
        assert_eq!(row.below_four_fifths, None);
    }
    assert!(table
        .notes
        .iter()
        .any(|n| n.starts_with("nobody was selected in any group")));
    // All fits are 40 = the median: nobody is strictly above it.
    assert!(table
        .notes
        .iter()
        .any(|n| n.starts_with("nobody scored above the median")));
}

#[test]
fn a_single_group_has_nothing_to_compare() {
    let text = results_csv(&[("A", true, 3), ("A", false, 7)]);
    let table = &run(&text, &["group"], good_band(), None).tables[0];
    assert_eq!(table.rows.len(), 1);
    assert_eq!(table.rows[0].impact_ratio, Some(1.0));
    assert!(table.notes.iter().any(|n| n.starts_with("only one group")));
}

#[test]
fn invalid_missing_and_unknown_are_counted_not_folded() {
    let text = "rank,candidate_id,status,fit,fit_band,sex,site\n\
        1,a1,valid,90,strong,F,N\n2,a2,valid,80,good,F,S\n3,a3,caution,60,partial,M,N\n\
        4,a4,valid,50,partial,M,S\n5,a5,invalid,,,F,N\n6,a6,valid,,,M,N\n7,a7,valid,75,good,,S\n";
    let audit = run(text, &["sex", "site"], good_band(), None);
    let c = &audit.counts;
    assert_eq!(
        (c.records, c.audited, c.invalid_responses, c.no_fit_score),
        (7, 5, 1, 1)
    );
    assert_eq!(audit.exclusions.len(), 2);
    assert_eq!(
        audit.exclusions[0].reason,
        ExclusionReason::InvalidResponses
    );
    assert_eq!(audit.exclusions[0].line, 6);
    assert_eq!(audit.tables.len(), 3); // sex, site, sex × site
    let sex = &audit.tables[0];
    let names: Vec<&str> = sex.rows.iter().map(|r| r.group.as_str()).collect();
    assert_eq!(names, ["F", "M", "(missing)"]);
    assert_eq!((sex.rows[0].n, sex.rows[0].excluded), (2, 1)); // a5 is F but invalid
    assert_eq!((sex.rows[1].n, sex.rows[1].excluded), (2, 1)); // a6 is M without fit
    let unknown = &sex.rows[2];
    assert!(unknown.unknown);
    assert_eq!(
        (unknown.n, unknown.selected, unknown.impact_ratio),
        (1, 1, None)
    );
    let both = &audit.tables[2];
    assert_eq!(both.columns, ["sex", "site"]);
    let names: Vec<&str> = both.rows.iter().map(|r| r.group.as_str()).collect();
    assert_eq!(names, ["F × N", "F × S", "M × N", "M × S", "(missing)"]);
    // Every group here is under 5: all too small, none dropped.
    assert!(both.rows.iter().filter(|r| !r.unknown).all(|r| r.too_small));
}

#[test]
fn groups_and_decisions_from_a_group_file() {
    let text = "rank,candidate_id,status,fit\n1,a,valid,90\n2,'-b,valid,70\n3,c,valid,50\n";
    let groups = "id,sex,hired\na,F,yes\n-b,M,no\nzz,F,yes\n";
    let group_file = GroupFile::read(groups.as_bytes(), "groups.csv", "id").unwrap();
    let selection = Selection::Column {
        column: "hired".into(),
    };
    let audit = run(text, &["sex"], selection, Some(&group_file));
    assert_eq!(audit.counts.without_group_record, Some(1)); // c
    assert_eq!(audit.counts.group_records_without_result, Some(1)); // zz
    let rows = &audit.tables[0].rows;
    assert_eq!((rows[0].group.as_str(), rows[0].selected), ("F", 1));
    assert_eq!((rows[1].group.as_str(), rows[1].selected), ("M", 0)); // '-b matched -b
    assert_eq!((rows[2].group.as_str(), rows[2].n), ("(missing)", 1));
    assert_eq!(audit.group_file.as_ref().unwrap().on.as_deref(), Some("id"));
}

#[test]
fn a_group_called_unknown_is_not_the_missing_row() {
    let text = "rank,candidate_id,status,fit\n1,a,valid,90\n2,b,valid,70\n3,c,valid,50\n";
    let groups = "id,sex,hired\na,unknown,yes\nb,F,no\nc,,yes\n";
    let group_file = GroupFile::read(groups.as_bytes(), "groups.csv", "id").unwrap();
    let selection = Selection::Column {
        column: "hired".into(),
    };
    let audit = run(text, &["sex"], selection, Some(&group_file));
    let rows: Vec<(&str, bool)> = (audit.tables[0].rows.iter())
        .map(|r| (r.group.as_str(), r.unknown))
        .collect();
    assert_eq!(
        rows,
        [("F", false), ("unknown", false), ("(missing)", true)]
    );
}

#[test]
fn unknown_fields_and_bad_options_are_errors() {
    let text = results_csv(&[("A", true, 1)]);
    let options = AuditOptions::new(vec!["sex".into()], good_band(), None).unwrap();
    let results = Results::read(text.as_bytes(), "results.csv", &options.wanted_fields()).unwrap();
    let err = audit(&results, None, &options).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("group column 'sex' is not in results.csv; available:"),
        "{err}"
    );
    assert!(AuditOptions::new(vec![], good_band(), None).is_err());
    assert!(AuditOptions::new(vec!["a".into(), "a".into()], good_band(), None).is_err());
    for bad in ["2025-02-29", "2025-13-01", "25-01-01", "2025-1-01", "today"] {
        assert!(
            AuditOptions::new(vec!["a".into()], good_band(), Some(bad)).is_err(),
            "{bad}"
        );
    }
    assert!(AuditOptions::new(vec!["a".into()], good_band(), Some("2024-02-29")).is_ok());
}

#[test]
fn unreadable_selection_values_are_excluded() {
    let text = "rank,candidate_id,status,fit,hired,g\n1,a,valid,90,yes,X\n2,b,valid,80,perhaps,X\n";
    let selection = Selection::Column {
        column: "hired".into(),
    };
    let audit = run(text, &["g"], selection, None);
    assert_eq!(audit.counts.unreadable_selection, 1);
    assert_eq!(audit.exclusions[0].value.as_deref(), Some("perhaps"));
    assert_eq!(audit.tables[0].rows[0].excluded, 1);
}
