//! Places the nodes of one connected component by stress majorization (Gansner, Koren and
//! North, "Graph drawing by stress majorization", 2004): the straight-line distance between
//! every two nodes is made as close as it can be to their distance along the graph.
//!
//! Nodes are boxes, not points, so the distance wanted between two nodes depends on the
//! direction between them: for neighbours, the two boxes' reach along that direction plus
//! the room the edge's label needs; for any pair, at least enough that the boxes do not
//! overlap. These targets are worked out afresh at every step.
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

/// A graph for placing.
pub(crate) struct Component {
    /// `adjacency[i]` lists `(j, room)` for every edge between i and j, both ways, with the
    /// free length the edge should show between the two boxes.
    pub(crate) adjacency: Vec<Vec<(usize, f64)>>,
    /// Half the width and half the height of each node's box.
    pub(crate) halves: Vec<(f64, f64)>,
    /// The free space wanted between any two boxes.
    pub(crate) gap: f64,
}

impl Component {
    /// The graph length of the edge from i to j with this room: the boxes' average reach
    /// plus the room.
    fn length(&self, i: usize, j: usize, room: f64) -> f64 {
        let radius = |k: usize| 0.85 * norm(self.halves[k].0, self.halves[k].1);
        radius(i) + radius(j) + room
    }

    /// The furthest box k reaches from its centre, in any direction.
    fn furthest(&self, k: usize) -> f64 {
        norm(self.halves[k].0, self.halves[k].1)
    }

    /// How far box k reaches from its centre along the unit vector (ux, uy).
    fn reach(&self, k: usize, ux: f64, uy: f64) -> f64 {
        let (hw, hh) = self.halves[k];
        (hw / ux.abs().max(1e-9)).min(hh / uy.abs().max(1e-9))
    }
}

/// How much more an edge's own length counts than the distance between two nodes that are
/// not neighbours: edges keep room for their labels, and the hub's neighbours do not crowd
/// it.
const EDGE_WEIGHT: f64 = 4.0;
/// Iterations of stress majorization at most.
const MAX_ITERATIONS: usize = 100;
/// Stop when no node moved further than this in an iteration, in pixels.
const TOLERANCE: f64 = 0.5;
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
            level(&mut points);
            let targets = Targets::new(component, distances);
            majorize(component, &targets, &mut points);
            points
        }
    }
}

/// The length of the vector (x, y). `f64::hypot` is the platform's, and platforms round it
/// differently; a square root is the same everywhere.
pub(crate) fn norm(x: f64, y: f64) -> f64 {
    (x * x + y * y).sqrt()
}

/// A heap entry for Dijkstra's algorithm: the nearest first, then the lowest index.
#[derive(PartialEq)]
struct Entry(f64, usize);

impl Eq for Entry {}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .0
            .total_cmp(&self.0)
            .then_with(|| other.1.cmp(&self.1))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Graph distances between every two nodes (the component is connected).
