//! The TCK's literal syntax for expected values and parameters, and a small
//! recursive-descent parser for it.
//!
//! Grammar (whitespace allowed between tokens):
//!
//! ```text
//! value  := null | true | false | number | NaN | Inf | -Inf | string | list | map
//!         | node | rel | path
//! list   := '[' (value (',' value)*)? ']'
//! map    := '{' (key ':' value (',' key ':' value)*)? '}'
//! node   := '(' (':' name)* map? ')'
//! rel    := '[' ':' name map? ']'
//! path   := '<' node (('-' rel '->' | '<-' rel '-') node)* '>'
//! string := '\'' chars '\''      (backslash escapes as in Cypher)
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// An expected node: labels (a set) and properties; ids are not part of the syntax.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeVal {
    pub labels: BTreeSet<String>,
    pub props: BTreeMap<String, Val>,
}

/// An expected relationship: type and properties.
#[derive(Debug, Clone, PartialEq)]
pub struct RelVal {
    pub rel_type: String,
    pub props: BTreeMap<String, Val>,
}

/// One hop of an expected path: the relationship, whether it points along the path
/// (`-[]->`) or against it (`<-[]-`), and the node it leads to.
#[derive(Debug, Clone, PartialEq)]
pub struct Hop {
    pub rel: RelVal,
    pub forward: bool,
    pub node: NodeVal,
}

/// An expected value.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
    List(Vec<Val>),
    Map(BTreeMap<String, Val>),
    Node(NodeVal),
    Rel(RelVal),
    Path(NodeVal, Vec<Hop>),
}

/// Parses one whole value; trailing text is an error.
pub fn parse_value(text: &str) -> Result<Val, String> {
    let mut p = Parser {
        s: text.as_bytes(),
        text,
        i: 0,
    };
    let v = p.value()?;
    p.ws();
    if p.i != p.s.len() {
        return Err(p.err("end of value"));
    }
    Ok(v)
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
}

