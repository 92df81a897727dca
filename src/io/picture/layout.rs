//! The whole picture laid out: the title band on top, the map under it, the legend under
//! that, every coordinate final (the SVG writer only formats them).

use std::collections::BTreeMap;

use super::edges::{self, Placed, Rect, Route, Wire};
use super::legend::{self, Legend};
use super::place::{self, Link, Look};
use super::stress::Point;
use super::style;
use super::text::{self, Weight};
use super::{MAX_NODES, Picture, PictureError};

/// Space around everything.
const MARGIN: f64 = 20.0;
/// Space between the map and the legend.
const LEGEND_GAP: f64 = 24.0;
/// Distance between the baselines of two title lines.
const TITLE_LINE: f64 = 24.0;
/// What an empty picture says.
pub(crate) const EMPTY_NOTE: &str = "The map is empty: there is nothing to draw.";

/// Where everything in a picture goes. Coordinates are SVG user units (pixels in the PNG),
/// x to the right and y down from the top-left corner of the picture.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Layout {
    /// Width of the whole picture.
    pub width: f64,
    /// Height of the whole picture.
    pub height: f64,
    /// Every node's box, in the order of [`Picture::nodes`].
    pub nodes: Vec<NodeBox>,
    /// Every edge, in the order of [`Picture::edges`].
    pub(crate) edges: Vec<EdgeLayout>,
    /// The title's lines and the baseline of its first line, centred on `width / 2`.
    pub(crate) title: Option<(Vec<String>, f64)>,
    /// The legend and its frame's top-left corner.
    pub(crate) legend: Option<(Point, Legend)>,
    /// For an empty picture: where its note is written (the start of its baseline).
    pub(crate) empty_note: Option<Point>,
}

/// One node's place: the box its shape fills (and its name is written in).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct NodeBox {
    /// The node's key.
    pub key: u64,
    /// Left side.
    pub x: f64,
    /// Top side.
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
    /// The name as written, line by line (wrapped, perhaps shortened with an ellipsis).
    pub lines: Vec<String>,
    /// The whole name.
    pub(crate) name: String,
    /// Shape, fill and size.
    pub(crate) look: Look,
    /// Whether it is on the highlighted path.
    pub(crate) highlighted: bool,
}

impl NodeBox {
    /// Whether the two boxes share any area (touching edges do not count).
    pub fn overlaps(&self, other: &NodeBox) -> bool {
        self.x < other.x + other.width
            && other.x < self.x + self.width
            && self.y < other.y + other.height
            && other.y < self.y + self.height
    }

    /// The centre of the box.
    pub(crate) fn centre(&self) -> Point {
        Point {
            x: self.x + self.width / 2.0,
            y: self.y + self.height / 2.0,
        }
    }
}

/// One edge's place.
#[derive(Clone, Debug)]
pub(crate) struct EdgeLayout {
    /// Its line and label position.
    pub(crate) route: Route,
    /// The relationship type.
    pub(crate) rel_type: String,
    /// Whether it is on the highlighted path.
    pub(crate) highlighted: bool,
}

/// Checks a picture and lays it out.
pub(crate) fn lay_out(picture: &Picture) -> Result<Layout, PictureError> {
    let wires = check(picture)?;
    let looks: Vec<Look> = picture.nodes.iter().map(Look::of).collect();
    let links: Vec<Link> = wires
        .iter()
        .map(|w| Link {
            a: w.start,
            b: w.end,
            label_width: edges::label_width(w.rel_type),
        })
        .collect();
    let centres = place::centres(&looks, &links);
    let placed: Vec<Placed> = centres
        .iter()
        .zip(&looks)
        .map(|(&centre, look)| Placed { centre, look })
        .collect();
    let routes = edges::route(&placed, &wires);
    let map = bounds(&placed, &routes);
    let any_highlight =
        picture.nodes.iter().any(|n| n.highlighted) || picture.edges.iter().any(|e| e.highlighted);
    let samples = legend::samples(&looks, any_highlight);
    let mut frame = Frame::new(picture.title.as_deref(), map, &samples);
    let nodes = picture
        .nodes
        .iter()
        .zip(looks)
        .zip(&centres)
        .map(|((node, look), c)| NodeBox {
            key: node.key,
            x: c.x - look.width / 2.0 + frame.shift.x,
            y: c.y - look.height / 2.0 + frame.shift.y,
            width: look.width,
            height: look.height,
            lines: look.lines.clone(),
            name: node.name.clone(),
            look,
            highlighted: node.highlighted,
        })
        .collect();
    let edges = picture
        .edges
        .iter()
        .zip(routes)
        .map(|(edge, route)| EdgeLayout {
            route: frame.move_route(route),
            rel_type: edge.rel_type.clone(),
            highlighted: edge.highlighted,
        })
        .collect();
    let empty_note = picture.nodes.is_empty().then_some(frame.map_origin);
    Ok(Layout {
        width: frame.width,
        height: frame.height,
        nodes,
        edges,
        title: frame.title.take(),
        legend: frame.legend.take(),
        empty_note,
    })
}