fn shortest_paths(component: &Component) -> Vec<Vec<f64>> {
    (0..component.adjacency.len())
        .map(|source| dijkstra(component, source))
        .collect()
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
        for &(next, room) in &component.adjacency[node] {
            let through = d + component.length(node, next, room);
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
    first
        .0
        .iter()
        .zip(&second.0)
        .map(|(&x, &y)| Point { x, y })
        .collect()
}

/// −½·J·D²·J, where J removes the mean: the matrix whose main eigenvectors give the places.
fn double_centred(distances: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let n = distances.len();
    let squared: Vec<Vec<f64>> = distances
        .iter()
        .map(|row| row.iter().map(|d| d * d).collect())
        .collect();
    let row_mean: Vec<f64> = squared
        .iter()
        .map(|row| row.iter().sum::<f64>() / n as f64)
        .collect();
    let mean = row_mean.iter().sum::<f64>() / n as f64;
    (0..n)
        .map(|i| {
            (0..n)
                .map(|j| -0.5 * (squared[i][j] - row_mean[i] - row_mean[j] + mean))
                .collect()
        })
        .collect()
}

/// The eigenvector of `b` with the largest eigenvalue (orthogonal to `other` if given),
/// scaled by the root of its eigenvalue.
fn principal_axis(b: &[Vec<f64>], other: Option<&(Vec<f64>, f64)>) -> (Vec<f64>, f64) {
    let n = b.len();
    // A fixed, uneven start vector, so the result never depends on chance.
    let mut v: Vec<f64> = (0..n)
        .map(|i| ((i * 7919 % 101) as f64 / 101.0) - 0.5 + 1e-3 * i as f64)
        .collect();
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

/// Moves apart nodes that start on the same spot (symmetric graphs can give that), each by
/// its own small step (integer arithmetic only, so every platform gets the same places).
fn separate_coincident(points: &mut [Point]) {
    for (i, p) in points.iter_mut().enumerate() {
        p.x += ((i * 37 % 17) as f64 - 8.0) * 0.25;
        p.y += ((i * 53 % 19) as f64 - 9.0) * 0.25;
    }
}

/// What is wanted of one pair of nodes.
#[derive(Clone, Copy, Default)]
struct Pair {
    /// Their graph distance.
    distance: f64,
    /// How much it counts: 1/d², times `EDGE_WEIGHT` for neighbours.
    weight: f64,
    /// For neighbours, the free length their edge should show; 0 for other pairs.
    room: f64,
    /// Whether the distance is wanted whatever the direction (the boxes cannot overlap).
    fixed: bool,
}

/// What is wanted of every pair, row by row (n × n), and each row's total weight.
struct Targets {
    /// The pairs, `pairs[i * n + j]`.
    pairs: Vec<Pair>,
    /// Σⱼ weight, by row.
    row_weight: Vec<f64>,
}

impl Targets {
    /// The targets of a component with these graph distances.
    fn new(component: &Component, distances: Vec<Vec<f64>>) -> Targets {
        let n = distances.len();
        let mut pairs = vec![Pair::default(); n * n];
        for (i, row) in distances.iter().enumerate() {
            for (j, &d) in row.iter().enumerate() {
                let far = d >= component.furthest(i) + component.furthest(j) + component.gap;
                let weight = if i == j || d <= 0.0 {
                    0.0
                } else {
                    1.0 / (d * d)
                };
                pairs[i * n + j] = Pair {
                    distance: d,
                    weight,
                    room: 0.0,
                    fixed: far,
                };
            }
        }
        for (i, neighbours) in component.adjacency.iter().enumerate() {
            for &(j, room) in neighbours {
                let pair = &mut pairs[i * n + j];
                *pair = Pair {
                    weight: pair.weight * EDGE_WEIGHT,
                    room,
                    fixed: false,
                    ..*pair
                };
            }
        }
        let row_weight = pairs
            .chunks(n.max(1))
            .map(|row| row.iter().map(|p| p.weight).sum())
            .collect();
        Targets { pairs, row_weight }
    }

    /// The distance wanted between i and j when j lies along (ux, uy) from i.
    fn wanted(component: &Component, pair: &Pair, i: usize, j: usize, ux: f64, uy: f64) -> f64 {
        if pair.fixed {
            return pair.distance;
        }
        let reach = component.reach(i, ux, uy) + component.reach(j, ux, uy);
        if pair.room > 0.0 {
            reach + pair.room
        } else {
            pair.distance.max(reach + component.gap)
        }
    }
}

/// Centres the points on their mean and turns them so that they spread most along x
/// (pictures are read on screens wider than tall). Square roots only, no trigonometry, so
/// every platform gets the same places.
fn level(points: &mut [Point]) {
    let n = points.len() as f64;
    let mean = Point {
        x: points.iter().map(|p| p.x).sum::<f64>() / n,
        y: points.iter().map(|p| p.y).sum::<f64>() / n,
    };
    let (mut a, mut b, mut c) = (0.0, 0.0, 0.0);
    for p in points.iter() {
        let (x, y) = (p.x - mean.x, p.y - mean.y);
        a += x * x;
        b += x * y;
        c += y * y;
    }
    let major = (a + c) / 2.0 + norm((a - c) / 2.0, b);
    let (ux, uy) = if b.abs() > 1e-12 {
        (major - c, b)
    } else if a >= c {
        (1.0, 0.0)
    } else {
        (0.0, 1.0)
    };
    let length = norm(ux, uy);
    let (cos, sin) = (ux / length, uy / length);
    for p in points.iter_mut() {
        let (x, y) = (p.x - mean.x, p.y - mean.y);
        *p = Point {
            x: x * cos + y * sin,
            y: -x * sin + y * cos,
        };
    }
}

/// Stress majorization, one node at a time, until no node moves more than `TOLERANCE`.
fn majorize(component: &Component, targets: &Targets, points: &mut [Point]) {
    for _ in 0..MAX_ITERATIONS {
        let mut moved: f64 = 0.0;
        for i in 0..points.len() {
            let next = improved(component, targets, points, i);
            moved = moved
                .max((next.x - points[i].x).abs())
                .max((next.y - points[i].y).abs());
            points[i] = next;
        }
        if moved < TOLERANCE {
            break;
        }
    }
}

/// The place for node `i` that lowers the stress most with the others held still.
fn improved(component: &Component, targets: &Targets, points: &[Point], i: usize) -> Point {
    let total = targets.row_weight[i];
    let p = points[i];
    if total == 0.0 {
        return p;
    }
    let row = &targets.pairs[i * points.len()..(i + 1) * points.len()];
    let (mut x, mut y) = (0.0, 0.0);
    for (j, (q, pair)) in points.iter().zip(row).enumerate() {
        if pair.weight == 0.0 {
            continue;
        }
        let (dx, dy) = (p.x - q.x, p.y - q.y);
        let apart = (dx * dx + dy * dy).sqrt().max(1e-9);
        let (ux, uy) = (dx / apart, dy / apart);
        let d = Targets::wanted(component, pair, i, j, ux, uy);
        x += pair.weight * (q.x + d * ux);
        y += pair.weight * (q.y + d * uy);
    }
    Point {
        x: x / total,
        y: y / total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(n: usize) -> Component {
        let mut adjacency = vec![Vec::new(); n];
        for i in 1..n {
            adjacency[i - 1].push((i, 60.0));
            adjacency[i].push((i - 1, 60.0));
        }
        Component {
            adjacency,
            halves: vec![(20.0, 20.0); n],
            gap: 10.0,
        }
    }

    #[test]
    fn neighbours_end_up_about_their_boxes_and_room_apart() {
        let points = place(&path(4));
        for w in points.windows(2) {
            let (dx, dy) = ((w[0].x - w[1].x).abs(), (w[0].y - w[1].y).abs());
            let apart = dx.hypot(dy);
            let free = apart - 40.0 / (dx / apart).max(dy / apart);
            assert!((free - 60.0).abs() < 8.0, "{free}");
        }
    }

    #[test]
    fn placing_is_deterministic() {
        let a = place(&path(7));
        let b = place(&path(7));
        assert_eq!(a, b);
    }
}
