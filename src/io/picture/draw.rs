//! Writes a laid-out picture as SVG 1.1: presentation attributes only (no CSS), every text
//! XML-escaped, numbers to one decimal, elements in the order of the picture's nodes and
//! edges, so the same layout always gives the same bytes.
//!
//! Classes name what each element is, for readers and tests: `node` with `actor`, `factor`
//! or `other`, a `scale-…` class and `highlighted`; `edge` (and `highlighted`),
//! `edge-label`, `legend`, `title`.

use super::edges::{self, Course};
use super::layout::{EMPTY_NOTE, EdgeLayout, Layout, NodeBox};
use super::legend::{self, Entry, Legend, Sample};
use super::stress::Point;
use super::style::{self, Scale, Shape};
use super::text::escape;

/// The whole SVG document.
pub(crate) fn svg(layout: &Layout, title: Option<&str>) -> String {
    let mut out = String::with_capacity(4096 + layout.nodes.len() * 600 + layout.edges.len() * 400);
    header(&mut out, layout, title);
    if let Some((lines, baseline)) = &layout.title {
        title_text(&mut out, lines, *baseline, layout.width);
    }
    if let Some(at) = layout.empty_note {
        out.push_str(&format!(
            "<text class=\"empty\" x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"{}\">{}</text>\n",
            n(at.x),
            n(at.y + 20.0),
            style::NAME_SIZE,
            style::INK,
            escape(EMPTY_NOTE)
        ));
    }
    out.push_str("<g class=\"edges\">\n");
    // Highlighted edges go last, so nothing is drawn over them.
    for edge in layout
        .edges
        .iter()
        .filter(|e| !e.highlighted)
        .chain(layout.edges.iter().filter(|e| e.highlighted))
    {
        edge_line(&mut out, edge);
    }
    out.push_str("</g>\n<g class=\"nodes\">\n");
    for node in &layout.nodes {
        node_group(&mut out, node);
    }
    out.push_str("</g>\n<g class=\"edge-labels\">\n");
    for edge in &layout.edges {
        edge_label(&mut out, edge);
    }
    out.push_str("</g>\n");
    if let Some((at, legend)) = &layout.legend {
        legend_group(&mut out, *at, legend);
    }
    out.push_str("</svg>\n");
    out
}

/// A number as SVG wants it: at most one decimal, no "-0".
fn n(v: f64) -> String {
    let rounded = (v * 10.0).round() / 10.0;
    let rounded = if rounded == 0.0 { 0.0 } else { rounded };
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

/// The XML declaration, the root element, the document title and the arrowheads.
fn header(out: &mut String, layout: &Layout, title: Option<&str>) {
    let (w, h) = (n(layout.width), n(layout.height));
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"{}\">\n",
        style::FONT_FAMILY
    ));
    out.push_str(&format!(
        "<title>{}</title>\n",
        escape(title.unwrap_or("A map drawn by steward"))
    ));
    let inset = edges::ARROW_INSET;
    out.push_str(&format!(
        "<defs>\n<marker id=\"arrow\" markerUnits=\"userSpaceOnUse\" viewBox=\"0 0 10 10\" refX=\"{}\" refY=\"5\" markerWidth=\"10\" markerHeight=\"10\" orient=\"auto\"><path d=\"M0,1L10,5L0,9z\" fill=\"{}\"/></marker>\n",
        n(10.0 - inset),
        style::EDGE
    ));
    out.push_str(&format!(
        "<marker id=\"arrow-highlighted\" markerUnits=\"userSpaceOnUse\" viewBox=\"0 0 13 12\" refX=\"{}\" refY=\"6\" markerWidth=\"13\" markerHeight=\"12\" orient=\"auto\"><path d=\"M0,0.5L13,6L0,11.5z\" fill=\"{}\"/></marker>\n</defs>\n",
        n(13.0 - inset),
        style::HIGHLIGHT
    ));
    out.push_str(&format!("<rect class=\"background\" x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\n"));
}

