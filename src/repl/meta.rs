//! The shell's `:` commands, and did-you-mean notes for names the store does not have.

use super::catalog::Snapshot;
use super::lex::{self, Kind};
use super::{Session, Shell, help};
use crate::cli::args::Format;
use crate::cli::error::CliError;
use crate::db::QueryResult;
use crate::exec::Stats;
use crate::model::{Output, Value};
use crate::plan::suggestion;
use std::io::{self, Write};

/// Rows shown by a table unless `:max_rows` says otherwise.
pub const DEFAULT_MAX_ROWS: usize = 100;

/// One `:` command, for help, completion and hints.
pub struct Command {
    /// Its name, with the colon.
    pub name: &'static str,
    /// Its arguments, for people.
    pub args: &'static str,
    /// What it does.
    pub about: &'static str,
}

const fn command(name: &'static str, args: &'static str, about: &'static str) -> Command {
    Command { name, args, about }
}

/// Every command.
pub const COMMANDS: &[Command] = &[
    command(
        ":help",
        "[topic]",
        "help on the shell, or on a topic of the language",
    ),
    command(
        ":schema",
        "",
        "labels, relationship types and property keys, with counts",
    ),
    command(":stats", "", "the store: where it is, its size"),
    command(":format", "table|csv|json|jsonl", "how results are printed"),
    command(":param", "name => value", "set a parameter, used as $name"),
    command(
        ":params",
        "[clear | load FILE]",
        "list or clear the parameters, or load them from a JSON file",
    ),
    command(":timing", "on|off", "show how long each statement took"),
    command(":max_rows", "N", "show at most N rows of a table (0: all)"),
    command(
        ":mode",
        "table|line|compact",
        "lay tables out with borders, one field per line, or without borders",
    ),
    command(
        ":width",
        "N|auto",
        "keep tables to N columns, wrapping long cells (auto: the terminal's)",
    ),
    command(
        ":path_limit",
        "N",
        "the most partial paths one HLS question may explore (default 1000000)",
    ),
    command(
        ":memory_limit",
        "SIZE",
        "the most memory one statement's held rows may take, e.g. 2GiB (default a quarter of RAM)",
    ),
    command(
        ":timeout",
        "DURATION|off",
        "the longest one statement may run, e.g. 30s or 5m (default off)",
    ),
    command(":check", "", "check the store's consistency"),
    command(
        ":compact",
        "",
        "rewrite the store so deleted data is gone from its files",
    ),
    command(
        ":backup",
        "DIR",
        "write a checked copy of the store into DIR (new or empty)",
    ),
    command(
        ":strict",
        "on|off",
        "whether quick capture refuses a label or type close to one in use (default on)",
    ),
    command(
        ":row_limit",
        "N|off",
        "the most rows one statement may return (default off)",
    ),
    command(
        ":as_of",
        "2016|2016-06|2016-06-01|off",
        "see the map as it was then in every statement (AS OF); off: as it is",
    ),
    command(
        ":as_recorded",
        "2026-12-04|\"2026-12-04T10:30\"|off",
        "see the map as it had been recorded then in every statement (AS RECORDED); off: now",
    ),
    command(
        ":view",
        "\"NAME\"|off",
        "see the map through one person's views (FROM THE VIEW OF); off: every view",
    ),
    command(
        ":as",
        "\"NAME\"|off",
        "who is writing: recorded with every change and with what is learnt",
    ),
    command(":source", "FILE", "run the statements of a file"),
    command(
        ":import",
        "--format F FILE...",
        "bring a map in (as `steward import`: jsonl, neo4j-csv, kumu-json, kumu-csv)",
    ),
    command(
        ":export",
        "--format F [--query Q] [FILE]",
        "take the map (or what a query returns) out (as `steward export`)",
    ),
    command(
        ":history",
        "[on|off|clear]",
        "list earlier statements; off keeps none, clear empties this store's history",
    ),
    command(":quit", "", "leave (Ctrl-D does too)"),
];

