//! The line editor's helper: Tab completion, colours, hints and the validator that decides
//! whether Enter ends a recalled multi-line statement.

use super::catalog::Catalog;
use super::lex::{self, Kind, Token};
use super::meta::COMMANDS;
use crate::cli::text;
use rustyline::completion::{Completer, FilenameCompleter, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::{Hint, Hinter};
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Helper};
use std::borrow::Cow;
use std::sync::Arc;

/// At most this many node names are offered for one Tab: every match, sorted, which the
/// editor pages (it asks "Display all N possibilities?", then shows a screen at a time
/// with --More--). The editor counts candidates in a u16 and panics past 65,535, so a
/// prefix matching more is cut, keeping the prefix common to all (see
/// [`super::catalog::Snapshot::names_starting`]).
pub const MAX_CANDIDATES: usize = u16::MAX as usize;

const KEYWORD: &str = "\x1b[1;34m";
const STRING: &str = "\x1b[32m";
const NUMBER: &str = "\x1b[36m";
const COMMENT: &str = "\x1b[2m";
const PARAM: &str = "\x1b[35m";
const NAME: &str = "\x1b[33m";
const WRONG: &str = "\x1b[1;37;41m";
const RESET: &str = "\x1b[0m";

/// The shell's helper.
pub struct ShellHelper {
    /// The lines of the statement typed so far (each followed by '\n'), before this line.
    pub pending: String,
    /// The names of the parameters set with `:param`.
    pub params: Vec<String>,
    /// Whether to colour.
    pub color: bool,
    catalog: Arc<Catalog>,
    files: FilenameCompleter,
}

/// True when the word after `before` is an ACTOR statement's label: `ACTOR "X" AS `.
fn actor_label_next(text: &str, before: &[Token]) -> bool {
    let mut words = before
        .iter()
        .filter(|t| !matches!(t.kind, Kind::Space | Kind::Comment));
    let first = words.next();
    let last = before
        .iter()
        .rev()
        .find(|t| !matches!(t.kind, Kind::Space | Kind::Comment));
    let is = |t: Option<&Token>, word: &str| {
        t.is_some_and(|t| text[t.start..t.end].eq_ignore_ascii_case(word))
    };
    is(first, "ACTOR") && is(last, "AS")
}

impl ShellHelper {
    /// A helper completing from `catalog`.
    pub fn new(catalog: Arc<Catalog>, color: bool) -> Self {
        ShellHelper {
            pending: String::new(),
            params: Vec::new(),
            color,
            catalog,
            files: FilenameCompleter::new(),
        }
    }

    /// True when `line` is a shell command (`:help`), not Cypher.
    fn is_command(&self, line: &str) -> bool {
        self.pending.is_empty() && line.trim_start().starts_with(':')
    }

    /// Candidates for the text before the cursor: where they replace from, and them.
    pub fn candidates(&self, line: &str, pos: usize) -> (usize, Vec<Pair>) {
        if self.is_command(line) {
            return self.command_candidates(line, pos);
        }
        let base = self.pending.len();
        let text = format!("{}{}", self.pending, &line[..pos]);
        let tokens = lex::tokens(&text);
        let Some(&last) = tokens.last() else {
            return (pos, Vec::new());
        };
        if last.kind == Kind::String && !last.closed {
            if last.start < base {
                return (pos, Vec::new());
            }
            return (last.start - base, self.names(&text[last.start..]));
        }
        let (word_start, word, before) = match last.kind {
            Kind::Word | Kind::Keyword => (last.start, &text[last.start..], tokens.len() - 1),
            Kind::Param => {
                return (
                    last.start - base.min(last.start),
                    self.param_candidates(&text[last.start + 1..]),
                );
            }
            _ => (text.len(), "", tokens.len()),
        };
        if word_start < base {
            return (pos, Vec::new());
        }
        if let Some(start) = procedure_name_start(&text, &tokens[..before], word_start) {
            let typed = &text[start..word_start + word.len()];
            let pairs = self
                .catalog
                .procedure_names()
                .into_iter()
                .filter(|n| starts_with_ignoring_case(n, typed))
                .map(|n| pair(&n, n.clone()))
                .collect();
            return (start - base, pairs);
        }
        if actor_label_next(&text, &tokens[..before]) {
            return (word_start - base, self.actor_labels(word));
        }
        let previous = before.checked_sub(1).map(|i| tokens[i]);
        let pairs = match previous.map(|t| t.kind) {
            Some(Kind::Colon) => self.label_or_type(&text, &tokens[..before - 1], word),
            Some(Kind::Dot) => self.keys(word),
            _ if word.is_empty() => Vec::new(),
            _ => words(&text, &tokens, word),
        };
        (word_start - base, pairs)
    }