/// The title, centred, one `<tspan>` per line.
fn title_text(out: &mut String, lines: &[String], baseline: f64, width: f64) {
    out.push_str(&format!(
        "<text class=\"title\" text-anchor=\"middle\" font-size=\"{}\" font-weight=\"bold\" fill=\"{}\">",
        style::TITLE_SIZE,
        style::INK
    ));
    for (i, line) in lines.iter().enumerate() {
        out.push_str(&format!(
            "<tspan x=\"{}\" y=\"{}\">{}</tspan>",
            n(width / 2.0),
            n(baseline + i as f64 * 24.0),
            escape(line)
        ));
    }
    out.push_str("</text>\n");
}

/// The path data of an edge's line.
fn path_data(course: &Course) -> String {
    let p = |pt: Point| format!("{},{}", n(pt.x), n(pt.y));
    match *course {
        Course::Line(a, b) => format!("M{}L{}", p(a), p(b)),
        Course::Curve(a, c, b) => format!("M{}Q{} {}", p(a), p(c), p(b)),
        Course::Loop(a, c1, c2, b) => format!("M{}C{} {} {}", p(a), p(c1), p(c2), p(b)),
    }
}

/// An edge's line with its arrowhead.
fn edge_line(out: &mut String, edge: &EdgeLayout) {
    let (class, colour, marker) = if edge.highlighted {
        ("edge highlighted", style::HIGHLIGHT, "arrow-highlighted")
    } else {
        ("edge", style::EDGE, "arrow")
    };
    out.push_str(&format!(
        "<path class=\"{class}\" d=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"{}\" marker-end=\"url(#{marker})\"/>\n",
        path_data(&edge.route.course),
        n(style::edge_stroke(edge.highlighted))
    ));
}

/// An edge's relationship type, on a white patch so it reads over lines.
fn edge_label(out: &mut String, edge: &EdgeLayout) {
    let at = edge.route.label_at;
    let (w, h) = (edge.route.label_width, edges::LABEL_HEIGHT);
    let class = if edge.highlighted {
        "edge-label highlighted"
    } else {
        "edge-label"
    };
    out.push_str(&format!(
        "<g class=\"{class}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#ffffff\" fill-opacity=\"0.85\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"{}\" fill=\"{}\">{}</text></g>\n",
        n(at.x - w / 2.0),
        n(at.y - h / 2.0),
        n(w),
        n(h),
        n(at.x),
        n(at.y + 3.2),
        style::EDGE_LABEL_SIZE,
        if edge.highlighted { style::HIGHLIGHT } else { style::EDGE_TEXT },
        escape(&edge.rel_type)
    ));
}

/// A node: its shape, filled by scale, and its name, one `<tspan>` per line.
fn node_group(out: &mut String, node: &NodeBox) {
    let highlighted = if node.highlighted { " highlighted" } else { "" };
    out.push_str(&format!(
        "<g class=\"node {} {}{highlighted}\" id=\"node-{}\"><title>{}</title>",
        node.look.shape.class(),
        node.look.scale.class(),
        node.key,
        escape(&node.name)
    ));
    let stroke = if node.highlighted {
        style::HIGHLIGHT
    } else {
        style::INK
    };
    let width = style::node_stroke(node.highlighted);
    let paint = format!(
        "fill=\"{}\" stroke=\"{stroke}\" stroke-width=\"{}\"",
        node.look.scale.fill(),
        n(width)
    );
    out.push_str(&shape_element(
        node.look.shape,
        node.x,
        node.y,
        node.width,
        node.height,
        &paint,
    ));
    let c = node.centre();
    let first = c.y - node.lines.len() as f64 * style::LINE_HEIGHT / 2.0;
    out.push_str(&format!(
        "<text text-anchor=\"middle\" font-size=\"{}\" fill=\"{}\">",
        style::NAME_SIZE,
        style::INK
    ));
    for (i, line) in node.lines.iter().enumerate() {
        let baseline = first + i as f64 * style::LINE_HEIGHT + style::LINE_HEIGHT / 2.0 + 4.2;
        out.push_str(&format!(
            "<tspan x=\"{}\" y=\"{}\">{}</tspan>",
            n(c.x),
            n(baseline),
            escape(line)
        ));
    }
    out.push_str("</text></g>\n");
}

