//! Places a connected component in two steps: its core (the nodes with more than one
//! neighbour) by stress majorization, then each leaf (a node with one neighbour) around its
//! neighbour, in rings filling the widest free angle between that node's other edges.
//!
//! Maps often have a hub with many leaves (a person and the factors of their life). Stress
//! alone asks every two of those leaves to stand two edges apart, which no drawing can
//! give them: they spread out on one huge ring. Rings of leaves stay compact.
//!
//! Angles use the small polynomial `sin_cos` and `atan2` below rather than the platform's
//! maths library, so every platform draws the same picture.

use std::f64::consts::{PI, TAU};

use super::stress::{self, Component, Point, norm};

/// Angle left free on each side of a node's other edges, in radians.
const CLEARANCE: f64 = 0.3;

/// Places every node of a connected component (no overlap removal yet).
pub(crate) fn place(component: &Component) -> Vec<Point> {
    let n = component.adjacency.len();
    let is_leaf = |i: usize| component.adjacency[i].len() == 1;
    if n <= 2 || (0..n).all(|i| !is_leaf(i)) {
        return stress::place(component);
    }
    let core: Vec<usize> = (0..n).filter(|&i| !is_leaf(i)).collect();
    let mut points = vec![Point { x: 0.0, y: 0.0 }; n];
    for (&node, point) in core.iter().zip(stress::place(&core_of(component, &core))) {
        points[node] = point;
    }
    for &parent in &core {
        let leaves: Vec<(usize, f64)> = component.adjacency[parent]
            .iter()
            .copied()
            .filter(|&(leaf, _)| is_leaf(leaf))
            .collect();
        if !leaves.is_empty() {
            ring(component, &mut points, parent, &leaves);
        }
    }
    points
}

/// The component made of the `core` nodes only (indexes renumbered in `core`'s order).
fn core_of(component: &Component, core: &[usize]) -> Component {
    let local = |i: usize| core.binary_search(&i).ok();
    Component {
        adjacency: core
            .iter()
            .map(|&i| {
                component.adjacency[i]
                    .iter()
                    .filter_map(|&(j, room)| local(j).map(|k| (k, room)))
                    .collect()
            })
            .collect(),
        halves: core.iter().map(|&i| component.halves[i]).collect(),
        gap: component.gap,
    }
}

/// Places `leaves` (`(leaf, room)`) around `parent` in rings within its widest free angle.
fn ring(component: &Component, points: &mut [Point], parent: usize, leaves: &[(usize, f64)]) {
    let (centre, span) = free_angle(component, points, parent);
    let furthest = |i: usize| norm(component.halves[i].0, component.halves[i].1);
    let room = leaves.iter().map(|&(_, r)| r).fold(0.0, f64::max);
    let leaf_reach = leaves.iter().map(|&(l, _)| furthest(l)).fold(0.0, f64::max);
    // Room along a ring for one leaf: wide boxes sit side by side above and below the
    // parent and on top of one another beside it; this is between the two.
    let footprint = leaves
        .iter()
        .map(|&(l, _)| component.halves[l].0 + component.halves[l].1)
        .fold(0.0, f64::max)
        + 2.0 * component.gap;
    let mut radius = furthest(parent) + room + leaf_reach * 0.8;
    let mut placed = 0;
    while placed < leaves.len() {
        let capacity = ((span * radius / footprint).floor() as usize).max(1);
        let count = capacity.min(leaves.len() - placed);
        for k in 0..count {
            let angle = centre - span / 2.0 + span * (k as f64 + 0.5) / count as f64;
            let (sin, cos) = sin_cos(angle);
            let p = points[parent];
            points[leaves[placed + k].0] = Point {
                x: p.x + radius * cos,
                y: p.y + radius * sin,
            };
        }
        placed += count;
        radius += footprint;
    }
}

/// The middle and the width of the widest angle around `parent` free of its edges to core
/// nodes (the whole turn, starting upwards, when it has none).
fn free_angle(component: &Component, points: &[Point], parent: usize) -> (f64, f64) {
    let p = points[parent];
    let mut angles: Vec<f64> = component.adjacency[parent]
        .iter()
        .filter(|&&(j, _)| component.adjacency[j].len() > 1)
        .map(|&(j, _)| atan2(points[j].y - p.y, points[j].x - p.x))
        .collect();
    if angles.is_empty() {
        return (-PI / 2.0, TAU);
    }
    angles.sort_by(f64::total_cmp);
    let mut best = (angles[0], 0.0);
    for (k, &a) in angles.iter().enumerate() {
        let next = if k + 1 < angles.len() {
            angles[k + 1]
        } else {
            angles[0] + TAU
        };
        if next - a > best.1 {
            best = (a, next - a);
        }
    }
    let (start, gap) = best;
    let span = (gap - 2.0 * CLEARANCE).max(gap * 0.5);
    (start + gap / 2.0, span)
}

/// Sine and cosine, from their Taylor series after reduction to [−π, π] (error below 1e-8).
fn sin_cos(angle: f64) -> (f64, f64) {
    let x = angle - TAU * ((angle + PI) / TAU).floor();
    let x2 = x * x;
    let (mut sin, mut cos) = (0.0, 0.0);
    let (mut s_term, mut c_term) = (x, 1.0);
    for k in 0..12 {
        sin += s_term;
        cos += c_term;
        let k = f64::from(k);
        s_term *= -x2 / ((2.0 * k + 2.0) * (2.0 * k + 3.0));
        c_term *= -x2 / ((2.0 * k + 1.0) * (2.0 * k + 2.0));
    }
    (sin, cos)
}

/// The angle of the vector (x, y), in (−π, π], from a polynomial for the arctangent on
/// [0, 1] (error below 1e-5).
fn atan2(y: f64, x: f64) -> f64 {
    if x == 0.0 && y == 0.0 {
        return 0.0;
    }
    let (ax, ay) = (x.abs(), y.abs());
    let z = ax.min(ay) / ax.max(ay);
    let z2 = z * z;
    let mut a = z
        * (0.999_977_26
            + z2 * (-0.332_623_47
                + z2 * (0.193_543_46
                    + z2 * (-0.116_432_87 + z2 * (0.052_653_32 - z2 * 0.011_721_20)))));
    if ay > ax {
        a = PI / 2.0 - a;
    }
    if x < 0.0 {
        a = PI - a;
    }
    if y < 0.0 { -a } else { a }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trigonometry_is_close_to_the_library() {
        for k in -40..=40 {
            let angle = f64::from(k) * 0.37;
            let (s, c) = sin_cos(angle);
            assert!(
                (s - angle.sin()).abs() < 1e-7 && (c - angle.cos()).abs() < 1e-7,
                "{angle}"
            );
            let (y, x) = (angle.sin() * 3.0, angle.cos() * 3.0);
            assert!((atan2(y, x) - y.atan2(x)).abs() < 1e-4, "{angle}");
        }
    }

    #[test]
    fn a_star_is_compact() {
        let n = 200;
        let mut adjacency = vec![Vec::new(); n];
        for i in 1..n {
            adjacency[0].push((i, 80.0));
            adjacency[i].push((0, 80.0));
        }
        let component = Component {
            adjacency,
            halves: vec![(70.0, 15.0); n],
            gap: 28.0,
        };
        let points = place(&component);
        let furthest = points.iter().map(|p| p.x.hypot(p.y)).fold(0.0, f64::max);
        assert!(furthest < 2500.0, "{furthest}");
    }
}
