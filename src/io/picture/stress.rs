//! Places the nodes of one connected component by stress majorization (Gansner, Koren and
//! North, "Graph drawing by stress majorization", 2004): the straight-line distance between
//! every two nodes is made as close as it can be to their distance along the graph.
//!
//! The start is classical multidimensional scaling (power iteration from a fixed vector), so
//! there is no randomness: the same graph always gives the same places.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// A point or a vector.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Point {
    /// Left to right.
    pub(crate) x: f64,
    /// Top to bottom.
    pub(crate) y: f64,
}

/// A graph for placing: `adjacency[i]` lists `(j, length)` for every edge between i and j,
/// both ways, with the length an edge should be drawn at.
pub(crate) struct Component {
    /// Neighbours and ideal edge lengths, by node.
    pub(crate) adjacency: Vec<Vec<(usize, f64)>>,
}

/// Iterations of stress majorization at most.
const MAX_ITERATIONS: usize = 300;
/// Stop when an iteration lowers the stress by less than this fraction.
const TOLERANCE: f64 = 1e-4;
/// Iterations of power iteration for each coordinate of the start.
const POWER_ITERATIONS: usize = 100;

/// Places the component's nodes; returns one centre per node.
pub(crate) fn place(component: &Component) -> Vec<Point> {
    let n = component.adjacency.len();
    match n {
        0 => Vec::new(),
        1 => vec![Point { x: 0.0, y: 0.0 }],
        _ => {
            let distances = shortest_paths(component);
            let mut points = classical_scaling(&distances);
            separate_coincident(&mut points);
            majorize(&distances, &mut points);
            points
        }
    }
}

/// A heap entry for Dijkstra's algorithm: the nearest first, then the lowest index.
#[derive(PartialEq)]
struct Entry(f64, usize);

impl Eq for Entry {}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.total_cmp(&self.0).then_with(|| other.1.cmp(&self.1))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Graph distances between every two nodes (the component is connected).
fn shortest_paths(component: &Component) -> Vec<Vec<f64>> {
    (0..component.adjacency.len()).map(|source| dijkstra(component, source)).collect()
}

/// Graph distances from `source`.
fn dijkstra(component: &Component, source: usize) -> Vec<f64> {
    let mut distance = vec![f64::INFINITY; component.adjacency.len()];
    let mut heap = BinaryHeap::new();
    distance[source] = 0.0;
    heap.push(Entry(0.0, source));
    while let Some(Entry(d, node)) = heap.pop() {
        if d > distance[node] {
            continue;
        }
        for &(next, length) in &component.adjacency[node] {
            let through = d + length;
            if through < distance[next] {
                distance[next] = through;
                heap.push(Entry(through, next));
            }
        }
    }
    distance
}

/// The two main axes of classical multidimensional scaling of `distances`.
fn classical_scaling(distances: &[Vec<f64>]) -> Vec<Point> {
    let b = double_centred(distances);
    let first = principal_axis(&b, None);
    let second = principal_axis(&b, Some(&first));
    first.0.iter().zip(&second.0).map(|(&x, &y)| Point { x, y }).collect()
}

/// −½·J·D²·J, where J removes the mean: the matrix whose main eigenvectors give the places.
fn double_centred(distances: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let n = distances.len();
    let squared: Vec<Vec<f64>> =
        distances.iter().map(|row| row.iter().map(|d| d * d).collect()).collect();
    let row_mean: Vec<f64> = squared.iter().map(|row| row.iter().sum::<f64>() / n as f64).collect();
    let mean = row_mean.iter().sum::<f64>() / n as f64;
    (0..n)
        .map(|i| (0..n).map(|j| -0.5 * (squared[i][j] - row_mean[i] - row_mean[j] + mean)).collect())
        .collect()
}

