//! Reliability of a scale and the statistics of its items, as a test manual
//! reports them: Cronbach's alpha (raw and standardized), Guttman's lambda-6,
//! the average inter-item correlation, and per item n, mean, sd, response
//! frequencies, the corrected item–total correlation, the item–total
//! correlation corrected for overlap, and alpha if the item is deleted.
//!
//! Every number follows the definitions of R psych's `alpha()` (Revelle,
//! psych 2.2.9) and is cross-checked against it in the tests
//! (`tests/fixtures/analysis/`). Formulas and references: docs/METHOD.md,
//! "The consultant's toolkit".

use serde::Serialize;

use super::matrix::{invert, leading_eigen};
use super::moments::ItemMoments;

/// Why a scale's reliability cannot be computed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
pub enum Unavailable {
    /// Some pair of items was answered together by fewer than two respondents.
    #[error("{}", too_few(first, second))]
    TooFewPairs {
        /// One item.
        first: String,
        /// The other.
        second: String,
    },
    /// An item has no variance (everyone gave the same answer).
    #[error("item {item} has no variance: every respondent gave the same answer")]
    NoVariance {
        /// The item.
        item: String,
    },
    /// The sum of the items has no variance, so alpha's denominator is 0.
    #[error("the sum of the items has no variance: every respondent's answers add up alike")]
    NoTotalVariance,
}

/// [`Unavailable::TooFewPairs`] in words: an item's variance is the pair of
/// the item with itself, which reads oddly as "items X and X".
fn too_few(first: &str, second: &str) -> String {
    if first == second {
        format!("item {first} was answered by fewer than 2 respondents")
    } else {
        format!("items {first} and {second} were answered together by fewer than 2 respondents")
    }
}

/// Reliability of one scale.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScaleReliability {
    /// Cronbach's alpha from the covariances: `k/(k−1) · (1 − tr C / ΣC)`.
    pub alpha: f64,
    /// Standardized alpha, from the correlations: `k/(k−1) · (1 − k / ΣR)`.
    pub alpha_standardized: f64,
    /// Guttman's lambda-6 with squared multiple correlations: `1 − Σ(1 − smc) / ΣR`;
    /// `None` when the correlation matrix is singular.
    pub lambda6: Option<f64>,
    /// Average inter-item correlation: `(ΣR − k) / (k (k − 1))`.
    pub average_r: f64,
    /// McDonald's omega total from a one-factor minres solution of the same
    /// correlations (psych's `omega(x, nfactors = 1)$omega.tot`); `None` when
    /// the factor solution cannot be found.
    pub omega_total: Option<f64>,
    /// Items loading negatively on the factor, reversed for omega as psych's `omega` does.
    pub omega_reversed: Vec<String>,
    /// One entry per item, presentation order.
    pub items: Vec<ItemStats>,
}

/// Statistics of one item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemStats {
    /// Item id.
    pub id: String,
    /// Respondents who answered it.
    pub n: u64,
    /// Mean keyed answer (reverse-keyed items mirrored first, as psych does).
    pub mean: f64,
    /// Standard deviation of the keyed answers.
    pub sd: f64,
    /// Corrected item–total correlation: the item against the sum of the other items (psych `r.drop`).
    pub r_drop: f64,
    /// Item–total correlation corrected for overlap (psych `r.cor`).
    pub r_cor: f64,
    /// Alpha of the scale without this item.
    pub alpha_if_deleted: f64,
    /// Standardized alpha without this item.
    pub alpha_standardized_if_deleted: f64,
    /// Lambda-6 without this item.
    pub lambda6_if_deleted: Option<f64>,
    /// Average inter-item correlation without this item.
    pub average_r_if_deleted: f64,
}

/// The four scale-level coefficients of one covariance matrix (psych's `alpha.1`).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Coefficients {
    alpha: f64,
    alpha_standardized: f64,
    lambda6: Option<f64>,
    average_r: f64,
}

