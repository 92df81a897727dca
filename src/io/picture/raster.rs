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

/// The most pixels a PNG may have (a 300-node map stays well under it).
const MAX_PIXELS: u64 = 120_000_000;

/// Draws an SVG document as PNG bytes.
pub(crate) fn png(svg: &str) -> Result<Vec<u8>, PictureError> {
    let options = usvg::Options { fontdb: fonts(), ..usvg::Options::default() };
    let tree = usvg::Tree::from_str(svg, &options).map_err(PictureError::Svg)?;
    let size = tree.size().to_int_size();
    let (width, height) = (size.width(), size.height());
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(PictureError::PixmapSize { width, height });
    }
    let mut pixmap = Pixmap::new(width, height).ok_or(PictureError::PixmapSize { width, height })?;
    resvg::render(&tree, Transform::identity(), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(PictureError::Png)
}

/// The font database, built on first use.
fn fonts() -> Arc<fontdb::Database> {
    static FONTS: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    FONTS.get_or_init(|| Arc::new(load_fonts())).clone()
}

/// The system's fonts, with DejaVu Sans added when none of our families is among them;
/// "sans-serif" is pointed at the first family found.
fn load_fonts() -> fontdb::Database {
    let mut db = fontdb::Database::new();
    db.load_system_fonts();
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
        let query = fontdb::Query { families: &[fontdb::Family::Name(family)], ..fontdb::Query::default() };
        db.query(&query).is_some()
    })
}
