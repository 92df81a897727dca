//! Mutation of real inputs: the TCK's queries, the statements of examples/*.cypher and
//! tests/hls/*.cypher, and import files — deletions, duplications and swaps of bytes and
//! tokens, splices of two inputs, random unicode and control characters, huge numbers,
//! deep nesting.

use std::path::{Path, PathBuf};

/// A small deterministic random number generator (splitmix64).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// Seeded.
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9e37_79b9_7f4a_7c15)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// True one time in `n`.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    /// One of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The repository's root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// The TCK's feature files: `$STEWARD_TCK_DIR`, else ../shared/tck next to the
/// repository (as tests/tck reads it). Missing is a failure, not a skip.
pub fn tck_dir() -> PathBuf {
    match std::env::var_os("STEWARD_TCK_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => root().join("../shared/tck"),
    }
}

fn files_under(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files_under(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

/// The seed queries: every doc string of the TCK's feature files (the queries of its
/// scenarios and their setup), and every statement of examples/*.cypher and
/// tests/hls/*.cypher, in a fixed order.
pub fn corpus() -> Vec<String> {
    let mut out = Vec::new();
    let mut features = Vec::new();
    files_under(&tck_dir().join("features"), "feature", &mut features);
    assert!(
        !features.is_empty(),
        "no TCK feature files under {} (set STEWARD_TCK_DIR)",
        tck_dir().display()
    );
    for path in features {
        let text = std::fs::read_to_string(&path).expect("a readable feature file");
        let mut block: Option<Vec<&str>> = None;
        for line in text.lines() {
            let trimmed = line.trim();
            if trimmed == "\"\"\"" {
                match block.take() {
                    Some(lines) => out.push(lines.join("\n")),
                    None => block = Some(Vec::new()),
                }
            } else if let Some(lines) = block.as_mut() {
                lines.push(trimmed);
            }
        }
    }
    let mut scripts = Vec::new();
    files_under(&root().join("examples"), "cypher", &mut scripts);
    files_under(&root().join("tests/hls"), "cypher", &mut scripts);
    for path in scripts {
        let text = std::fs::read_to_string(&path).expect("a readable script");
        for statement in steward::syntax::split_statements(&text) {
            out.push(statement.text.to_string());
        }
    }
    out.retain(|q| !q.trim().is_empty());
    out
}

const KEYWORDS: &[&str] = &[
    "MATCH",
    "OPTIONAL",
    "WHERE",
    "WITH",
    "RETURN",
    "UNWIND",
    "AS",
    "ORDER BY",
    "SKIP",
    "LIMIT",
    "CREATE",
    "MERGE",
    "SET",
    "DELETE",
    "DETACH",
    "REMOVE",
    "CALL",
    "YIELD",
    "UNION",
    "DISTINCT",
    "CASE",
    "WHEN",
    "THEN",
    "ELSE",
    "END",
    "AND",
    "OR",
    "NOT",
    "IN",
    "IS NULL",
    "count(*)",
    "collect(",
    "EXISTS {",
    "ACTOR",
    "FACTOR",
    "LINK",
    "UNLINK",
    "FORGET",
    "RENAME",
    "INTO",
    "SHOW",
    "PATHS FROM",
    "WITHIN",
    "STEPS",
    "LOAD CSV FROM",
    "EXPLAIN",
    "PROFILE",
    "*",
    "*..",
    "-->",
    "<--",
    "-[*]-",
    "[",
    "]",
    "(",
    ")",
    "{",
    "}",
    ",",
    ".",
    ":",
    "$",
    "|",
    "..",
    "'",
    "\"",
    "`",
    "/*",
    "*/",
    "//",
    ";",
    "#",
    "?",
];

const HUGE: &[&str] = &[
    "9223372036854775807",
    "-9223372036854775808",
    "9223372036854775808",
    "99999999999999999999999999999",
    "0x7FFFFFFFFFFFFFFF",
    "0xFFFFFFFFFFFFFFFFF",
    "0o7777777777777777777777",
    "1e309",
    "-1e309",
    "1.7976931348623157e308",
    "4.9e-324",
    "0.0000000000000000000000000001",
    "1000000000",
    "-1",
    "0",
    "NaN",
];

const ODD_CHARS: &[char] = &[
    '\0',
    '\u{1}',
    '\u{7}',
    '\u{8}',
    '\t',
    '\n',
    '\r',
    '\u{b}',
    '\u{c}',
    '\u{1b}',
    '\u{7f}',
    '\u{85}',
    '\u{a0}',
    '\u{ad}',
    '\u{200b}',
    '\u{200d}',
    '\u{202e}',
    '\u{2028}',
    '\u{2029}',
    '\u{feff}',
    '\u{fffd}',
    '\u{ffff}',
    '\u{10ffff}',
    'é',
    'ß',
    'İ',
    'ﬃ',
    '\u{301}',
    '日',
    '🙂',
    '\\',
    '\'',
    '"',
    '`',
    '$',
    '#',
    '{',
    '}',
    '[',
    ']',
    '(',
    ')',
    '-',
    '>',
    '<',
    '*',
    '.',
];

/// Character boundaries of `s`, including its end.
fn boundaries(s: &str) -> Vec<usize> {
    s.char_indices().map(|(i, _)| i).chain([s.len()]).collect()
}

/// A random character range `(start, end)` of `s`, up to `max` characters long.
fn range(rng: &mut Rng, s: &str, max: usize) -> (usize, usize) {
    let b = boundaries(s);
    let i = rng.below(b.len());
    let j = (i + 1 + rng.below(max)).min(b.len() - 1);
    (b[i], b[j.max(i)])
}

/// Token boundaries: starts of runs of word characters, and every other character.
fn tokens(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        let word = c.is_alphanumeric() || c == '_';
        match (start, word) {
            (None, true) => start = Some(i),
            (Some(_), true) => {}
            (Some(st), false) => {
                out.push((st, i));
                start = None;
                if !c.is_whitespace() {
                    out.push((i, i + c.len_utf8()));
                }
            }
            (None, false) => {
                if !c.is_whitespace() {
                    out.push((i, i + c.len_utf8()));
                }
            }
        }
    }
    if let Some(st) = start {
        out.push((st, s.len()));
    }
    out
}

/// One mutation of `s`; `other` is a second input for splices.
pub fn mutate_once(rng: &mut Rng, s: &str, other: &str) -> String {
    let mut s = s.to_string();
    match rng.below(14) {
        0 => {
            let (a, b) = range(rng, &s, 8);
            s.replace_range(a..b, "");
        }
        1 => {
            let (a, b) = range(rng, &s, 12);
            let piece = s[a..b].to_string();
            s.insert_str(b, &piece);
        }
        2 => {
            let (a, b) = range(rng, &s, 6);
            let (c, d) = range(rng, &s, 6);
            if b <= c {
                let (x, y) = (s[a..b].to_string(), s[c..d].to_string());
                s = format!("{}{y}{}{x}{}", &s[..a], &s[b..c], &s[d..]);
            }
        }
        3 => {
            let b = boundaries(&s);
            let o = boundaries(other);
            let cut = b[rng.below(b.len())];
            let from = o[rng.below(o.len())];
            s = format!("{}{}", &s[..cut], &other[from..]);
        }
        4 => {
            let b = boundaries(&s);
            let at = b[rng.below(b.len())];
            let c = *rng.pick(ODD_CHARS);
            s.insert(at, c);
        }
        5 => {
            let b = boundaries(&s);
            let at = b[rng.below(b.len())];
            let c = char::from_u32(rng.below(0x11_0000) as u32).unwrap_or('\u{fffd}');
            s.insert(at, c);
        }
        6 => {
            // A number becomes a huge (or odd) one.
            let toks = tokens(&s);
            let numbers: Vec<_> = toks
                .iter()
                .filter(|(a, _)| s[*a..].starts_with(|c: char| c.is_ascii_digit()))
                .collect();
            let huge = rng.pick(HUGE);
            if let Some(&&(a, b)) = numbers.get(rng.below(numbers.len().max(1))) {
                s.replace_range(a..b, huge);
            } else {
                let b = boundaries(&s);
                s.insert_str(b[rng.below(b.len())], huge);
            }
        }
        7 => {
            // Deep nesting around a token, or at the end of a RETURN.
            let deep = rng.one_in(4);
            let depth = 1 + rng.below(if deep { 3000 } else { 60 });
            let (open, close) = *rng.pick(&[
                ("(", ")"),
                ("[", "]"),
                ("{a:", "}"),
                ("-", ""),
                ("NOT ", ""),
                ("[[", "][0]]"),
                ("size(", ")"),
                ("CASE WHEN true THEN ", " END"),
            ]);
            let toks = tokens(&s);
            if let Some(&(a, b)) = toks.get(rng.below(toks.len().max(1))) {
                let inner = s[a..b].to_string();
                s.replace_range(
                    a..b,
                    &format!("{}{inner}{}", open.repeat(depth), close.repeat(depth)),
                );
            }
        }
        8 | 9 => {
            let toks = tokens(&s);
            if !toks.is_empty() {
                let (a, b) = toks[rng.below(toks.len())];
                match rng.below(3) {
                    0 => s.replace_range(a..b, ""),
                    1 => {
                        let t = s[a..b].to_string();
                        s.insert_str(b, &format!(" {t}"));
                    }
                    _ => {
                        let (c, d) = toks[rng.below(toks.len())];
                        if b <= c {
                            let (x, y) = (s[a..b].to_string(), s[c..d].to_string());
                            s = format!("{}{y}{}{x}{}", &s[..a], &s[b..c], &s[d..]);
                        }
                    }
                }
            }
        }
        10 | 11 => {
            let toks = tokens(&s);
            let kw = rng.pick(KEYWORDS);
            if let Some(&(a, b)) = toks.get(rng.below(toks.len().max(1))) {
                if rng.one_in(2) {
                    s.replace_range(a..b, kw);
                } else {
                    s.insert_str(a, &format!("{kw} "));
                }
            }
        }
        12 => {
            // Truncate.
            let b = boundaries(&s);
            s.truncate(b[rng.below(b.len())]);
        }
        _ => {
            // A splice of whole tokens from the other input.
            let toks = tokens(&s);
            let theirs = tokens(other);
            if let (Some(&(a, _)), Some(&(c, d))) = (
                toks.get(rng.below(toks.len().max(1))),
                theirs.get(rng.below(theirs.len().max(1))),
            ) {
                let end = theirs
                    .get((rng.below(theirs.len()) + 1).min(theirs.len() - 1))
                    .map_or(d, |t| t.1.max(d));
                s.insert_str(a, &format!("{} ", &other[c..end]));
            }
        }
    }
    s
}

/// One to four mutations of `s`.
pub fn mutate(rng: &mut Rng, s: &str, other: &str) -> String {
    let mut out = s.to_string();
    for _ in 0..=rng.below(4) {
        out = mutate_once(rng, &out, other);
    }
    out
}