    fn command_candidates(&self, line: &str, pos: usize) -> (usize, Vec<Pair>) {
        let typed = &line[..pos];
        let start = typed.len() - typed.trim_start().len();
        let Some(space) = typed[start..].find(' ').map(|n| start + n) else {
            let word = &typed[start..];
            let pairs = COMMANDS
                .iter()
                .filter(|c| c.name.starts_with(word))
                .map(|c| Pair {
                    display: c.name.to_string(),
                    replacement: format!("{} ", c.name),
                })
                .collect();
            return (start, pairs);
        };
        let command = &typed[start..space];
        let arg_start = typed.len() - typed[space..].trim_start().len();
        let arg = &typed[arg_start..];
        let choices: &[&str] = match command {
            ":format" => &["table", "csv", "json", "jsonl"],
            ":timing" | ":strict" => &["on", "off"],
            ":mode" => &["table", "line", "compact"],
            ":width" => &["auto"],
            ":help" => super::help::TOPICS,
            ":source" => {
                let ctx_free = self.files.complete_path(line, pos);
                return ctx_free.unwrap_or((pos, Vec::new()));
            }
            _ => &[],
        };
        let pairs = choices
            .iter()
            .filter(|c| c.starts_with(arg))
            .map(|c| pair(c, c.to_string()))
            .collect();
        (arg_start, pairs)
    }

    /// Node names for an open string `quoted` (the quote and what follows it).
    fn names(&self, quoted: &str) -> Vec<Pair> {
        let quote = if quoted.starts_with('\'') { '\'' } else { '"' };
        let Some(snapshot) = self.catalog.snapshot() else {
            return Vec::new();
        };
        snapshot
            .names_starting(&quoted[1..], MAX_CANDIDATES)
            .into_iter()
            .map(|name| {
                let mut replacement = String::with_capacity(name.len() + 2);
                replacement.push(quote);
                if name.contains([quote, '\\']) {
                    replacement.push_str(&escape(name, quote));
                } else {
                    replacement.push_str(name);
                }
                replacement.push(quote);
                pair(name, replacement)
            })
            .collect()
    }

    fn label_or_type(&self, text: &str, before: &[Token], word: &str) -> Vec<Pair> {
        let (open, _) = lex::brackets(text, before);
        let innermost = open.last().map(|&n| &text[before[n].start..before[n].end]);
        let Some(snapshot) = self.catalog.snapshot() else {
            return Vec::new();
        };
        let names: Box<dyn Iterator<Item = &String>> = match innermost {
            Some("[") => Box::new(snapshot.types.keys()),
            // `{key: value}`: a value comes next, not a label.
            Some("{") => return Vec::new(),
            _ => Box::new(snapshot.labels.keys()),
        };
        names
            .filter(|n| starts_with_ignoring_case(n, word))
            .map(|n| pair(n, text::name(n)))
            .collect()
    }

    /// Labels for `ACTOR "X" AS ...`: those on the map and those the scale rule knows,
    /// but not the ones ACTOR refuses.
    fn actor_labels(&self, word: &str) -> Vec<Pair> {
        let snapshot = self.catalog.snapshot();
        let mut labels: Vec<&str> = crate::exec::actor_labels().collect();
        if let Some(snapshot) = &snapshot {
            labels.extend(snapshot.labels.keys().map(String::as_str));
        }
        labels.sort_unstable();
        labels.dedup();
        labels
            .into_iter()
            .filter(|l| !matches!(*l, "Actor" | "Factor" | "Learning"))
            .filter(|l| starts_with_ignoring_case(l, word))
            .map(|l| pair(l, text::name(l)))
            .collect()
    }

