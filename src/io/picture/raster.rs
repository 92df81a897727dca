//! PNG: the SVG read back with `usvg` and drawn with `resvg`, one pixel per SVG unit.
//!
//! Text needs a font. The system's fonts are loaded once (through `fontdb`); when none of
//! the families the SVG asks for (DejaVu Sans, Verdana, Arial, Helvetica) is installed, the
//! DejaVu Sans that the `dejavu` crate embeds is used instead, so names are drawn on any
//! machine, even one with no fonts at all.

use std::sync::{Arc, OnceLock};

use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg::{self, fontdb};

use super::PictureError;

/// The families the SVG asks for, by name, first choice first.
const FAMILIES: [&str; 4] = ["DejaVu Sans", "Verdana", "Arial", "Helvetica"];

/// The most pixels a PNG may have (200 MB of memory while drawing; 300-node maps have
/// needed at most 25 million).
const MAX_PIXELS: u64 = 50_000_000;

/// Draws an SVG document as PNG bytes.
pub(crate) fn png(svg: &str) -> Result<Vec<u8>, PictureError> {
    encode(&render(svg, fonts())?).map_err(PictureError::Png)
}

/// Draws an SVG document with these fonts.
fn render(svg: &str, fonts: Arc<fontdb::Database>) -> Result<Pixmap, PictureError> {
    let options = usvg::Options {
        fontdb: fonts,
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(PictureError::Svg)?;
    let size = tree.size().to_int_size();
    let (width, height) = (size.width(), size.height());
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(PictureError::PixmapSize { width, height });
    }
    let mut pixmap =
        Pixmap::new(width, height).ok_or(PictureError::PixmapSize { width, height })?;
    resvg::render(&tree, Transform::identity(), &mut pixmap.as_mut());
    Ok(pixmap)
}

/// Encodes the pixels as an RGB PNG, fast: the picture's white background makes every pixel
/// opaque, so the alpha channel says nothing (and premultiplied colours are the colours).
fn encode(pixmap: &Pixmap) -> Result<Vec<u8>, png::EncodingError> {
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&rgb)?;
    writer.finish()?;
    Ok(bytes)
}

/// The font database, built on first use.
fn fonts() -> Arc<fontdb::Database> {
    static FONTS: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    FONTS.get_or_init(|| Arc::new(load_fonts(true))).clone()
}

/// The system's fonts (unless `system` is false), with DejaVu Sans added when none of our
/// families is among them; "sans-serif" is pointed at the first family found.
fn load_fonts(system: bool) -> fontdb::Database {
    let mut db = fontdb::Database::new();
    if system {
        db.load_system_fonts();
    }
    if first_family(&db).is_none() {
        db.load_font_data(dejavu::sans::regular().to_vec());
        db.load_font_data(dejavu::sans::bold().to_vec());
    }
    if let Some(family) = first_family(&db) {
        db.set_sans_serif_family(family);
    }
    db
}

/// The first of `FAMILIES` the database has.
fn first_family(db: &fontdb::Database) -> Option<&'static str> {
    FAMILIES.into_iter().find(|family| {
        let query = fontdb::Query {
            families: &[fontdb::Family::Name(family)],
            ..fontdb::Query::default()
        };
        db.query(&query).is_some()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How many pixels are not white.
    fn inked(pixmap: &Pixmap) -> usize {
        pixmap.data().chunks_exact(4).filter(|p| p[0] < 200).count()
    }

    #[test]
    fn text_is_drawn_without_any_system_font() {
        let text = r##"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><rect width="200" height="40" fill="#fff"/><text x="10" y="28" font-size="20" font-family="DejaVu Sans, Verdana, sans-serif">Brian</text></svg>"##;
        let blank = r##"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><rect width="200" height="40" fill="#fff"/></svg>"##;
        let fonts = Arc::new(load_fonts(false));
        assert_eq!(inked(&render(blank, fonts.clone()).expect("draws")), 0);
        assert!(
            inked(&render(text, fonts).expect("draws")) > 50,
            "the name is drawn with the embedded font"
        );
    }
}