impl ScaleReliability {
    /// Computes every statistic from a scale's moments.
    ///
    /// # Errors
    /// [`Unavailable`] when some covariance is undefined or an item has no variance.
    pub fn from_moments(moments: &ItemMoments) -> Result<Self, Unavailable> {
        let cov = covariances(moments)?;
        let k = cov.len();
        // cov2cor: the pairwise covariance over the items' own standard deviations.
        let cor: Vec<Vec<f64>> = (0..k)
            .map(|i| {
                (0..k)
                    .map(|j| cov[i][j] / (cov[i][i] * cov[j][j]).sqrt())
                    .collect()
            })
            .collect();
        let total = coefficients(&cov, &cor);
        let smc = squared_multiple_correlations(&cor);
        let items: Vec<ItemStats> = (0..k)
            .map(|i| item_stats(moments, &cov, &cor, smc.as_deref(), i))
            .collect();
        let omega = omega_total(&cor, smc.as_deref());
        Ok(ScaleReliability {
            alpha: total.alpha,
            alpha_standardized: total.alpha_standardized,
            lambda6: total.lambda6,
            average_r: total.average_r,
            omega_total: omega.as_ref().map(|o| o.0),
            omega_reversed: omega.map_or_else(Vec::new, |o| {
                o.1.iter().map(|&i| items[i].id.clone()).collect()
            }),
            items,
        })
    }
}

/// Cronbach's alpha alone, `k/(k−1) · (1 − tr C / ΣC)` from the pairwise
/// covariances: what a norm needs for the standard error of measurement.
///
/// Unlike [`ScaleReliability::from_moments`] it needs no correlations, so an
/// item everyone answered alike does not stop it: such an item adds nothing
/// to the raw score's variance nor to its error, and alpha is that of the
/// scale as scored, all k items in the mean (psych would drop the item and
/// report alpha of the others).
///
/// # Errors
/// [`Unavailable::TooFewPairs`] when a covariance is undefined,
/// [`Unavailable::NoTotalVariance`] when ΣC is not above 0.
pub fn cronbach_alpha(moments: &ItemMoments) -> Result<f64, Unavailable> {
    let cov = pairwise_covariances(moments)?;
    if cov.iter().flatten().sum::<f64>() <= 0.0 {
        return Err(Unavailable::NoTotalVariance);
    }
    Ok(alpha_of(&cov))
}

/// `k/(k−1) · (1 − tr C / ΣC)` (Cronbach 1951): the one place of the formula.
fn alpha_of(cov: &[Vec<f64>]) -> f64 {
    let k = cov.len() as f64;
    let trace: f64 = (0..cov.len()).map(|i| cov[i][i]).sum();
    let sum_c: f64 = cov.iter().flatten().sum();
    (1.0 - trace / sum_c) * k / (k - 1.0)
}

fn covariances(moments: &ItemMoments) -> Result<Vec<Vec<f64>>, Unavailable> {
    let cov = pairwise_covariances(moments)?;
    let k = cov.len();
    if let Some(i) = (0..k).find(|&i| cov[i][i] <= 0.0) {
        return Err(Unavailable::NoVariance {
            item: moments.items[i].clone(),
        });
    }
    Ok(cov)
}

/// The k × k pairwise covariance matrix, naming a pair answered together by fewer than two.
fn pairwise_covariances(moments: &ItemMoments) -> Result<Vec<Vec<f64>>, Unavailable> {
    let k = moments.len();
    (0..k)
        .map(|i| {
            (0..k)
                .map(|j| {
                    moments
                        .covariance(i, j)
                        .ok_or_else(|| Unavailable::TooFewPairs {
                            first: moments.items[i].clone(),
                            second: moments.items[j].clone(),
                        })
                })
                .collect::<Result<Vec<f64>, _>>()
        })
        .collect()
}