    fn keys(&self, word: &str) -> Vec<Pair> {
        let Some(snapshot) = self.catalog.snapshot() else {
            return Vec::new();
        };
        snapshot
            .keys()
            .filter(|k| starts_with_ignoring_case(k, word))
            .map(|k| pair(k, text::name(k)))
            .collect()
    }

    fn param_candidates(&self, word: &str) -> Vec<Pair> {
        self.params
            .iter()
            .filter(|p| p.starts_with(word))
            .map(|p| pair(p, format!("${p}")))
            .collect()
    }
}

/// Where a procedure name being typed after CALL starts (`CALL steward.betw`): the
/// start of its first word, when the tokens before the current word are `CALL` and
/// dotted words.
fn procedure_name_start(text: &str, before: &[Token], word_start: usize) -> Option<usize> {
    let mut i = before.len();
    let mut start = None;
    // Walk back over `word .` pairs.
    while i >= 2
        && before[i - 1].kind == Kind::Dot
        && matches!(before[i - 2].kind, Kind::Word | Kind::Keyword)
    {
        start = Some(before[i - 2].start);
        i -= 2;
    }
    while i >= 1 && matches!(before[i - 1].kind, Kind::Space | Kind::Comment) {
        i -= 1;
    }
    let call = i
        .checked_sub(1)
        .map(|j| &text[before[j].start..before[j].end])?;
    if !call.eq_ignore_ascii_case("call") {
        return None;
    }
    Some(start.unwrap_or(word_start))
}

/// Keywords, functions and the statement's own variables starting with `word`.
fn words(text: &str, tokens: &[Token], word: &str) -> Vec<Pair> {
    let mut pairs: Vec<Pair> = lex::KEYWORDS
        .iter()
        .filter(|k| starts_with_ignoring_case(k, word))
        .map(|k| pair(k, k.to_string()))
        .collect();
    pairs.extend(
        crate::plan::function_names()
            .filter(|f| starts_with_ignoring_case(f, word))
            .map(|f| Pair {
                display: format!("{f}()"),
                replacement: format!("{f}("),
            }),
    );
    let mut variables: Vec<&str> = tokens
        .iter()
        .enumerate()
        .filter(|(n, t)| {
            t.kind == Kind::Word
                && t.end < text.len()
                && !matches!(
                    n.checked_sub(1).map(|p| tokens[p].kind),
                    Some(Kind::Colon | Kind::Dot)
                )
        })
        .map(|(_, t)| &text[t.start..t.end])
        .filter(|v| v.starts_with(word) && *v != word)
        .collect();
    variables.sort_unstable();
    variables.dedup();
    pairs.extend(variables.into_iter().map(|v| pair(v, v.to_string())));
    pairs
}

fn pair(display: &str, replacement: String) -> Pair {
    Pair {
        display: display.to_string(),
        replacement,
    }
}

fn starts_with_ignoring_case(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len()
        && s.is_char_boundary(prefix.len())
        && s[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// `s` for a string literal quoted with `quote`.
fn escape(s: &str, quote: char) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c == quote || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

impl Completer for ShellHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        Ok(self.candidates(line, pos))
    }
}

/// A hint shown in grey after the cursor.
pub struct ShellHint {
    display: String,
    completion: Option<String>,
}

impl Hint for ShellHint {
    fn display(&self) -> &str {
        &self.display
    }

    fn completion(&self) -> Option<&str> {
        self.completion.as_deref()
    }
}

impl Hinter for ShellHelper {
    type Hint = ShellHint;

    fn hint(&self, line: &str, pos: usize, _ctx: &Context<'_>) -> Option<ShellHint> {
        if pos < line.len() {
            return None;
        }
        if self.is_command(line) {
            let typed = line.trim_start();
            let mut matching = COMMANDS.iter().filter(|c| c.name.starts_with(typed));
            let command = matching.next()?;
            let rest = &command.name[typed.len()..];
            return Some(ShellHint {
                display: format!("{rest} {}  {}", command.args, command.about)
                    .trim_end()
                    .to_string(),
                completion: Some(rest.to_string()).filter(|r| !r.is_empty()),
            });
        }
        // Typed the ';' but something is still open: say what, before Enter.
        if line.trim_end().ends_with(';') {
            let text = format!("{}{line}", self.pending);
            let open = lex::left_open(&text)?;
            let display = if lex::is_complete(&text) {
                format!("   -- not closed: {open}; Enter runs it and shows where")
            } else {
                format!("   -- still open: {open}")
            };
            return Some(ShellHint {
                display,
                completion: None,
            });
        }
        None
    }
}