/// What the shell does after a command.
pub enum Next {
    /// Prompt for the next statement.
    Prompt,
    /// Leave.
    Quit,
}

impl Session {
    /// Runs one `:` command line.
    pub(super) fn command(&mut self, line: &str, rl: &mut Shell) -> Next {
        let (name, arg) = match line.split_once(char::is_whitespace) {
            Some((name, arg)) => (name, arg.trim()),
            None => (line, ""),
        };
        let outcome = match name {
            ":help" | ":h" | ":?" => {
                println!("{}", help::help(arg));
                Ok(())
            }
            ":schema" => self.schema(),
            ":stats" => self.stats(),
            ":format" => self.set_format(arg),
            ":param" => self.set_param(arg, rl),
            ":params" => self.list_params(arg, rl),
            ":timing" => match arg {
                "on" | "off" => {
                    self.timing = arg == "on";
                    Ok(())
                }
                _ => Err(format!(
                    "usage: :timing on|off (it is {})",
                    if self.timing { "on" } else { "off" }
                )),
            },
            ":mode" => {
                let layout = match arg {
                    "table" => Some(crate::cli::format::Layout::Table),
                    "line" => Some(crate::cli::format::Layout::Line),
                    "compact" => Some(crate::cli::format::Layout::Compact),
                    _ => None,
                };
                match layout {
                    Some(l) => {
                        self.printer.set_layout(l);
                        Ok(())
                    }
                    None => Err("usage: :mode table|line|compact".to_string()),
                }
            }
            ":width" => match arg {
                "auto" => {
                    self.printer.set_width(None);
                    Ok(())
                }
                _ => match arg.parse::<u16>() {
                    Ok(n) if n >= 20 => {
                        self.printer.set_width(Some(n));
                        Ok(())
                    }
                    _ => Err("usage: :width N (at least 20 columns) or :width auto".to_string()),
                },
            },
            ":max_rows" => match arg.parse::<usize>() {
                Ok(n) => {
                    self.printer.set_max_rows((n > 0).then_some(n));
                    Ok(())
                }
                Err(_) => Err("usage: :max_rows N (a number; 0 shows every row)".to_string()),
            },
            ":path_limit" => match arg.parse::<u64>() {
                Ok(n) if n > 0 => {
                    self.db.set_path_limit(n);
                    Ok(())
                }
                _ => Err(format!(
                    "usage: :path_limit N (a positive number; it is {})",
                    self.db.path_limit()
                )),
            },
            ":memory_limit" => match crate::cli::args::parse_size(arg) {
                Ok(bytes) => {
                    self.db.set_memory_limit(bytes);
                    Ok(())
                }
                Err(message) => Err(format!(
                    "usage: :memory_limit SIZE, e.g. 512MiB or 2GiB (it is {}){}",
                    crate::exec::human_bytes(self.db.memory_limit()),
                    if arg.is_empty() {
                        String::new()
                    } else {
                        format!(": {message}")
                    }
                )),
            },
            ":strict" => match arg {
                "on" | "off" => {
                    self.db.set_strict_names(arg == "on");
                    Ok(())
                }
                _ => Err(format!(
                    "usage: :strict on|off (it is {}): on, ACTOR and LINK refuse a new label or \
                     type that is a near duplicate of one in use unless marked NEW",
                    if self.db.strict_names() { "on" } else { "off" }
                )),
            },
            ":as_of" => match arg {
                "" => Err(format!(
                    "usage: :as_of 2016 | 2016-06 | 2016-06-01 | off (it is {})",
                    self.db.as_of().unwrap_or_else(|| "off".to_string())
                )),
                "off" => self.db.set_as_of(None).map_err(|e| e.to_string()),
                when => self
                    .db
                    .set_as_of(Some(when.trim_matches(['"', '\''])))
                    .map_err(|e| e.to_string()),
            },
            ":as_recorded" => match arg {
                "" => Err(format!(
                    "usage: :as_recorded 2026-12-04 | \"2026-12-04T10:30\" | off (it is {})",
                    self.db.as_recorded().unwrap_or_else(|| "off".to_string())
                )),
                "off" => self.db.set_as_recorded(None).map_err(|e| e.to_string()),
                when => self
                    .db
                    .set_as_recorded(Some(when.trim_matches(['"', '\''])))
                    .map_err(|e| e.to_string()),
            },
            ":view" => match arg {
                "" => Err(format!(
                    "usage: :view \"NAME\" | off (it is {})",
                    self.db
                        .view()
                        .map_or("off".to_string(), |v| format!("{v:?}"))
                )),
                "off" => {
                    self.db.set_view(None);
                    Ok(())
                }
                who => {
                    let who = who.trim_matches(['"', '\'']);
                    // Asked before the lens is set, which would hide the other views.
                    if let Some(note) = self.unknown_view(who) {
                        use std::io::Write as _;
                        let _ = writeln!(std::io::stderr(), "note: {note}");
                    }
                    self.db.set_view(Some(who));
                    Ok(())
                }
            },
            ":as" => match arg {
                "" => Err(format!(
                    "usage: :as \"NAME\" | off (it is {})",
                    self.db
                        .author()
                        .map_or("off".to_string(), |v| format!("{v:?}"))
                )),
                "off" => {
                    self.db.set_author(None);
                    Ok(())
                }
                who => {
                    self.db.set_author(Some(who.trim_matches(['"', '\''])));
                    Ok(())
                }
            },
            ":row_limit" => match arg {
                "off" | "none" => {
                    self.db.set_row_limit(None);
                    Ok(())
                }
                _ => match arg.parse::<u64>() {
                    Ok(n) if n > 0 => {
                        self.db.set_row_limit(Some(n));
                        Ok(())
                    }
                    _ => Err(format!(
                        "usage: :row_limit N|off (it is {})",
                        self.db
                            .row_limit()
                            .map_or("off".to_string(), |n| n.to_string())
                    )),
                },
            },
            ":timeout" => match arg {
                "off" | "none" => {
                    self.db.set_timeout(None);
                    println!("timeout off: statements run as long as they need");
                    Ok(())
                }
                _ => match crate::db::parse_duration(arg) {
                    Ok(limit) => {
                        self.db.set_timeout(Some(limit));
                        println!(
                            "timeout {}: a statement that runs longer stops, keeping nothing",
                            crate::db::human_duration(limit)
                        );
                        Ok(())
                    }
                    Err(message) => Err(format!(
                        "usage: :timeout DURATION|off, e.g. 30s or 5m (it is {}){}",
                        self.db
                            .timeout()
                            .map_or("off".to_string(), crate::db::human_duration),
                        if arg.is_empty() {
                            String::new()
                        } else {
                            format!(": {message}")
                        }
                    )),
                },
            },
            ":check" | ":compact" | ":backup" => self.maintain(name, arg),
            ":source" => self.source(arg),
            ":import" => self.import(arg),
            ":export" => self.export(arg),
            ":history" if !arg.is_empty() => self.history_setting(arg, rl),
            ":history" => {
                for (i, entry) in rl.history().iter().enumerate() {
                    let entry = entry.replace('\n', "\n      ");
                    println!("{:>4}  {entry}", i + 1);
                }
                Ok(())
            }
            ":quit" | ":q" | ":exit" => return Next::Quit,
            _ => {
                let names = COMMANDS.iter().map(|c| c.name);
                Err(format!(
                    "unknown command `{name}`{}; :help lists the commands",
                    suggestion(name, names)
                ))
            }
        };
        if let Err(message) = outcome {
            let _ = writeln!(io::stderr(), "{message}");
        }
        Next::Prompt
    }