fn item_stats(
    moments: &ItemMoments,
    cov: &[Vec<f64>],
    cor: &[Vec<f64>],
    smc: Option<&[f64]>,
    i: usize,
) -> ItemStats {
    let k = cov.len();
    let others: Vec<usize> = (0..k).filter(|&j| j != i).collect();
    let dropped = coefficients(&submatrix(cov, &others), &submatrix(cor, &others));
    // r.drop: cov(item, rest) / √(var item · var rest), all from the covariance matrix.
    let rest_var: f64 = others
        .iter()
        .map(|&a| others.iter().map(|&b| cov[a][b]).sum::<f64>())
        .sum();
    let item_rest: f64 = others.iter().map(|&j| cov[i][j]).sum();
    // r.cor: column sums of R with smc on the diagonal, over √ of its total.
    let r_cor = smc.map_or(f64::NAN, |smc| {
        let column = |c: usize| -> f64 {
            (0..k)
                .map(|r| if r == c { smc[c] } else { cor[r][c] })
                .sum()
        };
        column(i) / (0..k).map(column).sum::<f64>().sqrt()
    });
    ItemStats {
        id: moments.items[i].clone(),
        n: moments.pair_n[i][i],
        mean: moments.mean(i).unwrap_or(f64::NAN),
        sd: cov[i][i].sqrt(),
        r_drop: item_rest / (cov[i][i] * rest_var).sqrt(),
        r_cor,
        alpha_if_deleted: dropped.alpha,
        alpha_standardized_if_deleted: dropped.alpha_standardized,
        lambda6_if_deleted: dropped.lambda6,
        average_r_if_deleted: dropped.average_r,
    }
}

fn submatrix(m: &[Vec<f64>], keep: &[usize]) -> Vec<Vec<f64>> {
    keep.iter()
        .map(|&i| keep.iter().map(|&j| m[i][j]).collect())
        .collect()
}

/// psych's `alpha.1(C, R)`: alpha raw and standardized, lambda-6 and average r.
fn coefficients(cov: &[Vec<f64>], cor: &[Vec<f64>]) -> Coefficients {
    let k = cov.len() as f64;
    let sum_r: f64 = cor.iter().flatten().sum();
    let lambda6 =
        squared_multiple_correlations(cor).map(|smc| 1.0 - (k - smc.iter().sum::<f64>()) / sum_r);
    Coefficients {
        alpha: alpha_of(cov),
        alpha_standardized: (1.0 - k / sum_r) * k / (k - 1.0),
        lambda6,
        average_r: (sum_r - k) / (k * (k - 1.0)),
    }
}

/// Omega total of one factor, and the items that load negatively on it.
///
/// # Formula
/// The one-factor minres (unweighted least squares) solution of `R`, found
/// by iterated principal axes — communalities `h²` start at the squared
/// multiple correlations; each step puts them on the diagonal and takes
/// `λ = v √e` from the leading eigenpair `(e, v)`, `h² = λ²`, until no `h²`
/// moves by 1e-12 (at convergence this is the minres solution; Harman 1976,
/// §8.3). Items with a negative loading are reversed (`s = sign λ`), as
/// psych's `omega` does, and
/// `ω_t = 1 − Σ(1 − h²) / Σᵢⱼ sᵢ sⱼ Rᵢⱼ` (McDonald 1999, §6; Revelle & Zinbarg 2009).
fn omega_total(cor: &[Vec<f64>], smc: Option<&[f64]>) -> Option<(f64, Vec<usize>)> {
    let k = cor.len();
    if k < 2 {
        return None;
    }
    let mut h2: Vec<f64> = smc.map_or_else(|| vec![1.0; k], <[f64]>::to_vec);
    let mut loadings = vec![0.0; k];
    for _ in 0..10_000 {
        let mut reduced = cor.to_vec();
        for (i, row) in reduced.iter_mut().enumerate() {
            row[i] = h2[i];
        }
        let (value, vector) = leading_eigen(&reduced)?;
        // The eigenvector's sign is arbitrary: make the loadings add up positive.
        let sign = if vector.iter().sum::<f64>() < 0.0 {
            -1.0
        } else {
            1.0
        };
        loadings = vector
            .iter()
            .map(|v| sign * v * value.max(0.0).sqrt())
            .collect();
        let next: Vec<f64> = loadings.iter().map(|l| (l * l).min(1.0)).collect();
        let moved = next
            .iter()
            .zip(&h2)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        h2 = next;
        if moved < 1e-12 {
            break;
        }
    }
    let signs: Vec<f64> = loadings
        .iter()
        .map(|l| if *l < 0.0 { -1.0 } else { 1.0 })
        .collect();
    let total: f64 = (0..k)
        .flat_map(|i| (0..k).map(move |j| (i, j)))
        .map(|(i, j)| signs[i] * signs[j] * cor[i][j])
        .sum();
    let unique: f64 = h2.iter().map(|h| 1.0 - h).sum();
    let reversed = (0..k).filter(|&i| signs[i] < 0.0).collect();
    (total > 0.0).then(|| (1.0 - unique / total, reversed))
}