impl Highlighter for ShellHelper {
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> Cow<'l, str> {
        if !self.color || line.is_empty() {
            return Cow::Borrowed(line);
        }
        if self.is_command(line) {
            let end = line.find(' ').unwrap_or(line.len());
            return Cow::Owned(format!("{NAME}{}{RESET}{}", &line[..end], &line[end..]));
        }
        Cow::Owned(self.paint(line))
    }

    fn highlight_prompt<'b, 's: 'b, 'p: 'b>(
        &'s self,
        prompt: &'p str,
        _default: bool,
    ) -> Cow<'b, str> {
        if self.color {
            Cow::Owned(format!("\x1b[1;32m{prompt}{RESET}"))
        } else {
            Cow::Borrowed(prompt)
        }
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if self.color {
            Cow::Owned(format!("{COMMENT}{hint}{RESET}"))
        } else {
            Cow::Borrowed(hint)
        }
    }

    fn highlight_char(&self, _line: &str, _pos: usize, _kind: CmdKind) -> bool {
        self.color
    }
}

impl ShellHelper {
    /// `line` with colours, read in the context of the statement's earlier lines.
    fn paint(&self, line: &str) -> String {
        let base = self.pending.len();
        let text = format!("{}{line}", self.pending);
        let tokens = lex::tokens(&text);
        let (open, stray) = lex::brackets(&text, &tokens);
        let mut out = String::with_capacity(line.len() * 2);
        for (n, t) in tokens.iter().enumerate() {
            if t.end <= base {
                continue;
            }
            let piece = &text[t.start.max(base)..t.end];
            let after_colon = n > 0 && tokens[n - 1].kind == Kind::Colon;
            let colour = match t.kind {
                Kind::Open | Kind::Close if open.contains(&n) || stray.contains(&n) => Some(WRONG),
                Kind::String | Kind::Quoted if !t.closed => Some(WRONG),
                Kind::Keyword => Some(KEYWORD),
                Kind::String => Some(STRING),
                Kind::Number => Some(NUMBER),
                Kind::Comment => Some(COMMENT),
                Kind::Param => Some(PARAM),
                Kind::Word | Kind::Quoted if after_colon => Some(NAME),
                _ => None,
            };
            match colour {
                // Colour each line of a multi-line token on its own.
                Some(c) => out.push_str(
                    &piece
                        .split('\n')
                        .map(|p| format!("{c}{p}{RESET}"))
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
                None => out.push_str(piece),
            }
        }
        out
    }
}

impl Validator for ShellHelper {
    /// A line typed at the prompt is always taken (the shell shows a continuation prompt
    /// itself); a recalled multi-line statement that is not complete yet takes Enter as a
    /// new line, so it can be finished in place.
    fn validate(&self, ctx: &mut ValidationContext<'_>) -> rustyline::Result<ValidationResult> {
        let input = ctx.input();
        if !input.contains('\n') || self.is_command(input) {
            return Ok(ValidationResult::Valid(None));
        }
        let text = format!("{}{input}", self.pending);
        if lex::is_complete(&text) {
            Ok(ValidationResult::Valid(None))
        } else {
            Ok(ValidationResult::Incomplete)
        }
    }
}

impl Helper for ShellHelper {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;

    fn helper() -> ShellHelper {
        let db = Arc::new(Db::in_memory());
        db.execute(
            "CREATE (:Person {name: 'Brian'})-[:USES {since: 1}]->(:Service {name: 'GP'}), (:Person {name: \"O'Brien\"})",
            &Default::default(),
        )
        .unwrap();
        let catalog = Arc::new(Catalog::new(db));
        catalog.refresh();
        catalog.settled();
        ShellHelper::new(catalog, false)
    }

