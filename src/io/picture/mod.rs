//! The picture of a map: its actors, factors and relationships drawn as SVG or PNG, with no
//! external program.
//!
//! Actors are boxes with round ends, factors hexagons, anything else a plain box; the fill
//! gives the scale (person, organisation, place, none) from a colour-blind-safe palette;
//! highlighted nodes and edges (the path a question found) have thick black outlines and
//! lines; names are written inside their shapes, wrapped onto up to three lines and
//! shortened with an ellipsis beyond that (the whole name is the shape's `<title>`); each
//! edge carries its relationship type and an arrowhead; a legend lists the shapes and
//! colours that occur; the title, when given, is on top.
//!
//! # Layout, and why it is our own
//!
//! Each connected component's core (nodes with more than one neighbour) is placed by
//! stress majorization (Gansner, Koren and North 2004) started from classical scaling, with
//! the distance wanted between two boxes depending on their sizes and the label between
//! them; its leaves go in rings around their node; then overlaps are pushed apart and the
//! components packed in rows (`stress.rs`, `leaves.rs`, `overlap.rs`, `place.rs`). Edges
//! bend around nodes in their way; labels sit where they touch no node, label or other edge
//! (`edges.rs`). The crates tried first, on the life-as-a-system map and on 300 nodes and
//! 600 edges, did not fit: `layout-rs` (layered, draws its own SVG) took 235 s on 300 nodes
//! and its text did not render; `dagre` (a port of dagre.js) took 4–8 s and drew the same
//! graph 18,000 pixels wide, since layered layouts string a hub's neighbours out in one row;
//! `fdg-sim` and `force_graph` place points, not boxes, and `fdg-sim` starts from a global
//! random generator; `forceatlas2` is AGPL. Stress suits maps, which are not DAGs and
//! usually have one hub: it puts the hub in the middle, is deterministic, and lays out 300
//! nodes and 600 edges in about a tenth of a second. PNG is `resvg` (fonts: `raster.rs`).
//!
//! # Contract
//!
//! - More than [`MAX_NODES`] nodes is [`PictureError::TooLarge`]; a key used by two nodes is
//!   [`PictureError::DuplicateNode`]; an edge whose start or end is not a node of the
//!   picture is [`PictureError::MissingNode`] (the caller decides which edges to show, so
//!   one to nowhere is a mistake to report, not to hide).
//! - An empty picture is a small valid SVG that says the map is empty.
//! - The same picture always gives the same SVG bytes: nothing random, nothing hashed, and
//!   no platform maths library (angles come from our own polynomials).
//! - The PNG is the SVG drawn at one pixel per SVG unit, so its size is the `viewBox`'s.

mod draw;
mod edges;
mod layout;
mod leaves;
mod legend;
mod overlap;
mod place;
mod raster;
mod stress;
mod style;
mod text;

pub use layout::{Layout, NodeBox};

/// A map to draw: nodes, the edges between them, and a title.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Picture {
    /// The nodes, drawn in this order.
    pub nodes: Vec<PictureNode>,
    /// The edges; each must join two nodes of the picture.
    pub edges: Vec<PictureEdge>,
    /// Written at the top when given.
    pub title: Option<String>,
}

/// A node of a picture.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PictureNode {
    /// The node's id, unique in the picture.
    pub key: u64,
    /// What to write on it.
    pub name: String,
    /// Its labels: "Actor" makes it an actor, else "Factor" a factor.
    pub labels: Vec<String>,
    /// "person", "organisation" or "place"; anything else is drawn as no scale.
    pub scale: Option<String>,
    /// Whether it is on the path the question found.
    pub highlighted: bool,
}

/// An edge of a picture, drawn from `start` to `end` with an arrowhead at `end`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PictureEdge {
    /// The key of the node it starts at.
    pub start: u64,
    /// The key of the node it ends at (may be `start`: a self-loop).
    pub end: u64,
    /// Written on the edge.
    pub rel_type: String,
    /// Whether it is on the path the question found.
    pub highlighted: bool,
}

/// The most nodes a picture may have and still be readable.
pub const MAX_NODES: usize = 300;

/// Why a picture could not be drawn.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PictureError {
    /// The map has more nodes than a picture can show readably.
    #[error(
        "the map has {} nodes; a picture is readable up to {}: narrow it with --query, e.g. --query \"SHOW 'Brian' WITHIN 2 STEPS\"",
        crate::io::progress::group(*.nodes as u64),
        crate::io::progress::group(*.limit as u64)
    )]
    TooLarge {
        /// How many nodes the map has.
        nodes: usize,
        /// The most a picture may have.
        limit: usize,
    },
    /// Two nodes have the same key.
    #[error("node {key} appears twice in the picture")]
    DuplicateNode {
        /// The key.
        key: u64,
    },
    /// An edge names a node the picture does not have.
    #[error(
        "the edge {start} -[:{rel_type}]-> {end} names node {missing}, which is not in the picture"
    )]
    MissingNode {
        /// The edge's start.
        start: u64,
        /// The edge's end.
        end: u64,
        /// The edge's relationship type.
        rel_type: String,
        /// The key that is not a node of the picture.
        missing: u64,
    },
    /// The SVG could not be read back for drawing (a bug: we wrote it).
    #[error("the picture's SVG could not be read back to draw it")]
    Svg(#[source] resvg::usvg::Error),
    /// The picture is too large for an image in memory.
    #[error("a picture of {width}×{height} pixels is too large to draw as PNG")]
    PixmapSize {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
    /// The PNG could not be encoded.
    #[error("the picture could not be encoded as PNG")]
    Png(#[source] png::EncodingError),
}

/// Lays a picture out: where each node's shape goes, and the picture's size.
pub fn layout(picture: &Picture) -> Result<Layout, PictureError> {
    layout::lay_out(picture)
}

/// The picture as an SVG 1.1 document.
pub fn svg(picture: &Picture) -> Result<String, PictureError> {
    let layout = layout::lay_out(picture)?;
    Ok(draw::svg(&layout, picture.title.as_deref()))
}

/// The picture as PNG bytes: the SVG drawn at one pixel per unit.
pub fn png(picture: &Picture) -> Result<Vec<u8>, PictureError> {
    raster::png(&svg(picture)?)
}