impl Parser<'_> {
    fn err(&self, expected: &str) -> String {
        format!("expected {expected} at byte {} of {:?}", self.i, self.text)
    }

    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.s.get(self.i).copied()
    }

    fn eat(&mut self, token: &str) -> bool {
        self.ws();
        if self.text[self.i..].starts_with(token) {
            self.i += token.len();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, token: &str) -> Result<(), String> {
        if self.eat(token) {
            Ok(())
        } else {
            Err(self.err(&format!("'{token}'")))
        }
    }

    fn value(&mut self) -> Result<Val, String> {
        match self.peek() {
            None => Err(self.err("a value")),
            Some(b'\'') => self.string().map(Val::String),
            Some(b'{') => self.map().map(Val::Map),
            Some(b'(') => self.node().map(Val::Node),
            Some(b'<') => self.path(),
            Some(b'[') => {
                let save = self.i;
                self.i += 1;
                let is_rel = self.peek() == Some(b':');
                self.i = save;
                if is_rel {
                    self.rel().map(Val::Rel)
                } else {
                    self.list()
                }
            }
            Some(c) if c == b'-' || c == b'+' || c == b'.' || c.is_ascii_digit() => self.number(),
            Some(_) => {
                let word = self.word();
                match word.as_str() {
                    "null" => Ok(Val::Null),
                    "true" => Ok(Val::Bool(true)),
                    "false" => Ok(Val::Bool(false)),
                    "NaN" => Ok(Val::Float(f64::NAN)),
                    "Inf" | "Infinity" => Ok(Val::Float(f64::INFINITY)),
                    _ => Err(self.err("a value")),
                }
            }
        }
    }

    fn word(&mut self) -> String {
        self.ws();
        let start = self.i;
        while self.i < self.s.len()
            && (self.s[self.i].is_ascii_alphanumeric() || self.s[self.i] == b'_')
        {
            self.i += 1;
        }
        self.text[start..self.i].to_string()
    }

    fn number(&mut self) -> Result<Val, String> {
        self.ws();
        let start = self.i;
        if matches!(self.s.get(self.i), Some(b'-') | Some(b'+')) {
            self.i += 1;
        }
        let negative = self.s[start] == b'-';
        if self.text[self.i..].starts_with("Inf") {
            self.i += 3;
            if self.text[self.i..].starts_with("inity") {
                self.i += 5;
            }
            return Ok(Val::Float(if negative {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            }));
        }
        let mut float = false;
        while let Some(&c) = self.s.get(self.i) {
            match c {
                b'0'..=b'9' => {}
                b'.' | b'e' | b'E' => float = true,
                b'-' | b'+' if matches!(self.s[self.i - 1], b'e' | b'E') => {}
                _ => break,
            }
            self.i += 1;
        }
        let lexeme = &self.text[start..self.i];
        if float {
            lexeme
                .parse::<f64>()
                .map(Val::Float)
                .map_err(|e| format!("bad float {lexeme:?}: {e}"))
        } else {
            lexeme
                .parse::<i64>()
                .map(Val::Int)
                .map_err(|e| format!("bad integer {lexeme:?}: {e}"))
        }
    }

    fn string(&mut self) -> Result<String, String> {
        self.expect("'")?;
        let mut out = String::new();
        let mut chars = self.text[self.i..].char_indices();
        while let Some((at, c)) = chars.next() {
            match c {
                '\'' => {
                    self.i += at + 1;
                    return Ok(out);
                }
                '\\' => match chars.next() {
                    Some((_, e)) => match e {
                        'n' => out.push('\n'),
                        't' => out.push('\t'),
                        'r' => out.push('\r'),
                        'b' => out.push('\u{8}'),
                        'f' => out.push('\u{c}'),
                        '\'' | '"' | '\\' => out.push(e),
                        'u' => {
                            let hex: String = chars.by_ref().take(4).map(|(_, h)| h).collect();
                            let code = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32);
                            out.push(
                                code.ok_or_else(|| format!("bad \\u escape in {:?}", self.text))?,
                            );
                        }
                        other => {
                            out.push('\\');
                            out.push(other);
                        }
                    },
                    None => break,
                },
                c => out.push(c),
            }
        }
        Err(format!("unterminated string in {:?}", self.text))
    }

    fn name(&mut self) -> Result<String, String> {
        self.ws();
        if self.s.get(self.i) == Some(&b'`') {
            let rest = &self.text[self.i + 1..];
            let end = rest.find('`').ok_or_else(|| self.err("closing '`'"))?;
            self.i += end + 2;
            return Ok(rest[..end].to_string());
        }
        let start = self.i;
        while let Some(c) = self.text[self.i..].chars().next() {
            if c.is_alphanumeric() || c == '_' {
                self.i += c.len_utf8();
            } else {
                break;
            }
        }
        if start == self.i {
            Err(self.err("a name"))
        } else {
            Ok(self.text[start..self.i].to_string())
        }
    }

    fn list(&mut self) -> Result<Val, String> {
        self.expect("[")?;
        let mut items = Vec::new();
        if self.eat("]") {
            return Ok(Val::List(items));
        }
        loop {
            items.push(self.value()?);
            if self.eat("]") {
                return Ok(Val::List(items));
            }
            self.expect(",")?;
        }
    }

    fn map(&mut self) -> Result<BTreeMap<String, Val>, String> {
        self.expect("{")?;
        let mut map = BTreeMap::new();
        if self.eat("}") {
            return Ok(map);
        }
        loop {
            let key = self.name()?;
            self.expect(":")?;
            let value = self.value()?;
            map.insert(key, value);
            if self.eat("}") {
                return Ok(map);
            }
            self.expect(",")?;
        }
    }

    fn props(&mut self) -> Result<BTreeMap<String, Val>, String> {
        if self.peek() == Some(b'{') {
            self.map()
        } else {
            Ok(BTreeMap::new())
        }
    }

    fn node(&mut self) -> Result<NodeVal, String> {
        self.expect("(")?;
        let mut labels = BTreeSet::new();
        while self.eat(":") {
            labels.insert(self.name()?);
        }
        let props = self.props()?;
        self.expect(")")?;
        Ok(NodeVal { labels, props })
    }

    fn rel(&mut self) -> Result<RelVal, String> {
        self.expect("[")?;
        self.expect(":")?;
        let rel_type = self.name()?;
        let props = self.props()?;
        self.expect("]")?;
        Ok(RelVal { rel_type, props })
    }

    fn path(&mut self) -> Result<Val, String> {
        self.expect("<")?;
        let start = self.node()?;
        let mut hops = Vec::new();
        loop {
            if self.eat(">") {
                return Ok(Val::Path(start, hops));
            }
            let (rel, forward) = if self.eat("<-") {
                let rel = self.rel()?;
                self.expect("-")?;
                (rel, false)
            } else {
                self.expect("-")?;
                let rel = self.rel()?;
                self.expect("->")?;
                (rel, true)
            };
            let node = self.node()?;
            hops.push(Hop { rel, forward, node });
        }
    }
}

