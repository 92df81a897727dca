//! How each edge is drawn once the nodes are placed: a straight line between the two shapes'
//! outlines, a curve when two nodes have more than one edge between them (so each stays
//! visible), a loop on the top right of a node for a self-loop; and where its relationship
//! type is written, on the edge but off every node and off the labels already placed.

use std::collections::BTreeMap;

use super::place::Look;
use super::stress::Point;
use super::style::{self, Shape};
use super::text::{self, Weight};

/// How far a detour around a node in the way steps out, each try (at the edge's middle).
const DETOUR_STEP: f64 = 16.0;
/// Tries to each side for a detour.
const DETOUR_TRIES: usize = 8;
/// Straight pieces a curve is checked as.
const CURVE_STEPS: usize = 12;
/// How far apart parallel edges between the same two nodes bulge, at their middles.
const PARALLEL_SPACING: f64 = 24.0;
/// The size of the first self-loop on a node; each further one is larger.
const LOOP_SIZE: f64 = 30.0;
/// How much an edge's line stops short of the arrow's tip (the arrowhead covers the rest).
pub(crate) const ARROW_INSET: f64 = 5.0;
/// Where along an edge its label may sit, in order of preference.
const LABEL_SPOTS: [f64; 7] = [0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78];
/// Height of a label's box.
pub(crate) const LABEL_HEIGHT: f64 = 11.0;

/// A placed node, as routing sees it.
pub(crate) struct Placed<'a> {
    /// Its centre.
    pub(crate) centre: Point,
    /// Its shape and size.
    pub(crate) look: &'a Look,
}

/// An edge to route.
pub(crate) struct Wire<'a> {
    /// Index of the start node.
    pub(crate) start: usize,
    /// Index of the end node.
    pub(crate) end: usize,
    /// The relationship type.
    pub(crate) rel_type: &'a str,
}

/// The line of an edge, from its start to just short of the arrow's tip.
#[derive(Clone, Debug)]
pub(crate) enum Course {
    /// A straight line.
    Line(Point, Point),
    /// A quadratic curve: start, control, end.
    Curve(Point, Point, Point),
    /// A cubic curve (a self-loop): start, two controls, end.
    Loop(Point, Point, Point, Point),
}

/// A routed edge.
#[derive(Clone, Debug)]
pub(crate) struct Route {
    /// Its line.
    pub(crate) course: Course,
    /// The centre of its label.
    pub(crate) label_at: Point,
    /// The width of its label's box.
    pub(crate) label_width: f64,
}

/// An axis-aligned box: left, top, right, bottom.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Rect(
    pub(crate) f64,
    pub(crate) f64,
    pub(crate) f64,
    pub(crate) f64,
);

impl Rect {
    /// Whether two boxes share any area.
    pub(crate) fn meets(&self, other: &Rect) -> bool {
        self.0 < other.2 && other.0 < self.2 && self.1 < other.3 && other.1 < self.3
    }

    /// The box around a label centred on `at`.
    fn label(at: Point, width: f64) -> Rect {
        Rect(
            at.x - width / 2.0,
            at.y - LABEL_HEIGHT / 2.0,
            at.x + width / 2.0,
            at.y + LABEL_HEIGHT / 2.0,
        )
    }
}

/// The width of an edge label's box, text and a little padding.
pub(crate) fn label_width(rel_type: &str) -> f64 {
    text::width(rel_type, style::EDGE_LABEL_SIZE, Weight::Regular) + 4.0
}

