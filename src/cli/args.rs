//! The command line's shape, declared with clap's derive API.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// steward: an embedded personal knowledge graph for Human Learning Systems practice,
/// asked questions in openCypher.
#[derive(Debug, Parser)]
#[command(
    name = "steward",
    version,
    about,
    after_help = "\
Examples:
  steward --db ~/hls-map query \"MATCH (p:Person)-[:USES]->(s) RETURN p.name, s.name\"
  steward --db ~/hls-map run examples/quickstart.cypher
  echo 'MATCH (n) RETURN count(n)' | steward --db ~/hls-map query --format json -
  steward --db ~/hls-map query \"WHICH FACTORS LINK 'Brian' TO 'Emergency services'\"

The HLS language (ACTOR, FACTOR, LINK, LEARNT; WHICH FACTORS LINK, WHO LINKS, PATHS,
SHOW, WHAT HAVE WE LEARNT, WHO HOLDS THE SYSTEM TOGETHER, WHICH LOOPS): in the shell,
:help hls and :help <statement> explain each with an example.

Exit codes:
  0  success (also when the reader of stdout went away, e.g. `| head -1`)
  1  anything that is not the query's fault: I/O, a store held by another steward
     process, a directory that is not a steward store, bad --params, a bad command line
  2  an error in the query (syntax, semantics, types, constraints, missing entity)"
)]
pub struct Cli {
    /// The store directory (created when it does not exist). `query` and `run` need it
    /// (or $STEWARD_DB); the shell falls back to the user's data directory.
    #[arg(long, global = true, value_name = "DIR", env = "STEWARD_DB")]
    pub db: Option<PathBuf>,

    /// Options for the shell and for a script read from stdin (no subcommand).
    #[command(flatten)]
    pub shell: ShellArgs,

    /// What to do; without one, the shell (or, when stdin is not a terminal, a script
    /// from stdin).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options of the shell and of a script read from stdin.
#[derive(Debug, Args)]
pub struct ShellArgs {
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,

    /// For a script: report each failing statement and go on (exit code 2 at the end)
    /// instead of stopping at the first.
    #[arg(long)]
    pub continue_on_error: bool,

    /// For a script: print each statement above its result.
    #[arg(long)]
    pub echo: bool,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run one Cypher statement in its own transaction and print its result.
    #[command(after_help = "\
Examples:
  steward --db ~/hls-map query \"CREATE (:Actor:Person {name: 'Brian'})\"
  steward --db ~/hls-map query \"MATCH (p:Person {name: \\$name}) RETURN p\" --params '{\"name\": \"Brian\"}'
  steward --db ~/hls-map query --format csv \"MATCH (a)-[r]->(b) RETURN a.name, type(r), b.name\" > edges.csv
  echo 'MATCH (n) RETURN count(n) AS n' | steward --db ~/hls-map query --format json -")]
    Query(QueryArgs),

    /// Run a script of Cypher statements separated by ';', each in its own transaction.
    ///
    /// Statements run in order; each one's result is printed in the chosen format. The first
    /// failing statement stops the script (exit code 2); the statements before it stay
    /// committed and the failing one changes nothing.
    #[command(after_help = "\
Examples:
  steward --db /tmp/steward-demo run examples/quickstart.cypher
  steward --db ~/hls-map run --format jsonl questions.cypher
  cat changes.cypher | steward --db ~/hls-map run -")]
    Run(RunArgs),