/// The eigenvector of `b` with the largest eigenvalue (orthogonal to `other` if given),
/// scaled by the root of its eigenvalue.
fn principal_axis(b: &[Vec<f64>], other: Option<&(Vec<f64>, f64)>) -> (Vec<f64>, f64) {
    let n = b.len();
    // A fixed, uneven start vector, so the result never depends on chance.
    let mut v: Vec<f64> = (0..n).map(|i| ((i * 7919 % 101) as f64 / 101.0) - 0.5 + 1e-3 * i as f64).collect();
    let mut eigenvalue = 0.0;
    for _ in 0..POWER_ITERATIONS {
        if let Some((u, _)) = other {
            remove_component(&mut v, u);
        }
        let next: Vec<f64> = b.iter().map(|row| dot(row, &v)).collect();
        let norm = dot(&next, &next).sqrt();
        if norm < 1e-12 {
            break;
        }
        eigenvalue = norm;
        v = next.iter().map(|x| x / norm).collect();
    }
    let scale = eigenvalue.max(0.0).sqrt();
    (v.iter().map(|x| x * scale).collect(), scale)
}

/// Removes from `v` its part along the direction of `u`.
fn remove_component(v: &mut [f64], u: &[f64]) {
    let uu = dot(u, u);
    if uu < 1e-12 {
        return;
    }
    let k = dot(v, u) / uu;
    for (x, y) in v.iter_mut().zip(u) {
        *x -= k * y;
    }
}

/// The dot product.
fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Moves apart nodes that start on the same spot (symmetric graphs can give that), by a
/// fixed small step per node.
fn separate_coincident(points: &mut [Point]) {
    for (i, p) in points.iter_mut().enumerate() {
        let angle = i as f64 * 2.399_963; // the golden angle: no two nodes get the same nudge
        p.x += angle.cos() * (1.0 + i as f64 * 0.01);
        p.y += angle.sin() * (1.0 + i as f64 * 0.01);
    }
}

/// Stress majorization, one node at a time, until the stress stops falling.
fn majorize(distances: &[Vec<f64>], points: &mut [Point]) {
    let mut previous = stress(distances, points);
    for _ in 0..MAX_ITERATIONS {
        for i in 0..points.len() {
            points[i] = improved(distances, points, i);
        }
        let current = stress(distances, points);
        if previous - current < TOLERANCE * previous {
            break;
        }
        previous = current;
    }
}

/// The place for node `i` that lowers the stress most with the others held still.
fn improved(distances: &[Vec<f64>], points: &[Point], i: usize) -> Point {
    let (mut x, mut y, mut total) = (0.0, 0.0, 0.0);
    let p = points[i];
    for (j, q) in points.iter().enumerate() {
        let d = distances[i][j];
        if j == i || d <= 0.0 {
            continue;
        }
        let weight = 1.0 / (d * d);
        let (dx, dy) = (p.x - q.x, p.y - q.y);
        let apart = (dx * dx + dy * dy).sqrt().max(1e-9);
        x += weight * (q.x + d * dx / apart);
        y += weight * (q.y + d * dy / apart);
        total += weight;
    }
    if total == 0.0 { p } else { Point { x: x / total, y: y / total } }
}

/// Σ (‖pᵢ − pⱼ‖ − dᵢⱼ)² / dᵢⱼ² over every pair.
fn stress(distances: &[Vec<f64>], points: &[Point]) -> f64 {
    let mut sum = 0.0;
    for i in 0..points.len() {
        for j in i + 1..points.len() {
            let d = distances[i][j];
            if d <= 0.0 {
                continue;
            }
            let apart = ((points[i].x - points[j].x).powi(2) + (points[i].y - points[j].y).powi(2)).sqrt();
            sum += (apart - d).powi(2) / (d * d);
        }
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(n: usize) -> Component {
        let mut adjacency = vec![Vec::new(); n];
        for i in 1..n {
            adjacency[i - 1].push((i, 100.0));
            adjacency[i].push((i - 1, 100.0));
        }
        Component { adjacency }
    }

    #[test]
    fn neighbours_end_up_about_one_edge_length_apart() {
        let points = place(&path(4));
        for w in points.windows(2) {
            let apart = ((w[0].x - w[1].x).powi(2) + (w[0].y - w[1].y).powi(2)).sqrt();
            assert!((apart - 100.0).abs() < 5.0, "{apart}");
        }
    }

    #[test]
    fn placing_is_deterministic() {
        let a = place(&path(7));
        let b = place(&path(7));
        assert_eq!(a, b);
    }
}