/// Routes every edge, in order.
pub(crate) fn route(nodes: &[Placed], wires: &[Wire]) -> Vec<Route> {
    let node_boxes: Vec<Rect> = nodes.iter().map(node_rect).collect();
    let mut siblings: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    for wire in wires {
        *siblings.entry(pair(wire)).or_default() += 1;
    }
    let mut ranks: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    let mut detours: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    let courses: Vec<Course> = wires
        .iter()
        .map(|wire| {
            let key = pair(wire);
            let rank = ranks.entry(key).or_default();
            *rank += 1;
            if wire.start == wire.end {
                return self_loop(&nodes[wire.start], *rank - 1);
            }
            let detour = *detours
                .entry(key)
                .or_insert_with(|| detour(nodes, &node_boxes, key));
            let spread =
                ((*rank - 1) as f64 - (siblings[&key] as f64 - 1.0) / 2.0) * PARALLEL_SPACING;
            between(
                &nodes[wire.start],
                &nodes[wire.end],
                wire.start < wire.end,
                detour + spread,
            )
        })
        .collect();
    let lines: Vec<Polyline> = courses.iter().map(Polyline::of).collect();
    let mut obstacles = Obstacles {
        nodes: node_boxes,
        labels: Vec::with_capacity(wires.len()),
        lines: &lines,
    };
    courses
        .into_iter()
        .zip(wires)
        .enumerate()
        .map(|(i, (course, wire))| {
            let width = label_width(wire.rel_type);
            let label_at = label_spot(&course, width, &obstacles, i);
            obstacles.labels.push(Rect::label(label_at, width));
            Route {
                course,
                label_at,
                label_width: width,
            }
        })
        .collect()
}

/// A course as straight pieces, and the box around them.
struct Polyline {
    /// The corners, start to end.
    points: Vec<Point>,
    /// The box around them.
    hull: Rect,
}

impl Polyline {
    /// A course as straight pieces (a line as itself, a curve as `CURVE_STEPS` pieces).
    fn of(course: &Course) -> Polyline {
        let points: Vec<Point> = match course {
            Course::Line(a, b) => vec![*a, *b],
            _ => (0..=CURVE_STEPS)
                .map(|k| point_at(course, k as f64 / CURVE_STEPS as f64))
                .collect(),
        };
        let hull = points.iter().fold(
            Rect(
                f64::INFINITY,
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::NEG_INFINITY,
            ),
            |r, p| Rect(r.0.min(p.x), r.1.min(p.y), r.2.max(p.x), r.3.max(p.y)),
        );
        Polyline { points, hull }
    }

    /// Whether any piece enters the box.
    fn meets(&self, r: &Rect) -> bool {
        self.hull.meets(r) && self.points.windows(2).any(|w| segment_meets(w[0], w[1], r))
    }
}

/// What a label should keep off: nodes, the labels placed so far, and the other edges.
struct Obstacles<'a> {
    /// Node boxes.
    nodes: Vec<Rect>,
    /// Labels placed so far.
    labels: Vec<Rect>,
    /// Every edge's line.
    lines: &'a [Polyline],
}

/// The two ends of an edge, lower index first.
fn pair(wire: &Wire) -> (usize, usize) {
    (wire.start.min(wire.end), wire.start.max(wire.end))
}

/// How far the edges between a pair of nodes must bulge (in the lower index's frame) so
/// that their middle line passes through no other node: the smallest of 0, ±step, ±2·step, …
/// that is clear, or 0 when none is.
fn detour(nodes: &[Placed], boxes: &[Rect], (lo, hi): (usize, usize)) -> f64 {
    let mut tries = (0..=DETOUR_TRIES)
        .flat_map(|k| [k as f64 * DETOUR_STEP, -(k as f64) * DETOUR_STEP])
        .skip(1);
    tries
        .find(|&bulge| clear(&between(&nodes[lo], &nodes[hi], true, bulge), boxes, lo, hi))
        .unwrap_or(0.0)
}

/// Whether a course between nodes a and b passes through no other node's box.
fn clear(course: &Course, boxes: &[Rect], a: usize, b: usize) -> bool {
    let line = Polyline::of(course);
    boxes
        .iter()
        .enumerate()
        .filter(|&(k, _)| k != a && k != b)
        .all(|(_, r)| !line.meets(&Rect(r.0 - 3.0, r.1 - 3.0, r.2 + 3.0, r.3 + 3.0)))
}

/// Whether the segment a–b enters the box (Liang–Barsky clipping).
fn segment_meets(a: Point, b: Point, r: &Rect) -> bool {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
    for (p, q) in [
        (-dx, a.x - r.0),
        (dx, r.2 - a.x),
        (-dy, a.y - r.1),
        (dy, r.3 - a.y),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return false;
            }
            continue;
        }
        let t = q / p;
        if p < 0.0 {
            t0 = t0.max(t);
        } else {
            t1 = t1.min(t);
        }
        if t0 > t1 {
            return false;
        }
    }
    true
}

