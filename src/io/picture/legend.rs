//! The legend: one entry for each shape, each scale and (when there is one) the highlighted
//! path that occur in the picture, in a fixed order, laid out in rows.

use super::place::Look;
use super::style::{self, Scale, Shape};
use super::text::{self, Weight};

/// Width of an entry's sample.
pub(crate) const SAMPLE_WIDTH: f64 = 34.0;
/// Height of an entry's sample.
pub(crate) const SAMPLE_HEIGHT: f64 = 18.0;
/// Space between a sample and its text.
const SAMPLE_GAP: f64 = 6.0;
/// Space after an entry.
const ENTRY_GAP: f64 = 20.0;
/// Height of a row of entries.
pub(crate) const ROW_HEIGHT: f64 = 26.0;
/// Space between the legend's frame and its entries.
pub(crate) const PADDING: f64 = 10.0;

/// What an entry shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Sample {
    /// A shape, unfilled.
    Shape(Shape),
    /// A scale's fill colour.
    Scale(Scale),
    /// The thick line and outline of the highlighted path.
    Highlight,
}

impl Sample {
    /// What the entry says.
    pub(crate) fn text(self) -> &'static str {
        match self {
            Sample::Shape(shape) => shape.legend(),
            Sample::Scale(scale) => scale.legend(),
            Sample::Highlight => "on the path found",
        }
    }
}

/// One entry, placed: its sample's top-left corner relative to the legend's frame.
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    /// What it shows.
    pub(crate) sample: Sample,
    /// Left of the sample.
    pub(crate) x: f64,
    /// Top of the sample.
    pub(crate) y: f64,
}

/// The legend, laid out.
#[derive(Clone, Debug)]
pub(crate) struct Legend {
    /// Its entries.
    pub(crate) entries: Vec<Entry>,
    /// Width of its frame.
    pub(crate) width: f64,
    /// Height of its frame.
    pub(crate) height: f64,
}

/// The samples a picture needs, in legend order.
pub(crate) fn samples(looks: &[Look], any_highlight: bool) -> Vec<Sample> {
    let mut shapes: Vec<Shape> = looks.iter().map(|l| l.shape).collect();
    shapes.sort();
    shapes.dedup();
    let mut scales: Vec<Scale> = looks.iter().map(|l| l.scale).collect();
    scales.sort();
    scales.dedup();
    let mut samples: Vec<Sample> = shapes.into_iter().map(Sample::Shape).collect();
    samples.extend(scales.into_iter().map(Sample::Scale));
    if any_highlight {
        samples.push(Sample::Highlight);
    }
    samples
}

/// Lays the samples out in rows no wider than `max_width`; `None` when there are none.
pub(crate) fn lay_out(samples: &[Sample], max_width: f64) -> Option<Legend> {
    if samples.is_empty() {
        return None;
    }
    let inner = (max_width - 2.0 * PADDING).max(1.0);
    let (mut x, mut y, mut widest) = (0.0_f64, 0.0_f64, 0.0_f64);
    let mut entries = Vec::with_capacity(samples.len());
    for &sample in samples {
        let width = SAMPLE_WIDTH
            + SAMPLE_GAP
            + text::width(sample.text(), style::LEGEND_SIZE, Weight::Regular);
        if x > 0.0 && x + width > inner {
            x = 0.0;
            y += ROW_HEIGHT;
        }
        entries.push(Entry {
            sample,
            x: PADDING + x,
            y: PADDING + y + (ROW_HEIGHT - SAMPLE_HEIGHT) / 2.0,
        });
        widest = widest.max(x + width);
        x += width + ENTRY_GAP;
    }
    Some(Legend {
        entries,
        width: (widest + 2.0 * PADDING).ceil(),
        height: (y + ROW_HEIGHT + 2.0 * PADDING).ceil(),
    })
}

/// Where an entry's text starts, relative to its sample's left.
pub(crate) const TEXT_OFFSET: f64 = SAMPLE_WIDTH + SAMPLE_GAP;