    /// Open the interactive shell (the default when stdin is a terminal).
    ///
    /// Statements end with ';' (Enter before it continues the statement on a "...>" prompt);
    /// lines starting with ':' are shell commands (:help lists them). Tab completes
    /// keywords, functions, labels, relationship types, property keys and node names;
    /// Ctrl-C cancels a running statement (nothing it did is kept) or clears the line;
    /// Ctrl-D leaves. History is kept per store, in the file `history` in the store
    /// directory (none with STEWARD_HISTORY=0; :history off / :history clear).
    #[command(after_help = "\
Examples:
  steward repl
  steward --db ~/hls-map repl --format csv
  STEWARD_DB=~/hls-map steward

In the shell:
  steward> MATCH (p:Person {name: \"Brian\"})-[:USES]->(s)
      ...> RETURN s.name;
  steward> :param who => 'Brian'
  steward> MATCH (p {name: $who}) RETURN p;
  steward> :schema
  steward> :help match")]
    Repl(ReplArgs),

    /// Print the portable openCypher form of a Human Learning Systems question, to ask
    /// the same question of Neo4j or Memgraph.
    #[command(after_help = "\
Examples:
  steward explain \"WHICH FACTORS LINK 'Brian' TO 'Emergency services' WITHIN 3 STEPS\"
  steward explain \"SHOW 'Brian' WITHIN 2 STEPS\" | cypher-shell

The translation returns the same columns in the same order. It enumerates every path
within the step count, as plain Cypher must, so on a large map it is much slower than the
question itself. To see how steward runs a statement, use EXPLAIN or PROFILE before it.")]
    Explain(ExplainArgs),

    /// Bring a map in: neo4j-admin CSV files, Kumu's JSON or spreadsheets, or a steward
    /// jsonl backup. The whole import
    /// is one transaction: a bad record anywhere imports nothing, and the error names the
    /// file, line and column.
    #[command(after_help = "\
Examples:
  steward --db ~/hls-map import --format jsonl backup.jsonl
  steward --db ~/hls-map import --format kumu-json alliance.json
  steward --db ~/hls-map import --format kumu-csv --elements elements.csv --connections connections.csv
  steward --db ~/hls-map import --format neo4j-csv --nodes people.csv --nodes Service=services.csv \\
      --relationships uses.csv
  steward --db ~/hls-map import --format neo4j-csv --nodes header.csv,part1.csv,part2.csv \\
      --relationships rels.csv --delimiter ';' --array-delimiter '|'

neo4j-csv headers, as neo4j-admin reads them:
  nodes:         id:ID,name,age:int,tags:string[],:LABEL      (:ID(Space) for an id space)
  relationships: :START_ID,:END_ID,:TYPE,since:date          (:START_ID(Space) ...)
  types: int long short byte float double boolean string char date localtime time
         localdatetime datetime duration, and arrays of them (type[])
  --nodes Label1:Label2=FILE adds labels to every node of FILE;
  --relationships TYPE=FILE gives relationships without a :TYPE column their type;
  FILE,FILE2,... reads the header from the first file and data from the rest.")]
    Import(ImportArgs),

    /// Check the store's internal consistency.
    ///
    /// Every relationship against the adjacency
    /// lists, the label and name indexes against the records, the catalog's counts.
    /// Prints each problem; exit code 0 when there is none, 1 otherwise.
    #[command(after_help = "\
Examples:
  steward --db ~/hls-map check")]
    Check,

    /// Rewrite the store so that deleted data is physically gone from its files.
    ///
    /// Reports the space given back. (Deleting is logical until then: the bytes of a
    /// deleted record stay in the store's log.)
    #[command(after_help = "\
Examples:
  steward --db ~/hls-map query \"MATCH (p:Person {name: 'Brian'}) DETACH DELETE p\"
  steward --db ~/hls-map compact
  steward --db ~/hls-map compact --history-before 2025-01-01")]
    Compact(CompactArgs),

    /// Write a checked copy of the store into DIR (new or empty).
    ///
    /// The copy is checked before it is reported done. The store must not be open in another steward process (inside
    /// the shell, use :backup DIR).
    #[command(after_help = "\
Examples:
  steward --db ~/hls-map backup /media/usb/hls-map-2026-12-03")]
    Backup(BackupArgs),

    /// Bring a backup back into --db.
    ///
    /// The backup is checked, then copied into --db, which must be missing or empty
    /// unless --force.
    #[command(after_help = "\
Examples:
  steward --db ~/hls-map-restored restore /media/usb/hls-map-2026-12-03
  steward --db ~/hls-map restore --force /media/usb/hls-map-2026-12-03")]
    Restore(RestoreArgs),

    /// Take a map out: the whole store, or only what a statement returns.
    #[command(after_help = "\
Examples:
  steward --db ~/hls-map export --format jsonl backup.jsonl
  steward --db ~/hls-map export --format jsonl --query \"MATCH p = (:Person {name: 'Brian'})--() RETURN p\"
  steward --db ~/hls-map export --format kumu-json --pseudonymise --redact address,phone shared.json
  steward --db ~/hls-map export --format svg --query \"WHICH FACTORS LINK 'Brian' TO 'Emergency services'\" brian.svg

Without FILE (or with -) the export goes to stdout; neo4j-csv and csv write two files
into the directory FILE.")]
    Export(ExportArgs),
}

/// `steward backup`.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write the backup: a new or empty directory.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
}

/// `steward restore`.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup to bring back (a directory written by `steward backup`).
    #[arg(value_name = "BACKUP_DIR")]
    pub backup: PathBuf,