/// The box of a placed node.
fn node_rect(node: &Placed) -> Rect {
    let (hw, hh) = (node.look.width / 2.0, node.look.height / 2.0);
    Rect(
        node.centre.x - hw,
        node.centre.y - hh,
        node.centre.x + hw,
        node.centre.y + hh,
    )
}

/// The line between two different nodes, bulging `bulge` pixels to one side (measured from
/// the lower-indexed node towards the other, so edges both ways share one frame).
fn between(from: &Placed, to: &Placed, forward: bool, bulge: f64) -> Course {
    let (a, b) = (from.centre, to.centre);
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let length = (dx * dx + dy * dy).sqrt().max(1e-9);
    let side = if forward { 1.0 } else { -1.0 };
    let normal = Point {
        x: -dy / length * side,
        y: dx / length * side,
    };
    if bulge == 0.0 {
        let start = outline_point(from, b);
        let tip = outline_point(to, a);
        return Course::Line(start, inset(tip, start, ARROW_INSET));
    }
    let control = Point {
        x: (a.x + b.x) / 2.0 + normal.x * 2.0 * bulge,
        y: (a.y + b.y) / 2.0 + normal.y * 2.0 * bulge,
    };
    let start = outline_point(from, control);
    let tip = outline_point(to, control);
    Course::Curve(start, control, inset(tip, control, ARROW_INSET))
}

/// The `rank`-th self-loop of a node: out of its top, round, and back into its right side.
fn self_loop(node: &Placed, rank: usize) -> Course {
    let c = node.centre;
    let size = LOOP_SIZE + rank as f64 * 16.0;
    let (hw, hh) = (node.look.width / 2.0, node.look.height / 2.0);
    let up = outline_point(
        node,
        Point {
            x: c.x + hw * 0.6,
            y: c.y - hh * 4.0,
        },
    );
    let right = outline_point(
        node,
        Point {
            x: c.x + hw * 4.0,
            y: c.y - hh * 0.5,
        },
    );
    let c1 = Point {
        x: up.x + size * 0.3,
        y: up.y - size,
    };
    let c2 = Point {
        x: right.x + size,
        y: right.y - size * 0.3,
    };
    Course::Loop(up, c1, c2, inset(right, c2, ARROW_INSET))
}

/// The point `by` pixels from `point` towards `towards`.
fn inset(point: Point, towards: Point, by: f64) -> Point {
    let (dx, dy) = (towards.x - point.x, towards.y - point.y);
    let length = (dx * dx + dy * dy).sqrt();
    if length <= by {
        return point;
    }
    Point {
        x: point.x + dx / length * by,
        y: point.y + dy / length * by,
    }
}

/// Where the ray from the node's centre towards `towards` leaves its outline.
pub(crate) fn outline_point(node: &Placed, towards: Point) -> Point {
    let c = node.centre;
    let (dx, dy) = (towards.x - c.x, towards.y - c.y);
    let outline = outline(node);
    let mut best = f64::INFINITY;
    for k in 0..outline.len() {
        let (p, q) = (outline[k], outline[(k + 1) % outline.len()]);
        if let Some(t) = ray_hits(c, dx, dy, p, q) {
            best = best.min(t);
        }
    }
    if best.is_finite() {
        Point {
            x: c.x + dx * best,
            y: c.y + dy * best,
        }
    } else {
        c
    }
}

/// The corners of a node's outline: a hexagon for factors, the box for the others.
pub(crate) fn outline(node: &Placed) -> Vec<Point> {
    let c = node.centre;
    let (hw, hh) = (node.look.width / 2.0, node.look.height / 2.0);
    let p = |x: f64, y: f64| Point {
        x: c.x + x,
        y: c.y + y,
    };
    match node.look.shape {
        Shape::Factor => {
            let i = style::HEX_INDENT;
            vec![
                p(-hw, 0.0),
                p(-hw + i, -hh),
                p(hw - i, -hh),
                p(hw, 0.0),
                p(hw - i, hh),
                p(-hw + i, hh),
            ]
        }
        Shape::Actor | Shape::Other => vec![p(-hw, -hh), p(hw, -hh), p(hw, hh), p(-hw, hh)],
    }
}