    /// `:check`, `:compact`, `:backup DIR` on the open store.
    fn maintain(&mut self, name: &str, arg: &str) -> Result<(), String> {
        use crate::cli::maintain;
        let failed = |e: crate::db::Error| {
            CliError::from_db(e, &self.dir, || crate::cli::error::Source {
                text: String::new(),
                offset: 0,
                statement: None,
            })
            .to_readable()
        };
        match name {
            ":check" => {
                let problems = self.db.check().map_err(failed)?;
                for p in &problems {
                    println!("problem: {p}");
                }
                if problems.is_empty() {
                    let (nodes, rels) = self.db.store().sizes().map_err(|e| failed(e.into()))?;
                    println!("{}", maintain::consistent(&self.dir, nodes, rels));
                    Ok(())
                } else {
                    Err(CliError::Inconsistent {
                        dir: self.dir.clone(),
                        problems: problems.len(),
                    }
                    .to_readable())
                }
            }
            ":compact" => {
                if let Some(c) = self.db.compact().map_err(failed)? {
                    println!(
                        "{}",
                        maintain::compacted(&self.dir, c.bytes_before, c.bytes_after)
                    );
                }
                Ok(())
            }
            _ => {
                if arg.is_empty() {
                    return Err("usage: :backup DIR (a new or empty directory)".to_string());
                }
                let dest = std::path::Path::new(arg);
                let done = self.db.backup(dest).map_err(failed)?;
                println!("{}", maintain::backed_up(&self.dir, dest, &done));
                Ok(())
            }
        }
    }