/// Refuses pictures too large to read, keys used twice and edges to missing nodes; gives
/// each edge by node indexes.
fn check(picture: &Picture) -> Result<Vec<Wire<'_>>, PictureError> {
    if picture.nodes.len() > MAX_NODES {
        return Err(PictureError::TooLarge {
            nodes: picture.nodes.len(),
            limit: MAX_NODES,
        });
    }
    let mut index = BTreeMap::new();
    for (i, node) in picture.nodes.iter().enumerate() {
        if index.insert(node.key, i).is_some() {
            return Err(PictureError::DuplicateNode { key: node.key });
        }
    }
    picture
        .edges
        .iter()
        .map(|edge| {
            let find = |key: u64| {
                index
                    .get(&key)
                    .copied()
                    .ok_or_else(|| PictureError::MissingNode {
                        start: edge.start,
                        end: edge.end,
                        rel_type: edge.rel_type.clone(),
                        missing: key,
                    })
            };
            Ok(Wire {
                start: find(edge.start)?,
                end: find(edge.end)?,
                rel_type: &edge.rel_type,
            })
        })
        .collect()
}

/// The box around every node, edge and edge label of the map.
fn bounds(placed: &[Placed], routes: &[Route]) -> Rect {
    let mut b = Rect(
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    );
    let mut grow = |r: Rect| b = Rect(b.0.min(r.0), b.1.min(r.1), b.2.max(r.2), b.3.max(r.3));
    for p in placed {
        let (hw, hh) = (p.look.width / 2.0, p.look.height / 2.0);
        grow(Rect(
            p.centre.x - hw,
            p.centre.y - hh,
            p.centre.x + hw,
            p.centre.y + hh,
        ));
    }
    routes.iter().map(edges::extent).for_each(&mut grow);
    if placed.is_empty() {
        let w = text::width(EMPTY_NOTE, style::NAME_SIZE, Weight::Regular);
        return Rect(0.0, 0.0, w, 2.0 * style::LINE_HEIGHT);
    }
    b
}

/// The picture's frame: its size, the title, the legend, and how far the map moves.
struct Frame {
    /// Width of the picture.
    width: f64,
    /// Height of the picture.
    height: f64,
    /// Added to every map coordinate.
    shift: Point,
    /// The map's top-left corner in the picture.
    map_origin: Point,
    /// The title, wrapped, and its first baseline.
    title: Option<(Vec<String>, f64)>,
    /// The legend and its top-left corner.
    legend: Option<(Point, Legend)>,
}

impl Frame {
    /// Fits the title above and the legend below a map with the given bounds.
    fn new(title: Option<&str>, map: Rect, samples: &[legend::Sample]) -> Frame {
        let (map_w, map_h) = (map.2 - map.0, map.3 - map.1);
        let title_width = map_w.max(600.0);
        let lines = title.map(|t| text::wrap(t, style::TITLE_SIZE, title_width, 2, Weight::Bold));
        let title_w = lines
            .iter()
            .flatten()
            .map(|l| text::width(l, style::TITLE_SIZE, Weight::Bold))
            .fold(0.0, f64::max);
        let title_h = lines
            .as_ref()
            .map_or(0.0, |l| l.len() as f64 * TITLE_LINE + 12.0);
        let legend = legend::lay_out(samples, map_w.max(520.0));
        let legend_w = legend.as_ref().map_or(0.0, |l| l.width);
        let content_w = map_w.max(title_w).max(legend_w).ceil();
        let map_origin = Point {
            x: MARGIN + ((content_w - map_w) / 2.0).floor(),
            y: MARGIN + title_h,
        };
        let shift = Point {
            x: map_origin.x - map.0,
            y: map_origin.y - map.1,
        };
        let legend_top = map_origin.y + map_h + LEGEND_GAP;
        let legend_h = legend.as_ref().map_or(0.0, |l| l.height + LEGEND_GAP);
        Frame {
            width: (content_w + 2.0 * MARGIN).ceil(),
            height: (map_origin.y + map_h + legend_h + MARGIN).ceil(),
            shift,
            map_origin,
            title: lines.map(|l| (l, MARGIN + style::TITLE_SIZE)),
            legend: legend.map(|l| {
                (
                    Point {
                        x: MARGIN,
                        y: legend_top,
                    },
                    l,
                )
            }),
        }
    }

    /// A point moved into the picture.
    fn at(&self, p: Point) -> Point {
        Point {
            x: p.x + self.shift.x,
            y: p.y + self.shift.y,
        }
    }

    /// A route moved into the picture.
    fn move_route(&self, route: Route) -> Route {
        use edges::Course;
        let course = match route.course {
            Course::Line(a, b) => Course::Line(self.at(a), self.at(b)),
            Course::Curve(a, c, b) => Course::Curve(self.at(a), self.at(c), self.at(b)),
            Course::Loop(a, c1, c2, b) => {
                Course::Loop(self.at(a), self.at(c1), self.at(c2), self.at(b))
            }
        };
        Route {
            course,
            label_at: self.at(route.label_at),
            label_width: route.label_width,
        }
    }
}