/// Squared multiple correlation of each item with the others, `1 − 1/(R⁻¹)ᵢᵢ`,
/// clamped to 0..1 as psych's `smc()` does; `None` when R is singular.
pub fn squared_multiple_correlations(cor: &[Vec<f64>]) -> Option<Vec<f64>> {
    let inverse = invert(cor)?;
    Some(
        (0..cor.len())
            .map(|i| (1.0 - 1.0 / inverse[i][i]).clamp(0.0, 1.0))
            .collect(),
    )
}

/// Share of respondents giving each raw answer (min..max) among those who
/// answered, and the share who did not answer among all (psych's `response.freq`).
pub fn response_frequencies(moments: &ItemMoments, item: usize) -> (Vec<f64>, f64) {
    let answered = moments.pair_n[item][item];
    let shares = moments.frequencies[item]
        .iter()
        .map(|&c| {
            if answered == 0 {
                0.0
            } else {
                c as f64 / answered as f64
            }
        })
        .collect();
    let missing = if moments.respondents == 0 {
        0.0
    } else {
        (moments.respondents - answered) as f64 / moments.respondents as f64
    };
    (shares, missing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_few_respondents_in_words() {
        let pair = |first: &str, second: &str| Unavailable::TooFewPairs {
            first: first.into(),
            second: second.into(),
        };
        assert_eq!(
            pair("TR01", "TR01").to_string(),
            "item TR01 was answered by fewer than 2 respondents"
        );
        assert_eq!(
            pair("TR01", "TR02").to_string(),
            "items TR01 and TR02 were answered together by fewer than 2 respondents"
        );
    }

    #[test]
    fn inverse_of_a_two_by_two() {
        // [[1, .5], [.5, 1]]⁻¹ = 1/0.75 · [[1, −.5], [−.5, 1]]; smc = 1 − 0.75 = 0.25 = r².
        let smc = squared_multiple_correlations(&[vec![1.0, 0.5], vec![0.5, 1.0]]).unwrap();
        assert!((smc[0] - 0.25).abs() < 1e-12 && (smc[1] - 0.25).abs() < 1e-12);
        assert_eq!(invert(&[vec![1.0, 1.0], vec![1.0, 1.0]]), None);
    }

    #[test]
    fn parallel_items_by_hand() {
        // Three items with variance 1 and covariance 0.5: ΣC = 3 + 6·0.5 = 6,
        // alpha = 3/2 · (1 − 3/6) = 0.75, equal to standardized alpha; average r = 0.5.
        let c = vec![
            vec![1.0, 0.5, 0.5],
            vec![0.5, 1.0, 0.5],
            vec![0.5, 0.5, 1.0],
        ];
        let coef = coefficients(&c, &c);
        assert!((coef.alpha - 0.75).abs() < 1e-12);
        assert!((coef.alpha_standardized - 0.75).abs() < 1e-12);
        assert!((coef.average_r - 0.5).abs() < 1e-12);
        // smc of each item on two others correlating .5 with it and .5 with each other:
        // r'R⁻¹r = 2·0.5²/(1 + 0.5) = 1/3; lambda-6 = 1 − (3 − 1)/6 = 2/3.
        assert!((coef.lambda6.unwrap() - 2.0 / 3.0).abs() < 1e-12);
    }
}