    fn set_format(&mut self, arg: &str) -> Result<(), String> {
        let format = match arg {
            "table" => Format::Table,
            "csv" => Format::Csv,
            "json" => Format::Json,
            "jsonl" => Format::Jsonl,
            _ => return Err("usage: :format table|csv|json|jsonl".to_string()),
        };
        self.printer.set_format(format);
        Ok(())
    }

    /// A note when nobody on the map has views by the name `who` (a typo for one who
    /// has, most often): the lens would then show only what is nobody's view.
    fn unknown_view(&self, who: &str) -> Option<String> {
        let views = self.db.viewpoints().ok()?;
        if views
            .iter()
            .any(|v| crate::exec::lens::same_viewpoint(v, who))
        {
            return None;
        }
        let hint = suggestion(who, views.iter().map(String::as_str));
        Some(format!(
            "no relationship is seen by {who:?}{hint}; until one is, the map shows only what \
             is nobody's view in particular"
        ))
    }

    /// `:param name => value`: the value is any Cypher expression, evaluated once.
    fn set_param(&mut self, arg: &str, rl: &mut Shell) -> Result<(), String> {
        let usage = "usage: :param name => value   e.g. :param who => 'Brian'   :param years => [2016, 2017]";
        let (name, expression) = arg.split_once("=>").ok_or(usage)?;
        let name = name.trim().trim_start_matches('$');
        if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
            return Err(usage.to_string());
        }
        // The expression is run as `RETURN <expression>`; an error in it is shown in the
        // line as the user would have typed it, `RETURN ` standing where `:param name => `
        // does.
        let expression = expression.trim();
        let text = format!("RETURN {expression}");
        let result = self.db.execute(&text, &self.params).map_err(|e| {
            CliError::from_db(e, &self.dir, || crate::cli::error::Source {
                text: format!(":param {name} => {expression}"),
                offset: ":param  => ".len() + name.len() - "RETURN ".len(),
                statement: None,
            })
            .to_readable()
        })?;
        let value = result.rows.first().and_then(|r| r.first()).ok_or(usage)?;
        let value = plain(value)
            .ok_or("a parameter must be a plain value (not a node, relationship or path)")?;
        self.params.insert(name.to_string(), value);
        if let Some(h) = rl.helper_mut() {
            h.params = self.params.keys().cloned().collect();
        }
        Ok(())
    }

    fn list_params(&mut self, arg: &str, rl: &mut Shell) -> Result<(), String> {
        if let Some(file) = arg.strip_prefix("load") {
            return self.load_params(file.trim(), rl);
        }
        match arg {
            "clear" => {
                self.params.clear();
                if let Some(h) = rl.helper_mut() {
                    h.params.clear();
                }
            }
            "" if self.params.is_empty() => {
                println!("no parameters; set one with :param name => value")
            }
            "" => {
                for (name, value) in &self.params {
                    println!(
                        ":param {name} => {}",
                        crate::cli::text::cypher(&output(value))
                    );
                }
            }
            _ => return Err("usage: :params [clear | load FILE]".to_string()),
        }
        Ok(())
    }

    fn schema(&mut self) -> Result<(), String> {
        let snapshot = self
            .catalog
            .settled()
            .ok_or("the store could not be read; try :stats")?;
        let count = |n: u64| Output::Int(i64::try_from(n).unwrap_or(i64::MAX));
        let mut tables = vec![
            listing(
                &["label", "nodes"],
                snapshot
                    .labels
                    .iter()
                    .map(|(l, n)| vec![Output::String(l.clone()), count(*n)]),
            ),
            listing(
                &["relationship type", "relationships"],
                snapshot
                    .types
                    .iter()
                    .map(|(t, n)| vec![Output::String(t.clone()), count(*n)]),
            ),
        ];
        let keys = snapshot.keys().map(|k| {
            let nodes = snapshot.node_keys.get(k).copied().unwrap_or(0);
            let rels = snapshot.rel_keys.get(k).copied().unwrap_or(0);
            vec![Output::String(k.to_string()), count(nodes), count(rels)]
        });
        tables.push(listing(&["property key", "nodes", "relationships"], keys));
        self.printer.reset_blocks();
        for table in tables {
            self.printer.print(&table).map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    fn stats(&mut self) -> Result<(), String> {
        let store = self.db.store();
        let (nodes, rels) = store.sizes().map_err(|e| e.to_string())?;
        let labels = store.label_counts().map_err(|e| e.to_string())?.len();
        let types = store.type_counts().map_err(|e| e.to_string())?.len();
        println!("store          {}", self.dir.display());
        println!("on disk        {}", bytes(dir_size(&self.dir)));
        println!("nodes          {nodes}");
        println!("relationships  {rels}");
        println!("labels         {labels}");
        println!("types          {types}");
        if let Some(s) = self.catalog.snapshot() {
            println!("node names     {}", s.name_count());
        }
        Ok(())
    }

    fn source(&mut self, arg: &str) -> Result<(), String> {
        if arg.is_empty() {
            return Err("usage: :source FILE".to_string());
        }
        let path = std::path::Path::new(arg);
        let text = crate::cli::read_file(path).map_err(|e| e.to_readable())?;
        self.statements(&text, arg);
        Ok(())
    }
}

/// A result with these columns and rows (for `:schema`, printed like any result).
fn listing(columns: &[&str], rows: impl Iterator<Item = Vec<Output>>) -> QueryResult {
    QueryResult {
        plan: None,
        question: false,
        answer: Vec::new(),
        notes: Vec::new(),
        subjects: Vec::new(),
        columns: columns.iter().map(|c| c.to_string()).collect(),
        rows: rows.collect(),
        stats: Stats::default(),
    }
}

/// A result value as a parameter: plain values only.
fn plain(v: &Output) -> Option<Value> {
    Some(match v {
        Output::Null => Value::Null,
        Output::Bool(b) => Value::Bool(*b),
        Output::Int(i) => Value::Int(*i),
        Output::Float(f) => Value::Float(*f),
        Output::String(s) => Value::String(s.clone()),
        Output::List(items) => Value::List(items.iter().map(plain).collect::<Option<_>>()?),
        Output::Map(map) => Value::Map(
            map.iter()
                .map(|(k, v)| Some((k.clone(), plain(v)?)))
                .collect::<Option<_>>()?,
        ),
        _ => return None,
    })
}

/// A parameter as a value to print.
fn output(v: &Value) -> Output {
    match v {
        Value::Bool(b) => Output::Bool(*b),
        Value::Int(i) => Output::Int(*i),
        Value::Float(f) => Output::Float(*f),
        Value::String(s) => Output::String(s.clone()),
        Value::List(items) => Output::List(items.iter().map(output).collect()),
        Value::Map(map) => Output::Map(map.iter().map(|(k, v)| (k.clone(), output(v))).collect()),
        _ => Output::Null,
    }
}

fn dir_size(dir: &std::path::Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_size(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

fn bytes(n: u64) -> String {
    match n {
        0..1024 => format!("{n} B"),
        1024..1_048_576 => format!("{:.1} KiB", n as f64 / 1024.0),
        _ => format!("{:.1} MiB", n as f64 / 1_048_576.0),
    }
}

/// Notes on the labels and relationship types `statement` names that the store does not
/// have, each with the nearest name it has (when one is near), and on the property keys
/// it lacks that are near one it has.
pub fn unknown_names(statement: &str, snapshot: &Snapshot) -> Vec<String> {
    let tokens: Vec<_> = lex::tokens(statement)
        .into_iter()
        .filter(|t| t.kind != Kind::Space)
        .collect();
    let mut notes = Vec::new();
    for (n, t) in tokens.iter().enumerate().skip(1) {
        if t.kind != Kind::Word {
            continue;
        }
        let word = &statement[t.start..t.end];
        let (what, known): (&str, Vec<&str>) = match tokens[n - 1].kind {
            Kind::Colon => {
                let (open, _) = lex::brackets(statement, &tokens[..n - 1]);
                match open
                    .last()
                    .map(|&o| &statement[tokens[o].start..tokens[o].end])
                {
                    Some("[") => (
                        "relationship type",
                        snapshot.types.keys().map(String::as_str).collect(),
                    ),
                    Some("{") => continue,
                    _ => (
                        "label",
                        snapshot.labels.keys().map(String::as_str).collect(),
                    ),
                }
            }
            // `n.key`, but not the `.` of a number.
            Kind::Dot if n >= 2 && tokens[n - 2].kind == Kind::Word => {
                ("property key", snapshot.keys().collect())
            }
            _ => continue,
        };
        if known.contains(&word) {
            continue;
        }
        let hint = suggestion(word, known.iter().copied());
        // A word after a dot may be no property key at all (`date.truncate`,
        // `n.born.year`): it is noted only when a key the store has is near.
        if what != "property key" || !hint.is_empty() {
            let note = format!("the store has no {what} `{word}`{hint}");
            if !notes.contains(&note) {
                notes.push(note);
            }
        }
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;
    use crate::repl::catalog::Catalog;
    use std::sync::Arc;

    #[test]
    fn names_the_store_lacks_get_a_did_you_mean() {
        let db = Arc::new(Db::in_memory());
        db.execute(
            "CREATE (:Person {name: 'Brian'})-[:USES]->(:Service)",
            &Default::default(),
        )
        .unwrap();
        let catalog = Catalog::new(db);
        catalog.refresh();
        let s = catalog.settled().unwrap();
        assert_eq!(
            unknown_names(
                "MATCH (p:Persn)-[:USE]->(s) WHERE p.nmae = 'x' RETURN p {name: 1}",
                &s
            ),
            vec![
                "the store has no label `Persn` (did you mean `Person`?)",
                "the store has no relationship type `USE` (did you mean `USES`?)",
                "the store has no property key `nmae` (did you mean `name`?)",
            ]
        );
        assert!(unknown_names("MATCH (p:Person) RETURN p.name, 1.5", &s).is_empty());
        // A label or type with nothing near is noted all the same; a word after a dot
        // only with a key near it (it may be a function's namespace or a date's field).
        assert_eq!(
            unknown_names(
                "MATCH (n:Zebra)-[:STRIPES]->() WHERE n.zebrakey = 1 \
                 RETURN date.truncate('day', n.born).year",
                &s
            ),
            vec![
                "the store has no label `Zebra`",
                "the store has no relationship type `STRIPES`",
            ]
        );
    }

    #[test]
    fn parameters_are_plain_values() {
        let v = Output::List(vec![Output::Int(1), Output::String("a".into())]);
        assert_eq!(
            plain(&v),
            Some(Value::List(vec![Value::Int(1), Value::String("a".into())]))
        );
        assert_eq!(output(&plain(&v).unwrap()), v);
    }
}