/// The element drawing a shape in the given box with the given paint attributes.
fn shape_element(shape: Shape, x: f64, y: f64, w: f64, h: f64, paint: &str) -> String {
    match shape {
        Shape::Actor => {
            let r = (h / 2.0).min(14.0);
            format!(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\" ry=\"{}\" {paint}/>",
                n(x),
                n(y),
                n(w),
                n(h),
                n(r),
                n(r)
            )
        }
        Shape::Factor => {
            let i = style::HEX_INDENT.min(w / 2.0);
            let pts = [
                (x, y + h / 2.0),
                (x + i, y),
                (x + w - i, y),
                (x + w, y + h / 2.0),
                (x + w - i, y + h),
                (x + i, y + h),
            ];
            let points: Vec<String> = pts
                .iter()
                .map(|(px, py)| format!("{},{}", n(*px), n(*py)))
                .collect();
            format!("<polygon points=\"{}\" {paint}/>", points.join(" "))
        }
        Shape::Other => format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" {paint}/>",
            n(x),
            n(y),
            n(w),
            n(h)
        ),
    }
}

/// The legend: a framed row (or rows) of samples and what they mean.
fn legend_group(out: &mut String, at: Point, legend: &Legend) {
    out.push_str(&format!(
        "<g class=\"legend\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"4\" ry=\"4\" fill=\"#ffffff\" stroke=\"#bbbbbb\"/>\n",
        n(at.x),
        n(at.y),
        n(legend.width),
        n(legend.height)
    ));
    for entry in &legend.entries {
        legend_entry(out, at, entry);
    }
    out.push_str("</g>\n");
}

/// One legend entry.
fn legend_entry(out: &mut String, at: Point, entry: &Entry) {
    let (x, y) = (at.x + entry.x, at.y + entry.y);
    let (w, h) = (legend::SAMPLE_WIDTH, legend::SAMPLE_HEIGHT);
    match entry.sample {
        Sample::Shape(shape) => {
            let paint = format!("fill=\"#ffffff\" stroke=\"{}\" stroke-width=\"1.2\"", style::INK);
            out.push_str(&shape_element(shape, x, y, w, h, &paint));
        }
        Sample::Scale(scale) => out.push_str(&scale_sample(scale, x, y, w, h)),
        Sample::Highlight => out.push_str(&format!(
            "<path d=\"M{},{}L{},{}\" stroke=\"{}\" stroke-width=\"{}\" marker-end=\"url(#arrow-highlighted)\"/>",
            n(x),
            n(y + h / 2.0),
            n(x + w - 8.0),
            n(y + h / 2.0),
            style::HIGHLIGHT,
            n(style::edge_stroke(true))
        )),
    }
    out.push_str(&format!(
        "<text x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"{}\">{}</text>\n",
        n(x + legend::TEXT_OFFSET),
        n(y + h / 2.0 + 4.0),
        style::LEGEND_SIZE,
        style::INK,
        escape(entry.sample.text())
    ));
}

/// A swatch of a scale's fill.
fn scale_sample(scale: Scale, x: f64, y: f64, w: f64, h: f64) -> String {
    format!(
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" stroke=\"{}\" stroke-width=\"0.8\"/>",
        n(x),
        n(y),
        n(w),
        n(h),
        scale.fill(),
        style::INK
    )
}

#[cfg(test)]
mod tests {
    use super::n;

    #[test]
    fn numbers_have_at_most_one_decimal_and_no_negative_zero() {
        assert_eq!(n(1.0), "1");
        assert_eq!(n(1.26), "1.3");
        assert_eq!(n(-0.01), "0");
        assert_eq!(n(-2.5), "-2.5");
    }
}
