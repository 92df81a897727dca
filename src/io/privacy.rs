//! Exports without personal data (`--pseudonymise`, `--redact key,…`).
//!
//! Every node labelled `Person` is called `Person <id>` instead of its name (its id is
//! the store's, so the same person has the same pseudonym in every export of the store
//! and in every format). Each value of a property named in `--redact` becomes
//! `<key> <n>`, numbered in the order the values are first met, so equal values stay
//! equal. And wherever a person's name or a redacted text appears inside another text —
//! "Brian's family", a description, a relationship's note — it is replaced by the same
//! pseudonym (whole words, ignoring ASCII case), so a name cannot leak through the nodes
//! around the person.

use super::IoError;
use crate::model::{NodeId, NodeRecord, Properties, RelRecord, Value};
use aho_corasick::{AhoCorasick, MatchKind};
use std::cell::RefCell;
use std::collections::HashMap;

/// What to hide.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Privacy {
    /// Replace the names of persons.
    pub pseudonymise: bool,
    /// Property keys whose values are replaced.
    pub redact: Vec<String>,
}

impl Privacy {
    /// True when nothing is to be hidden.
    pub fn is_off(&self) -> bool {
        !self.pseudonymise && self.redact.is_empty()
    }
}

/// The replacements for one export, built from a first pass over the graph.
pub struct Pseudonyms {
    privacy: Privacy,
    /// Texts to replace inside other texts, and their replacements (same index).
    matcher: Option<AhoCorasick>,
    replacements: Vec<String>,
    /// (key, value as text) → its number, for redacted values.
    redacted: RefCell<HashMap<(String, String), usize>>,
    /// Per key, how many values have been numbered.
    counts: RefCell<HashMap<String, usize>>,
}

fn is_person(node: &NodeRecord) -> bool {
    node.labels.iter().any(|l| l == "Person")
}

/// The pseudonym of person `id`.
pub fn person(id: NodeId) -> String {
    format!("Person {id}")
}

impl Pseudonyms {
    /// Builds the replacements; `scan` calls its argument on every node and relationship
    /// of the export (the first pass).
    pub fn build(
        privacy: Privacy,
        scan: impl FnOnce(&mut dyn FnMut(Option<NodeId>, &Properties, bool)) -> Result<(), IoError>,
    ) -> Result<Pseudonyms, IoError> {
        let mut texts: Vec<(String, String)> = Vec::new();
        let this = Pseudonyms {
            privacy,
            matcher: None,
            replacements: Vec::new(),
            redacted: RefCell::new(HashMap::new()),
            counts: RefCell::new(HashMap::new()),
        };
        scan(&mut |id, props, person_node| {
            let worth = |s: &str| s.trim().chars().count() >= 2;
            if let (true, true, Some(id), Some(Value::String(name))) = (
                this.privacy.pseudonymise,
                person_node,
                id,
                props.get("name"),
            ) && worth(name)
            {
                texts.push((name.trim().to_string(), person(id)));
            }
            for key in &this.privacy.redact {
                if let Some(v) = props.get(key) {
                    let replacement = this.redacted_value(key, v);
                    if let Value::String(s) = v
                        && worth(s)
                    {
                        texts.push((s.trim().to_string(), replacement));
                    }
                }
            }
        })?;
        // Longer texts first, so "Brian Smith" is replaced whole before "Brian".
        texts.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        texts.dedup_by(|a, b| a.0.eq_ignore_ascii_case(&b.0));
        let matcher = if texts.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(texts.iter().map(|(t, _)| t))
                    .map_err(|e| IoError::Usage(format!("cannot build the pseudonyms: {e}")))?,
            )
        };
        Ok(Pseudonyms {
            matcher,
            replacements: texts.into_iter().map(|(_, r)| r).collect(),
            ..this
        })
    }

    fn redacted_value(&self, key: &str, v: &Value) -> String {
        let text = super::schema::plain(v);
        let mut numbers = self.redacted.borrow_mut();
        let n = *numbers.entry((key.to_string(), text)).or_insert_with(|| {
            let mut counts = self.counts.borrow_mut();
            let c = counts.entry(key.to_string()).or_insert(0);
            *c += 1;
            *c
        });
        format!("{key} {n}")
    }

    /// A text with every person's name and redacted text in it replaced (whole words).
    fn scrub(&self, text: &str) -> String {
        let Some(matcher) = &self.matcher else {
            return text.to_string();
        };
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for m in matcher.find_iter(text) {
            let before = text[..m.start()].chars().next_back();
            let after = text[m.end()..].chars().next();
            let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
            if word(before) || word(after) {
                continue;
            }
            out.push_str(&text[last..m.start()]);
            out.push_str(&self.replacements[m.pattern().as_usize()]);
            last = m.end();
        }
        out.push_str(&text[last..]);
        out
    }

    fn value(&self, v: &Value) -> Value {
        match v {
            Value::String(s) => Value::String(self.scrub(s)),
            Value::List(items) => Value::List(items.iter().map(|i| self.value(i)).collect()),
            other => other.clone(),
        }
    }

    fn props(&self, props: &Properties) -> Properties {
        props
            .iter()
            .map(|(k, v)| {
                let v = if self.privacy.redact.contains(k) {
                    Value::String(self.redacted_value(k, v))
                } else {
                    self.value(v)
                };
                (k.clone(), v)
            })
            .collect()
    }

    /// The node as it may be exported.
    pub fn node(&self, id: NodeId, node: &NodeRecord) -> NodeRecord {
        let mut props = self.props(&node.props);
        if self.privacy.pseudonymise && is_person(node) && node.props.contains_key("name") {
            props.insert("name".into(), Value::String(person(id)));
        }
        NodeRecord {
            labels: node.labels.clone(),
            props,
        }
    }

    /// The relationship as it may be exported.
    pub fn rel(&self, rel: &RelRecord) -> RelRecord {
        RelRecord {
            rel_type: rel.rel_type.clone(),
            start: rel.start,
            end: rel.end,
            props: self.props(&rel.props),
        }
    }
}

/// True for a node whose name is replaced.
pub fn hides_name(node: &NodeRecord) -> bool {
    is_person(node)
}