    /// Replace the store in --db even if it is not empty (its data is lost).
    #[arg(long)]
    pub force: bool,
}

/// `steward explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The question; "-" reads it from stdin.
    #[arg(value_name = "QUESTION")]
    pub question: String,
}

/// `steward import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The input format.
    #[arg(long, value_enum)]
    pub format: ImportFormat,

    /// neo4j-csv: a node file, `Label:Label2=FILE` to add labels, or `HEADER,DATA,...`
    /// (repeat for more files).
    #[arg(long, value_name = "FILE")]
    pub nodes: Vec<String>,

    /// neo4j-csv: a relationship file, `TYPE=FILE` for a default type, or
    /// `HEADER,DATA,...` (repeat for more files).
    #[arg(long, value_name = "FILE")]
    pub relationships: Vec<String>,

    /// neo4j-csv: the field separator (one character; `\t` for a tab).
    #[arg(long, default_value = ",", value_name = "CHAR")]
    pub delimiter: String,

    /// neo4j-csv: the separator of the values of an array field.
    #[arg(long, default_value = ";", value_name = "CHAR")]
    pub array_delimiter: String,

    /// kumu-csv: Kumu's Elements sheet (Label, Type, Description, Tags, ...).
    #[arg(long, value_name = "FILE")]
    pub elements: Option<PathBuf>,

    /// kumu-csv: Kumu's Connections sheet (From, To, Type, Direction, ...).
    #[arg(long, value_name = "FILE")]
    pub connections: Option<PathBuf>,

    /// jsonl, kumu-json: the file to import ("-" reads stdin for jsonl).
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
}

/// Import formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// neo4j-admin import's CSV files (--nodes, --relationships).
    #[value(name = "neo4j-csv")]
    Neo4jCsv,
    /// steward's own backup, one JSON object per line.
    Jsonl,
    /// Kumu's JSON (a blueprint or a project export).
    #[value(name = "kumu-json")]
    KumuJson,
    /// Kumu's spreadsheets (--elements, --connections).
    #[value(name = "kumu-csv")]
    KumuCsv,
}

