//! How a node looks: its shape (from its labels), its fill (from its scale), and the sizes
//! and colours every part of the picture is drawn with.
//!
//! Fills come from Paul Tol's "light" scheme, made to stay distinct for the common forms of
//! colour blindness and to keep black text readable on top.

use super::PictureNode;

/// Font size of node names, in pixels.
pub(crate) const NAME_SIZE: f64 = 12.0;
/// Distance between the baselines of two lines of a name.
pub(crate) const LINE_HEIGHT: f64 = 15.0;
/// The widest a line of a name may be.
pub(crate) const NAME_WIDTH: f64 = 150.0;
/// The most lines a name is wrapped onto before it is shortened.
pub(crate) const NAME_LINES: usize = 3;
/// Font size of relationship types on edges.
pub(crate) const EDGE_LABEL_SIZE: f64 = 9.0;
/// Font size of the title.
pub(crate) const TITLE_SIZE: f64 = 18.0;
/// Font size of the legend.
pub(crate) const LEGEND_SIZE: f64 = 11.0;
/// The fonts the SVG asks for, first choice first.
pub(crate) const FONT_FAMILY: &str = "DejaVu Sans, Verdana, Arial, Helvetica, sans-serif";

/// Outline and text colour.
pub(crate) const INK: &str = "#222222";
/// Edge colour.
pub(crate) const EDGE: &str = "#8c8c8c";
/// Edge label colour.
pub(crate) const EDGE_TEXT: &str = "#555555";
/// Colour of highlighted edges and outlines.
pub(crate) const HIGHLIGHT: &str = "#000000";

/// What a node is drawn as, from its labels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Shape {
    /// Label "Actor": a box with round ends.
    Actor,
    /// Label "Factor": a hexagon.
    Factor,
    /// Anything else: a plain box.
    Other,
}

impl Shape {
    /// The shape of a node with these labels; "Actor" wins over "Factor".
    pub(crate) fn of(node: &PictureNode) -> Shape {
        let has = |l: &str| node.labels.iter().any(|x| x == l);
        if has("Actor") {
            Shape::Actor
        } else if has("Factor") {
            Shape::Factor
        } else {
            Shape::Other
        }
    }

    /// The class name the SVG gives nodes of this shape.
    pub(crate) fn class(self) -> &'static str {
        match self {
            Shape::Actor => "actor",
            Shape::Factor => "factor",
            Shape::Other => "other",
        }
    }

    /// What the legend says about this shape.
    pub(crate) fn legend(self) -> &'static str {
        match self {
            Shape::Actor => "actor",
            Shape::Factor => "factor",
            Shape::Other => "other",
        }
    }

    /// Space kept free on the left and right of the text, in pixels.
    pub(crate) fn side_padding(self) -> f64 {
        match self {
            Shape::Actor => 14.0,
            Shape::Factor => 10.0 + HEX_INDENT,
            Shape::Other => 10.0,
        }
    }
}

/// How far a hexagon's left and right points stand out from its flat top and bottom.
pub(crate) const HEX_INDENT: f64 = 12.0;

/// A node's scale, read from its `scale` text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Scale {
    /// "person".
    Person,
    /// "organisation".
    Organisation,
    /// "place".
    Place,
    /// No scale, or one steward does not know (drawn the same).
    None,
}

impl Scale {
    /// The scale of a node; unknown scale names count as none.
    pub(crate) fn of(node: &PictureNode) -> Scale {
        match node.scale.as_deref() {
            Some("person") => Scale::Person,
            Some("organisation") => Scale::Organisation,
            Some("place") => Scale::Place,
            _ => Scale::None,
        }
    }

    /// The fill colour.
    pub(crate) fn fill(self) -> &'static str {
        match self {
            Scale::Person => "#EEDD88",
            Scale::Organisation => "#77AADD",
            Scale::Place => "#44BB99",
            Scale::None => "#DDDDDD",
        }
    }

    /// The class name the SVG gives nodes of this scale.
    pub(crate) fn class(self) -> &'static str {
        match self {
            Scale::Person => "scale-person",
            Scale::Organisation => "scale-organisation",
            Scale::Place => "scale-place",
            Scale::None => "scale-none",
        }
    }

    /// What the legend says about this scale.
    pub(crate) fn legend(self) -> &'static str {
        match self {
            Scale::Person => "person scale",
            Scale::Organisation => "organisation scale",
            Scale::Place => "place scale",
            Scale::None => "no scale",
        }
    }
}

/// Outline width of a node.
pub(crate) fn node_stroke(highlighted: bool) -> f64 {
    if highlighted { 3.0 } else { 1.2 }
}

/// Line width of an edge.
pub(crate) fn edge_stroke(highlighted: bool) -> f64 {
    if highlighted { 2.8 } else { 1.2 }
}
