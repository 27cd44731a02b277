//! Metrics: rank correlation, accuracy and confusion matrices.

/// Ranks with ties given their average rank (1-based).
pub fn average_ranks(x: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..x.len()).collect();
    idx.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut ranks = vec![0.0; x.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && x[idx[j + 1]] == x[idx[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        for k in i..=j {
            ranks[idx[k]] = avg;
        }
        i = j + 1;
    }
    ranks
}

/// Pearson correlation; 0 when either side is constant.
pub fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len().min(y.len()) as f64;
    if n < 2.0 {
        return 0.0;
    }
    let mx = x.iter().sum::<f64>() / n;
    let my = y.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    if sxx == 0.0 || syy == 0.0 {
        0.0
    } else {
        sxy / (sxx * syy).sqrt()
    }
}

/// Spearman correlation: Pearson of average ranks (the tie-corrected form).
pub fn spearman(x: &[f64], y: &[f64]) -> f64 {
    pearson(&average_ranks(x), &average_ranks(y))
}

/// A confusion matrix over named classes.
pub struct Confusion {
    pub labels: Vec<&'static str>,
    pub counts: Vec<Vec<usize>>,
}

impl Confusion {
    pub fn new(labels: Vec<&'static str>) -> Confusion {
        let n = labels.len();
        Confusion {
            labels,
            counts: vec![vec![0; n]; n],
        }
    }

    pub fn add(&mut self, gold: &str, predicted: &str) {
        let g = self.labels.iter().position(|l| *l == gold);
        let p = self.labels.iter().position(|l| *l == predicted);
        if let (Some(g), Some(p)) = (g, p) {
            self.counts[g][p] += 1;
        }
    }

    pub fn total(&self) -> usize {
        self.counts.iter().flatten().sum()
    }

    pub fn accuracy(&self) -> f64 {
        let right: usize = (0..self.labels.len()).map(|i| self.counts[i][i]).sum();
        if self.total() == 0 {
            0.0
        } else {
            right as f64 / self.total() as f64
        }
    }

    /// A Markdown table, gold in rows and predictions in columns.
    pub fn table(&self) -> String {
        let mut s = String::from("| gold \\ predicted |");
        for l in &self.labels {
            s.push_str(&format!(" {l} |"));
        }
        s.push_str("\n|---|");
        s.push_str(&"---:|".repeat(self.labels.len()));
        s.push('\n');
        for (i, l) in self.labels.iter().enumerate() {
            s.push_str(&format!("| {l} |"));
            for c in &self.counts[i] {
                s.push_str(&format!(" {c} |"));
            }
            s.push('\n');
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_get_average_ranks() {
        assert_eq!(
            average_ranks(&[10.0, 20.0, 10.0, 30.0]),
            vec![1.5, 3.0, 1.5, 4.0]
        );
    }

    #[test]
    fn spearman_of_monotone_is_one() {
        let x = [1.0, 2.0, 3.0, 4.0];
        assert!((spearman(&x, &[10.0, 20.0, 25.0, 100.0]) - 1.0).abs() < 1e-12);
        assert!((spearman(&x, &[4.0, 3.0, 2.0, 1.0]) + 1.0).abs() < 1e-12);
    }

    #[test]
    fn confusion_counts_accuracy() {
        let mut c = Confusion::new(vec!["a", "b"]);
        c.add("a", "a");
        c.add("a", "b");
        c.add("b", "b");
        c.add("b", "b");
        assert_eq!(c.accuracy(), 0.75);
        assert!(c.table().contains("| a | 1 | 1 |"));
    }
}