fn write_props(f: &mut fmt::Formatter<'_>, props: &BTreeMap<String, Val>) -> fmt::Result {
    if props.is_empty() {
        return Ok(());
    }
    write!(f, " {{")?;
    for (i, (k, v)) in props.iter().enumerate() {
        write!(f, "{}{k}: {v}", if i > 0 { ", " } else { "" })?;
    }
    write!(f, "}}")
}

impl fmt::Display for NodeVal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "(")?;
        for l in &self.labels {
            write!(f, ":{l}")?;
        }
        write_props(f, &self.props)?;
        write!(f, ")")
    }
}

impl fmt::Display for RelVal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[:{}", self.rel_type)?;
        write_props(f, &self.props)?;
        write!(f, "]")
    }
}

/// Writes a float so that it reads back as a float in TCK syntax.
pub fn format_float(x: f64) -> String {
    if x.is_nan() {
        "NaN".into()
    } else if x.is_infinite() {
        if x > 0.0 { "Inf".into() } else { "-Inf".into() }
    } else {
        let s = format!("{x:?}");
        if s.contains(['.', 'e', 'E']) {
            s
        } else {
            format!("{s}.0")
        }
    }
}

/// Writes a string literal in TCK syntax.
pub fn format_string(s: &str) -> String {
    let mut out = String::from("'");
    for c in s.chars() {
        match c {
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

impl fmt::Display for Val {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Val::Null => write!(f, "null"),
            Val::Bool(b) => write!(f, "{b}"),
            Val::Int(i) => write!(f, "{i}"),
            Val::Float(x) => write!(f, "{}", format_float(*x)),
            Val::String(s) => write!(f, "{}", format_string(s)),
            Val::List(items) => {
                write!(f, "[")?;
                for (i, v) in items.iter().enumerate() {
                    write!(f, "{}{v}", if i > 0 { ", " } else { "" })?;
                }
                write!(f, "]")
            }
            Val::Map(m) => {
                write!(f, "{{")?;
                for (i, (k, v)) in m.iter().enumerate() {
                    write!(f, "{}{k}: {v}", if i > 0 { ", " } else { "" })?;
                }
                write!(f, "}}")
            }
            Val::Node(n) => write!(f, "{n}"),
            Val::Rel(r) => write!(f, "{r}"),
            Val::Path(start, hops) => {
                write!(f, "<{start}")?;
                for h in hops {
                    if h.forward {
                        write!(f, "-{}->{}", h.rel, h.node)?;
                    } else {
                        write!(f, "<-{}-{}", h.rel, h.node)?;
                    }
                }
                write!(f, ">")
            }
        }
    }
}