/// The parameter t ≥ 0 at which the ray c + t·(dx, dy) crosses the segment p–q, if it does.
fn ray_hits(c: Point, dx: f64, dy: f64, p: Point, q: Point) -> Option<f64> {
    let (ex, ey) = (q.x - p.x, q.y - p.y);
    let denominator = dx * ey - dy * ex;
    if denominator.abs() < 1e-12 {
        return None;
    }
    let (wx, wy) = (p.x - c.x, p.y - c.y);
    let t = (wx * ey - wy * ex) / denominator;
    let s = (wx * dy - wy * dx) / denominator;
    (t >= 0.0 && (-1e-9..=1.0 + 1e-9).contains(&s)).then_some(t)
}

/// The point at parameter t along a course.
pub(crate) fn point_at(course: &Course, t: f64) -> Point {
    let u = 1.0 - t;
    match *course {
        Course::Line(a, b) => Point {
            x: u * a.x + t * b.x,
            y: u * a.y + t * b.y,
        },
        Course::Curve(a, c, b) => Point {
            x: u * u * a.x + 2.0 * u * t * c.x + t * t * b.x,
            y: u * u * a.y + 2.0 * u * t * c.y + t * t * b.y,
        },
        Course::Loop(a, c1, c2, b) => Point {
            x: u * u * u * a.x + 3.0 * u * u * t * c1.x + 3.0 * u * t * t * c2.x + t * t * t * b.x,
            y: u * u * u * a.y + 3.0 * u * u * t * c1.y + 3.0 * u * t * t * c2.y + t * t * t * b.y,
        },
    }
}

/// The first spot along the course where edge `own`'s label touches no node, no earlier
/// label and no other edge; failing that, the first touching no node or label; failing
/// that, the first touching no node; failing that, the middle.
fn label_spot(course: &Course, width: f64, obstacles: &Obstacles, own: usize) -> Point {
    let spots: Vec<Point> = match course {
        Course::Loop(..) => vec![loop_label(course, width)],
        _ => LABEL_SPOTS.iter().map(|&t| point_at(course, t)).collect(),
    };
    let padded = |at: Point| {
        let r = Rect::label(at, width + 4.0);
        Rect(r.0, r.1 - 1.5, r.2, r.3 + 1.5)
    };
    let off_nodes = |r: &Rect| obstacles.nodes.iter().all(|o| !r.meets(o));
    let off_labels = |r: &Rect| obstacles.labels.iter().all(|o| !r.meets(o));
    let off_lines = |r: &Rect| {
        obstacles
            .lines
            .iter()
            .enumerate()
            .all(|(k, l)| k == own || !l.meets(r))
    };
    let tests: [&dyn Fn(&Rect) -> bool; 3] = [
        &|r| off_nodes(r) && off_labels(r) && off_lines(r),
        &|r| off_nodes(r) && off_labels(r),
        &off_nodes,
    ];
    tests
        .iter()
        .find_map(|test| spots.iter().find(|&&at| test(&padded(at))))
        .copied()
        .unwrap_or(spots[0])
}

/// A self-loop's label sits just outside the loop's far corner.
fn loop_label(course: &Course, width: f64) -> Point {
    let apex = point_at(course, 0.5);
    Point {
        x: apex.x + width / 2.0 + 2.0,
        y: apex.y - LABEL_HEIGHT / 2.0 - 1.0,
    }
}

/// The box around a course and its label (curves by their control points), for sizing the
/// picture.
pub(crate) fn extent(route: &Route) -> Rect {
    let points: Vec<Point> = match route.course {
        Course::Line(a, b) => vec![a, b],
        Course::Curve(a, c, b) => vec![a, c, b],
        Course::Loop(a, c1, c2, b) => vec![a, c1, c2, b],
    };
    let label = Rect::label(route.label_at, route.label_width);
    points.iter().fold(label, |r, p| {
        Rect(r.0.min(p.x), r.1.min(p.y), r.2.max(p.x), r.3.max(p.y))
    })
}