/// `steward export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The output format.
    #[arg(long, value_enum)]
    pub format: ExportFormatArg,

    /// Export only the nodes, relationships and paths this statement returns (any Cypher
    /// or question form), with the ends of each relationship.
    #[arg(long, value_name = "QUERY")]
    pub query: Option<String>,

    /// Parameters of --query as a JSON object.
    #[arg(long, value_name = "JSON")]
    pub params: Option<String>,

    /// Replace every Person's name with a stable pseudonym ("Person 17", the same in
    /// every export of this store), also where it appears inside other texts.
    #[arg(long, alias = "pseudonymize")]
    pub pseudonymise: bool,

    /// Replace the values of these properties (of any node or relationship) with
    /// pseudonyms ("address 3"; equal values stay equal), e.g. --redact address,phone.
    #[arg(long, value_name = "KEY,...", value_delimiter = ',')]
    pub redact: Vec<String>,

    /// Where to write; stdout when absent or "-". The file appears only once the export
    /// is complete.
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormatArg {
    /// steward's own full-fidelity backup, one JSON object per line.
    Jsonl,
    /// A Cypher script that rebuilds the map in Neo4j, Memgraph or steward.
    Cypher,
    /// neo4j-admin import's CSV: nodes.csv and relationships.csv in the directory FILE.
    #[value(name = "neo4j-csv")]
    Neo4jCsv,
    /// Kumu's JSON (elements and connections).
    #[value(name = "kumu-json")]
    KumuJson,
    /// GraphML (yEd, Gephi, Cytoscape, networkx).
    Graphml,
    /// GEXF 1.3 (Gephi).
    Gexf,
    /// Graphviz DOT.
    Dot,
    /// A Mermaid flowchart, for Markdown.
    Mermaid,
    /// Gephi's spreadsheet import: nodes.csv and edges.csv in the directory FILE.
    Csv,
    /// A picture of the map (up to 300 nodes; narrow a big map with --query).
    Svg,
    /// The same picture as PNG (to a FILE, or to stdout when it is not a terminal).
    Png,
}

/// `steward repl`.
#[derive(Debug, Args)]
pub struct ReplArgs {
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `steward compact`.
#[derive(Debug, Clone, Default, Args)]
pub struct CompactArgs {
    /// Also drop the recorded versions (HISTORY OF) made before this day, e.g. 2025-01-01
    /// (a year or a month: its first day; UTC), for retention rules; the map is
    /// unchanged. A day that has not begun yet is refused.
    #[arg(long, value_name = "DATE")]
    pub history_before: Option<String>,
}

/// Options shared by `query`, `run`, the shell and a script from stdin. Each may be given
/// before the subcommand (`steward --format json query ...`) or after it; after it wins.
#[derive(Debug, Clone, Default, Args)]
pub struct OutputArgs {
    /// How to print results: table (the default), json, jsonl or csv.
    #[arg(long, value_enum)]
    pub format: Option<Format>,

    /// Query parameters as a JSON object, e.g. '{"name": "Brian", "n": 3}'; use them as $name.
    #[arg(long, value_name = "JSON")]
    pub params: Option<String>,

    /// Query parameters from a file holding one JSON object (for parameters too large
    /// for the command line, e.g. a list of 5,000 rows to UNWIND).
    #[arg(long, value_name = "FILE", conflicts_with = "params")]
    pub params_file: Option<PathBuf>,

    /// The most memory one statement's held rows may take (sorting, grouping, DISTINCT,
    /// rows read before an update), e.g. 512MiB, 2GiB, 100000000 (bytes); default a quarter
    /// of the machine's memory (1GiB where that cannot be read).
    #[arg(long, value_name = "SIZE", env = "STEWARD_MEMORY_LIMIT", value_parser = parse_size)]
    pub memory_limit: Option<u64>,

    /// The most partial paths one HLS question (WHICH FACTORS LINK, PATHS, SHOW, ...) may
    /// explore before it is stopped; default 1000000.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub path_limit: Option<u64>,

    /// Quick capture refuses a new label or type that is a near duplicate of one in use
    /// (Servce beside Service) unless marked NEW (the default).
    #[arg(long, overrides_with = "no_strict")]
    pub strict: bool,

    /// Quick capture makes near-duplicate labels and types as written, without asking.
    #[arg(long, overrides_with = "strict")]
    pub no_strict: bool,

    /// Who is writing: recorded with every change (HISTORY OF) and with what is learnt
    /// (LEARNT without BY).
    #[arg(long = "as", value_name = "NAME", env = "STEWARD_AUTHOR")]
    pub author: Option<String>,

    /// The most rows one statement may return; a statement that would return more stops
    /// with an error and keeps nothing; default no limit.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub row_limit: Option<u64>,

