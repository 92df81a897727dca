//! Where each node goes: its size from its name, then one layout per connected component
//! (stress for the core, rings for the leaves), overlaps removed, and the components packed
//! in rows, largest first.

use super::PictureNode;
use super::leaves;
use super::overlap::{self, Extent, Gaps};
use super::stress::{Component, Point};
use super::style::{self, Scale, Shape};
use super::text::{self, Weight};

/// Free space kept between two node boxes.
pub(crate) const NODE_GAP: f64 = 14.0;
/// Free space kept between two components.
const COMPONENT_GAP: f64 = 48.0;
/// The shortest visible stretch of an edge, when its label is shorter.
const MIN_EDGE_ROOM: f64 = 52.0;

/// How one node is drawn, before it is placed.
#[derive(Clone, Debug)]
pub(crate) struct Look {
    /// Its shape.
    pub(crate) shape: Shape,
    /// Its fill.
    pub(crate) scale: Scale,
    /// Its name, wrapped.
    pub(crate) lines: Vec<String>,
    /// Width of the shape.
    pub(crate) width: f64,
    /// Height of the shape.
    pub(crate) height: f64,
}

impl Look {
    /// The look of a node.
    pub(crate) fn of(node: &PictureNode) -> Look {
        let shape = Shape::of(node);
        let lines = text::wrap(
            &node.name,
            style::NAME_SIZE,
            style::NAME_WIDTH,
            style::NAME_LINES,
            Weight::Regular,
        );
        let widest = lines
            .iter()
            .map(|l| text::width(l, style::NAME_SIZE, Weight::Regular))
            .fold(0.0, f64::max);
        let width = (widest + 2.0 * shape.side_padding()).max(48.0).ceil();
        let height = (lines.len() as f64 * style::LINE_HEIGHT + 14.0).ceil();
        Look {
            shape,
            scale: Scale::of(node),
            lines,
            width,
            height,
        }
    }
}

/// An edge reduced to what placing needs: its ends and the width of its label.
pub(crate) struct Link {
    /// Index of one end.
    pub(crate) a: usize,
    /// Index of the other end.
    pub(crate) b: usize,
    /// Width of the relationship type as drawn.
    pub(crate) label_width: f64,
}

/// Centres for every node, in the order of `looks`; the smallest left is at x = 0 and the
/// smallest top at y = 0, and no two boxes (with `NODE_GAP` between) overlap.
pub(crate) fn centres(looks: &[Look], links: &[Link]) -> Vec<Point> {
    let adjacency = adjacency(looks, links);
    let components = components(&adjacency);
    let mut placed: Vec<(Vec<usize>, Vec<Point>)> = components
        .into_iter()
        .map(|members| {
            let points = place_component(looks, &adjacency, &members);
            (members, points)
        })
        .collect();
    placed.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0[0].cmp(&b.0[0])));
    pack(looks, &placed)
}

/// Neighbours of each node with the free length each edge should show between the boxes:
/// room for the longest label between them and its arrowhead. Self-loops are left out.
fn adjacency(looks: &[Look], links: &[Link]) -> Vec<Vec<(usize, f64)>> {
    let mut adjacency: Vec<Vec<(usize, f64)>> = vec![Vec::new(); looks.len()];
    for link in links.iter().filter(|l| l.a != l.b) {
        let room = (link.label_width + 36.0).max(MIN_EDGE_ROOM);
        add_neighbour(&mut adjacency[link.a], link.b, room);
        add_neighbour(&mut adjacency[link.b], link.a, room);
    }
    adjacency
}

/// Records a neighbour once, keeping the most room asked for.
fn add_neighbour(list: &mut Vec<(usize, f64)>, other: usize, room: f64) {
    match list.iter_mut().find(|(n, _)| *n == other) {
        Some(entry) => entry.1 = entry.1.max(room),
        None => list.push((other, room)),
    }
}

