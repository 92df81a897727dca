//! Text: how wide a string is drawn, how a long name is wrapped or shortened, and how it is
//! escaped for XML.
//!
//! Widths are measured without loading a font, from the advance widths of DejaVu Sans (the
//! first family the SVG asks for); other fonts the viewer may fall back to (Verdana, Arial)
//! are no wider, so a box sized from these widths holds its text.

/// Advance widths of DejaVu Sans for ' ' (0x20) to '~' (0x7E), in thousandths of an em.
const REGULAR: [u16; 95] = [
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636,
    636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632,
    575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685,
    611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579,
    278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
];

/// Advance widths of DejaVu Sans Bold for ' ' to '~', in thousandths of an em.
const BOLD: [u16; 95] = [
    348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696,
    696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683,
    683, 821, 837, 372, 372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771,
    724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665,
    343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
];

/// The character that ends a shortened name.
pub(crate) const ELLIPSIS: char = '…';

/// A font weight, for measuring.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Weight {
    /// Names, relationship types, the legend.
    Regular,
    /// The title.
    Bold,
}

/// The width of one character, in thousandths of an em.
fn char_width(c: char, weight: Weight) -> u32 {
    let table = match weight {
        Weight::Regular => &REGULAR,
        Weight::Bold => &BOLD,
    };
    match c {
        ' '..='~' => u32::from(table[c as usize - 0x20]),
        '\u{300}'..='\u{36F}' | '\u{200B}'..='\u{200F}' => 0,
        c if is_wide(c) => 1000,
        // Latin, Greek and Cyrillic letters with marks are about as wide as 'w'-ish letters.
        _ => 760,
    }
}

/// Whether a character is drawn a full em wide (CJK, Hangul, emoji and the like).
fn is_wide(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x1F300..=0x1FAFF
        | 0x20000..=0x3FFFD)
}

/// The width of `text` drawn at `size` pixels.
pub(crate) fn width(text: &str, size: f64, weight: Weight) -> f64 {
    let milli: u32 = text.chars().map(|c| char_width(c, weight)).sum();
    f64::from(milli) * size / 1000.0
}

/// Splits `text` into at most `max_lines` lines no wider than `max_width` pixels at `size`
/// in `weight`.
///
/// Lines break between words; a word wider than a line is broken between characters. Text
/// that needs more lines is cut at the end of the last line and marked with an ellipsis.
/// Blank text gives one empty line.
pub(crate) fn wrap(
    text: &str,
    size: f64,
    max_width: f64,
    max_lines: usize,
    weight: Weight,
) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let fits = |line: &str| width(line, size, weight) <= max_width;
    for word in text.split_whitespace() {
        place_word(&mut lines, word, &fits);
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    if lines.len() > max_lines.max(1) {
        lines.truncate(max_lines.max(1));
        if let Some(last) = lines.last_mut() {
            *last = with_ellipsis(last, &fits);
        }
    }
    lines
}

/// Adds `word` to the lines being built, on the last line if it fits there.
fn place_word(lines: &mut Vec<String>, word: &str, fits: &dyn Fn(&str) -> bool) {
    if let Some(last) = lines.last_mut() {
        let joined = format!("{last} {word}");
        if fits(&joined) {
            *last = joined;
            return;
        }
    }
    let mut current = String::new();
    for c in word.chars() {
        current.push(c);
        if !fits(&current) && current.chars().count() > 1 {
            current.pop();
            lines.push(std::mem::take(&mut current));
            current.push(c);
        }
    }
    lines.push(current);
}

/// `line` followed by an ellipsis, shortened so that both fit.
fn with_ellipsis(line: &str, fits: &dyn Fn(&str) -> bool) -> String {
    let mut kept: String = line.to_owned();
    loop {
        let candidate = format!("{}{ELLIPSIS}", kept.trim_end());
        if fits(&candidate) || kept.is_empty() {
            return candidate;
        }
        kept.pop();
    }
}

/// Escapes text for XML content or a double- or single-quoted attribute, with tabs and
/// line breaks as spaces and the characters XML 1.0 cannot hold replaced (as every XML
/// export of steward writes text).
pub(crate) fn escape(text: &str) -> String {
    crate::io::graphml::xml(&text.replace(['\t', '\n', '\r'], " "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_stay_on_one_line() {
        assert_eq!(
            wrap("Brian", 12.0, 150.0, 3, Weight::Regular),
            vec!["Brian"]
        );
    }

    #[test]
    fn long_names_wrap_between_words() {
        let lines = wrap(
            "Participation in neighbourhood activities",
            12.0,
            150.0,
            3,
            Weight::Regular,
        );
        assert_eq!(lines, vec!["Participation in", "neighbourhood activities"]);
        assert!(
            lines
                .iter()
                .all(|l| width(l, 12.0, Weight::Regular) <= 150.0)
        );
    }

    #[test]
    fn too_long_names_end_with_an_ellipsis() {
        let name = "a very long name that will certainly not fit on three short lines at all";
        let lines = wrap(name, 12.0, 80.0, 3, Weight::Regular);
        assert_eq!(lines.len(), 3);
        assert!(lines[2].ends_with(ELLIPSIS), "{lines:?}");
        assert!(
            lines
                .iter()
                .all(|l| width(l, 12.0, Weight::Regular) <= 80.0)
        );
    }

    #[test]
    fn a_word_longer_than_a_line_is_broken() {
        let lines = wrap(
            "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch",
            12.0,
            100.0,
            9,
            Weight::Regular,
        );
        assert!(lines.len() > 2);
        assert!(
            lines
                .iter()
                .all(|l| width(l, 12.0, Weight::Regular) <= 100.0)
        );
        assert_eq!(
            lines.concat(),
            "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch"
        );
    }

    #[test]
    fn blank_names_give_one_empty_line() {
        assert_eq!(
            wrap("  ", 12.0, 100.0, 3, Weight::Regular),
            vec![String::new()]
        );
    }

    #[test]
    fn escaping_covers_markup_and_control_characters() {
        assert_eq!(
            escape("Zoë & <Co> \"'\u{1}"),
            "Zoë &amp; &lt;Co&gt; &quot;&apos;\u{FFFD}"
        );
    }
}