    fn complete(h: &ShellHelper, line: &str) -> (usize, Vec<String>) {
        let (start, pairs) = h.candidates(line, line.len());
        (start, pairs.into_iter().map(|p| p.replacement).collect())
    }

    #[test]
    fn completes_names_in_quotes_labels_types_keys_and_keywords() {
        let h = helper();
        assert_eq!(
            complete(&h, "MATCH (n {name: \"Bri"),
            (16, vec!["\"Brian\"".to_string()])
        );
        assert_eq!(
            complete(&h, "MATCH (n {name: 'o"),
            (16, vec!["'O\\'Brien'".to_string()])
        );
        assert_eq!(complete(&h, "MATCH (n:Pe"), (9, vec!["Person".to_string()]));
        assert_eq!(
            complete(&h, "MATCH (n:"),
            (9, vec!["Person".to_string(), "Service".to_string()])
        );
        assert_eq!(
            complete(&h, "MATCH ()-[r:U"),
            (12, vec!["USES".to_string()])
        );
        assert_eq!(
            complete(&h, "MATCH (n) RETURN n.na"),
            (19, vec!["name".to_string()])
        );
        assert_eq!(complete(&h, "mat"), (0, vec!["MATCH".to_string()]));
        assert!(
            complete(&h, "RETURN toU")
                .1
                .contains(&"toUpper(".to_string())
        );
        assert_eq!(
            complete(&h, "MATCH (person) RETURN pers").1,
            vec!["person".to_string()]
        );
        assert_eq!(complete(&h, "MATCH (n {name: ").1, Vec::<String>::new());
        assert_eq!(
            complete(&h, "CALL steward.deg"),
            (5, vec!["steward.degree".to_string()])
        );
        assert_eq!(
            complete(&h, "call db.l"),
            (5, vec!["db.labels".to_string()])
        );
        assert!(
            complete(&h, "CALL ste")
                .1
                .contains(&"steward.procedures".to_string())
        );
        // ACTOR's labels: the map's and the scale rule's, never Factor or Learning.
        assert_eq!(
            complete(&h, "ACTOR \"GP\" AS Serv"),
            (14, vec!["Service".to_string()])
        );
        assert_eq!(
            complete(&h, "actor 'Food bank' as ch"),
            (21, vec!["Charity".to_string()])
        );
        let all = complete(&h, "ACTOR \"X\" AS ").1;
        assert!(all.contains(&"Person".to_string()) && all.contains(&"Neighbourhood".to_string()));
        assert!(
            !all.iter()
                .any(|l| l == "Factor" || l == "Learning" || l == "Actor")
        );
        assert_eq!(complete(&h, "MATCH (n) AS Serv").1, Vec::<String>::new());
    }

    #[test]
    fn completes_commands_and_their_arguments() {
        let h = helper();
        assert_eq!(complete(&h, ":for"), (0, vec![":format ".to_string()]));
        assert_eq!(
            complete(&h, ":format js"),
            (8, vec!["json".to_string(), "jsonl".to_string()])
        );
    }

    #[test]
    fn every_one_of_fifty_thousand_names_is_offered_sorted() {
        let db = Arc::new(Db::in_memory());
        db.execute(
            "UNWIND range(1, 50000) AS i CREATE (:Factor {name: 'F' + i})",
            &Default::default(),
        )
        .unwrap();
        let catalog = Arc::new(Catalog::new(db));
        catalog.refresh();
        catalog.settled();
        let h = ShellHelper::new(catalog, false);
        let (start, names) = complete(&h, "SHOW \"F");
        assert_eq!(start, 5);
        assert_eq!(names.len(), 50_000);
        assert!(names.windows(2).all(|w| w[0] < w[1]), "sorted");
        assert_eq!(names[..3], ["\"F1\"", "\"F10\"", "\"F100\""]);
        assert_eq!(names.last().map(String::as_str), Some("\"F9999\""));
        assert_eq!(complete(&h, "SHOW \"F4999").1.len(), 11);
    }

    #[test]
    fn completion_reads_earlier_lines_of_the_statement() {
        let mut h = helper();
        h.pending = "MATCH ()-[r\n".to_string();
        assert_eq!(complete(&h, ":US"), (1, vec!["USES".to_string()]));
    }
}