/// The connected components, each a list of node indexes in increasing order; components
/// come in the order of their lowest index.
fn components(adjacency: &[Vec<(usize, f64)>]) -> Vec<Vec<usize>> {
    let mut seen = vec![false; adjacency.len()];
    let mut result = Vec::new();
    for start in 0..adjacency.len() {
        if seen[start] {
            continue;
        }
        seen[start] = true;
        let mut members = vec![start];
        let mut next = 0;
        while next < members.len() {
            for &(n, _) in &adjacency[members[next]] {
                if !seen[n] {
                    seen[n] = true;
                    members.push(n);
                }
            }
            next += 1;
        }
        members.sort_unstable();
        result.push(members);
    }
    result
}

/// Places one component and removes its overlaps; centres are in the component's own frame.
fn place_component(
    looks: &[Look],
    adjacency: &[Vec<(usize, f64)>],
    members: &[usize],
) -> Vec<Point> {
    let local = |global: usize| {
        members
            .binary_search(&global)
            .expect("a neighbour is in its node's component")
    };
    let component = Component {
        adjacency: members
            .iter()
            .map(|&m| {
                adjacency[m]
                    .iter()
                    .map(|&(n, room)| (local(n), room))
                    .collect()
            })
            .collect(),
        halves: members
            .iter()
            .map(|&m| (looks[m].width / 2.0, looks[m].height / 2.0))
            .collect(),
        gap: NODE_GAP * 2.0,
    };
    let mut points = leaves::place(&component);
    let extents: Vec<Extent> = members.iter().map(|&m| extent(&looks[m])).collect();
    overlap::remove(
        &mut points,
        &extents,
        &Gaps {
            gap: NODE_GAP,
            rooms: &component.adjacency,
        },
    );
    points
}

/// Half the size of a node's box.
pub(crate) fn extent(look: &Look) -> Extent {
    Extent {
        half_w: look.width / 2.0,
        half_h: look.height / 2.0,
    }
}

/// The box around a placed component: (left, top, right, bottom).
fn bounds(looks: &[Look], members: &[usize], points: &[Point]) -> (f64, f64, f64, f64) {
    let mut b = (
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    );
    for (&m, p) in members.iter().zip(points) {
        let e = extent(&looks[m]);
        b = (
            b.0.min(p.x - e.half_w),
            b.1.min(p.y - e.half_h),
            b.2.max(p.x + e.half_w),
            b.3.max(p.y + e.half_h),
        );
    }
    b
}

/// Packs the placed components into rows (largest first), returning every node's centre.
fn pack(looks: &[Look], placed: &[(Vec<usize>, Vec<Point>)]) -> Vec<Point> {
    let boxes: Vec<(f64, f64, f64, f64)> =
        placed.iter().map(|(m, p)| bounds(looks, m, p)).collect();
    let area: f64 = boxes
        .iter()
        .map(|b| (b.2 - b.0 + COMPONENT_GAP) * (b.3 - b.1 + COMPONENT_GAP))
        .sum();
    let widest = boxes.iter().map(|b| b.2 - b.0).fold(0.0, f64::max);
    let row_width = widest.max(area.sqrt() * 1.3);
    let mut centres = vec![Point { x: 0.0, y: 0.0 }; looks.len()];
    let (mut x, mut y, mut row_height) = (0.0, 0.0, 0.0_f64);
    for ((members, points), b) in placed.iter().zip(&boxes) {
        let (w, h) = (b.2 - b.0, b.3 - b.1);
        if x > 0.0 && x + w > row_width {
            x = 0.0;
            y += row_height + COMPONENT_GAP;
            row_height = 0.0;
        }
        for (&m, p) in members.iter().zip(points) {
            centres[m] = Point {
                x: x + p.x - b.0,
                y: y + p.y - b.1,
            };
        }
        x += w + COMPONENT_GAP;
        row_height = row_height.max(h);
    }
    centres
}