    /// The longest one statement may run, e.g. 500ms, 30s, 5m; default no limit.
    #[arg(long, value_name = "DURATION", env = "STEWARD_TIMEOUT", value_parser = crate::db::parse_duration)]
    pub timeout: Option<std::time::Duration>,
}

impl OutputArgs {
    /// These options, with those given before the subcommand (`top`) where these lack one.
    pub fn under(self, top: &OutputArgs) -> OutputArgs {
        let given_here = self.params.is_some() || self.params_file.is_some();
        let (params, params_file) = if given_here {
            (self.params, self.params_file)
        } else {
            (top.params.clone(), top.params_file.clone())
        };
        let (strict, no_strict) = if self.strict || self.no_strict {
            (self.strict, self.no_strict)
        } else {
            (top.strict, top.no_strict)
        };
        OutputArgs {
            format: self.format.or(top.format),
            params,
            params_file,
            memory_limit: self.memory_limit.or(top.memory_limit),
            path_limit: self.path_limit.or(top.path_limit),
            strict,
            no_strict,
            author: self.author.or_else(|| top.author.clone()),
            timeout: self.timeout.or(top.timeout),
            row_limit: self.row_limit.or(top.row_limit),
        }
    }

    /// The output format: table unless given.
    pub fn format(&self) -> Format {
        self.format.unwrap_or(Format::Table)
    }

    /// Whether quick capture refuses near-duplicate names: `Some` when given.
    pub fn strict_names(&self) -> Option<bool> {
        match (self.strict, self.no_strict) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        }
    }

    /// Sets the session limits and switches these options give on `db`.
    pub fn apply(&self, db: &crate::db::Db) {
        if let Some(bytes) = self.memory_limit {
            db.set_memory_limit(bytes);
        }
        if let Some(n) = self.path_limit {
            db.set_path_limit(n);
        }
        if let Some(strict) = self.strict_names() {
            db.set_strict_names(strict);
        }
        if let Some(author) = &self.author {
            db.set_author(Some(author));
        }
        if self.timeout.is_some() {
            db.set_timeout(self.timeout);
        }
        if self.row_limit.is_some() {
            db.set_row_limit(self.row_limit);
        }
    }
}

/// Parses a size in bytes: a number with an optional unit (B, KB/KiB, MB/MiB, GB/GiB,
/// case-insensitive; K, M and G alone are binary too).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let (number, unit) = crate::db::number_and_unit(text)
        .ok_or_else(|| format!("`{text}` is not a size: write e.g. 512MiB, 2GiB or 100000000"))?;
    let scale: u64 = match unit.as_str() {
        "" | "b" => 1,
        "kb" => 1_000,
        "k" | "kib" => 1 << 10,
        "mb" => 1_000_000,
        "m" | "mib" => 1 << 20,
        "gb" => 1_000_000_000,
        "g" | "gib" => 1 << 30,
        other => {
            return Err(format!(
                "unknown size unit `{other}` in `{text}`: use B, KiB, MiB, GiB, KB, MB or GB"
            ));
        }
    };
    let bytes = number * scale as f64;
    if !(1.0..=u64::MAX as f64).contains(&bytes) {
        return Err(format!("`{text}` is not a size of at least one byte"));
    }
    Ok(bytes as u64)
}

/// `steward query`.
#[derive(Debug, Args)]
pub struct QueryArgs {
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,

    /// The Cypher statement; "-" reads it from stdin.
    #[arg(value_name = "QUERY")]
    pub query: String,
}

/// `steward run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,

    /// Report each failing statement and go on (exit code 2 at the end) instead of
    /// stopping at the first.
    #[arg(long)]
    pub continue_on_error: bool,

    /// Print each statement (as written in the script) above its result.
    #[arg(long)]
    pub echo: bool,

    /// The script file; "-" reads it from stdin.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A table for people, then the row count and what changed.
    Table,
    /// One JSON object per statement: {"columns", "rows", "stats"}.
    Json,
    /// One JSON object per row, mapping column name to value.
    Jsonl,
    /// A header row, then one row per result row.
    Csv,
}
