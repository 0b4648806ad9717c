//! The small dense-matrix operations the analyses need — the inverse, and
//! the leading eigenpair of a symmetric matrix — on `Vec<Vec<f64>>`, for
//! matrices of a few dozen rows (a scale's items, a regression's predictors).
//! No crate: two short, tested algorithms do not justify a linear-algebra
//! dependency.

/// Inverse of a small square matrix by Gauss–Jordan elimination with partial
/// pivoting; `None` when a pivot is (numerically) zero: below 1e-12 of the
/// largest diagonal element (or below 1e-12 when the diagonal is all zero).
pub fn invert(m: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let k = m.len();
    let scale = (0..k).map(|i| m[i][i].abs()).fold(1.0, f64::max);
    let mut a: Vec<Vec<f64>> = m
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let mut r = row.clone();
            r.extend((0..k).map(|j| if i == j { 1.0 } else { 0.0 }));
            r
        })
        .collect();
    for col in 0..k {
        let pivot = (col..k).max_by(|&x, &y| a[x][col].abs().total_cmp(&a[y][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 * scale {
            return None;
        }
        a.swap(col, pivot);
        let p = a[col][col];
        a[col].iter_mut().for_each(|v| *v /= p);
        for row in 0..k {
            if row != col {
                let factor = a[row][col];
                let pivot_row = a[col].clone();
                a[row]
                    .iter_mut()
                    .zip(&pivot_row)
                    .for_each(|(v, p)| *v -= factor * p);
            }
        }
    }
    Some(a.into_iter().map(|row| row[k..].to_vec()).collect())
}

/// The largest eigenvalue of a symmetric positive semi-definite matrix and
/// its unit eigenvector, by power iteration (converged when the vector moves
/// less than 1e-14; at most 10,000 steps). `None` for an empty or zero matrix.
pub fn leading_eigen(m: &[Vec<f64>]) -> Option<(f64, Vec<f64>)> {
    let k = m.len();
    let mut v = vec![1.0 / (k as f64).sqrt(); k];
    let mut value = 0.0;
    for _ in 0..10_000 {
        let next: Vec<f64> = (0..k)
            .map(|i| (0..k).map(|j| m[i][j] * v[j]).sum())
            .collect();
        let norm = next.iter().map(|x| x * x).sum::<f64>().sqrt();
        if norm == 0.0 || !norm.is_finite() {
            return None;
        }
        let next: Vec<f64> = next.iter().map(|x| x / norm).collect();
        let moved = next
            .iter()
            .zip(&v)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        (v, value) = (next, norm);
        if moved < 1e-14 {
            break;
        }
    }
    Some((value, v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverse_of_a_known_matrix() {
        // [[4, 7], [2, 6]]⁻¹ = [[0.6, −0.7], [−0.2, 0.4]] (determinant 10).
        let inverse = invert(&[vec![4.0, 7.0], vec![2.0, 6.0]]).unwrap();
        let expected = [[0.6, -0.7], [-0.2, 0.4]];
        for i in 0..2 {
            for j in 0..2 {
                assert!((inverse[i][j] - expected[i][j]).abs() < 1e-15);
            }
        }
        assert_eq!(invert(&[vec![1.0, 2.0], vec![2.0, 4.0]]), None);
    }

    #[test]
    fn leading_eigenpair_of_a_known_matrix() {
        // [[2, 1], [1, 2]]: eigenvalues 3 and 1; the first's vector is (1, 1)/√2.
        let (value, vector) = leading_eigen(&[vec![2.0, 1.0], vec![1.0, 2.0]]).unwrap();
        assert!((value - 3.0).abs() < 1e-12);
        assert!((vector[0] - std::f64::consts::FRAC_1_SQRT_2).abs() < 1e-12);
        assert!((vector[1] - vector[0]).abs() < 1e-12);
    }
}
