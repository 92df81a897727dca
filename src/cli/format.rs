//! Printing statement results in the four output formats.

use super::args::Format;
use super::{json, text};
use crate::db::{PlanDescription, PlanNode, QueryResult};
use crate::exec::Stats;
use crate::model::Output;
use comfy_table::{ContentArrangement, ContentLineStyle, LineStyle, Table, TableStyle};
use std::io::{self, Write};

/// Prints the results of a sequence of statements to one writer.
pub struct Printer<W: Write> {
    out: W,
    format: Format,
    /// Whether a table or CSV block has been printed (to separate the next with a blank line).
    printed_block: bool,
    /// Let the table fit the terminal's width, cutting long values with an ellipsis (only
    /// when stdout is a terminal).
    fit_terminal: bool,
    /// Show at most this many rows in a table, then "(N more rows)".
    max_rows: Option<usize>,
    /// Rows of the statement being streamed so far (see [`Printer::row`]).
    streamed: usize,
    /// How a table is laid out.
    layout: Layout,
    /// The width a table keeps to (wrapping long cells), instead of the terminal's.
    width: Option<u16>,
}

/// How a table result is laid out (the shell's `:mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Rows and columns with borders.
    Table,
    /// One field per line, a record at a time (psql's `\x`, sqlite's `.mode line`): for
    /// wide answers on a narrow screen.
    Line,
    /// Rows and columns without borders.
    Compact,
}

impl<W: Write> Printer<W> {
    /// The output itself, for commands that print their own text.
    pub fn writer(&mut self) -> &mut W {
        &mut self.out
    }

    /// A printer writing `format` to `out`.
    pub fn new(out: W, format: Format, fit_terminal: bool) -> Self {
        Printer {
            out,
            format,
            printed_block: false,
            fit_terminal,
            max_rows: None,
            streamed: 0,
            layout: Layout::Table,
            width: None,
        }
    }

    /// The format results are printed in.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Prints later results in `format`.
    pub fn set_format(&mut self, format: Format) {
        self.format = format;
    }

    /// Shows at most `max` rows of a table (`None`: all of them).
    pub fn set_max_rows(&mut self, max: Option<usize>) {
        self.max_rows = max;
    }

    /// Lays tables out as `layout`.
    pub fn set_layout(&mut self, layout: Layout) {
        self.layout = layout;
    }

    /// Keeps tables to `width` columns (long cells wrap), or to the terminal's when `None`.
    pub fn set_width(&mut self, width: Option<u16>) {
        self.width = width;
    }

    /// Starts afresh: the next block is not separated from what came before (the shell
    /// prints each statement's result on its own).
    pub fn reset_blocks(&mut self) {
        self.printed_block = false;
    }

    /// Prints one statement's result and flushes.
    pub fn print(&mut self, r: &QueryResult) -> io::Result<()> {
        self.print_timed(r, None)
    }

    /// Prints one statement's result and, for a table, how long it took; then flushes.
    pub fn print_timed(
        &mut self,
        r: &QueryResult,
        elapsed: Option<std::time::Duration>,
    ) -> io::Result<()> {
        match self.format {
            Format::Json => {
                let mut object = json::result(&r.columns, &r.rows, &r.stats);
                if !r.answer.is_empty() {
                    object.pop();
                    object.push_str(", \"answer\": ");
                    object.push_str(&json::strings(&r.answer));
                    object.push('}');
                }
                if let Some(plan) = &r.plan {
                    object.pop();
                    object.push_str(", \"plan\": ");
                    object.push_str(&json::plan(plan));
                    object.push('}');
                }
                writeln!(self.out, "{object}")?
            }
            Format::Jsonl => {
                for row in &r.rows {
                    writeln!(self.out, "{}", json::row_object(&r.columns, row))?;
                }
                if let Some(plan) = &r.plan {
                    writeln!(self.out, "{{\"plan\": {}}}", json::plan(plan))?;
                }
            }
            Format::Csv => {
                if !r.columns.is_empty() && r.plan.as_ref().is_none_or(|p| p.profiled) {
                    if self.printed_block {
                        writeln!(self.out)?;
                    }
                    self.write_csv(r)?;
                    self.printed_block = true;
                }
                if let Some(plan) = &r.plan {
                    if self.printed_block {
                        writeln!(self.out)?;
                    }
                    self.write_plan_csv(plan)?;
                    self.printed_block = true;
                }
            }
            Format::Table => {
                if self.printed_block {
                    writeln!(self.out)?;
                }
                let shown = self.max_rows.unwrap_or(usize::MAX).min(r.rows.len());
                let explained = r.plan.as_ref().is_some_and(|p| !p.profiled);
                if let Some(plan) = r.plan.as_ref().filter(|_| explained) {
                    writeln!(self.out, "{}", plan_table(plan, self.fit_terminal))?;
                    writeln!(self.out, "{}", plan_summary(plan))?;
                    self.printed_block = true;
                    return self.out.flush();
                }
                if !r.columns.is_empty() {
                    let look = Look {
                        layout: self.layout,
                        fit_terminal: self.fit_terminal,
                        width: self.width,
                    };
                    writeln!(self.out, "{}", table(r, shown, look))?;
                    let more = r.rows.len() - shown;
                    if more > 0 {
                        writeln!(
                            self.out,
                            "({more} more {})",
                            if more == 1 { "row" } else { "rows" }
                        )?;
                    }
                }
                // Quick capture answers in a line of its own instead of `0 rows` and the
                // counters (JSON keeps the counters).
                let mut summary = if r.answer.is_empty() {
                    summary(r.rows.len(), &r.stats)
                } else {
                    r.answer.join("\n")
                };
                if let Some(elapsed) = elapsed {
                    // After the row count, before the counters on the next line.
                    let at = summary.find('\n').unwrap_or(summary.len());
                    summary.insert_str(at, &format!(" ({})", duration(elapsed)));
                }
                writeln!(self.out, "{summary}")?;
                if let Some(plan) = &r.plan {
                    writeln!(self.out)?;
                    writeln!(self.out, "{}", plan_table(plan, self.fit_terminal))?;
                    writeln!(self.out, "{}", plan_summary(plan))?;
                }
                self.printed_block = true;
            }
        }
        self.out.flush()
    }

    /// True when the format prints each row as it comes (JSON lines and CSV), so a
    /// statement's rows need not be held: use [`Printer::row`] then [`Printer::end`].
    pub fn streams(&self) -> bool {
        matches!(self.format, Format::Jsonl | Format::Csv)
    }

    /// Prints one row of a streamed result (a CSV header before the first).
    pub fn row(&mut self, columns: &[String], row: &[Output]) -> io::Result<()> {
        match self.format {
            Format::Jsonl => writeln!(self.out, "{}", json::row_object(columns, row))?,
            _ => {
                if self.streamed == 0 {
                    if self.printed_block {
                        writeln!(self.out)?;
                    }
                    let mut w = csv::Writer::from_writer(&mut self.out);
                    w.write_record(columns).map_err(csv_io)?;
                    w.flush()?;
                }
                self.out.write_all(text::csv_line(row).as_bytes())?;
                self.out.flush()?;
                self.printed_block = true;
            }
        }
        self.streamed += 1;
        Ok(())
    }

    /// Ends a streamed result: what [`Printer::print`] would have printed besides the
    /// rows (a CSV header when there were none, the plan of EXPLAIN or PROFILE).
    pub fn end(&mut self, r: &QueryResult) -> io::Result<()> {
        let streamed = std::mem::take(&mut self.streamed);
        if streamed == 0 {
            return self.print(r);
        }
        if let Some(plan) = &r.plan {
            match self.format {
                Format::Jsonl => writeln!(self.out, "{{\"plan\": {}}}", json::plan(plan))?,
                _ => {
                    writeln!(self.out)?;
                    self.write_plan_csv(plan)?;
                }
            }
        }
        self.out.flush()
    }

    fn write_plan_csv(&mut self, plan: &PlanDescription) -> io::Result<()> {
        let mut w = csv::Writer::from_writer(&mut self.out);
        w.write_record(plan_columns(plan)).map_err(csv_io)?;
        for (prefix, node) in plan_lines(plan) {
            let mut cells = plan_cells(node);
            cells[0] = format!("{prefix}{}", node.operator);
            w.write_record(&cells).map_err(csv_io)?;
        }
        w.flush()
    }

    fn write_csv(&mut self, r: &QueryResult) -> io::Result<()> {
        let mut w = csv::Writer::from_writer(&mut self.out);
        w.write_record(&r.columns).map_err(csv_io)?;
        w.flush()?;
        drop(w);
        for row in &r.rows {
            self.out.write_all(text::csv_line(row).as_bytes())?;
        }
        self.out.flush()
    }

    /// Writes a statement above its result (`run --echo`), separated from the result
    /// before it by a blank line as results are from each other.
    pub fn echo(&mut self, statement: &str) -> io::Result<()> {
        if self.printed_block {
            writeln!(self.out)?;
        }
        writeln!(self.out, "{statement}")?;
        self.printed_block = false;
        self.out.flush()
    }

    /// Writes a line as it is (used for JSON error objects) and flushes.
    pub fn line(&mut self, line: &str) -> io::Result<()> {
        writeln!(self.out, "{line}")?;
        self.out.flush()
    }
}

fn csv_io(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// A duration for people: `0.4 ms`, `12 ms`, `1.25 s`.
pub fn duration(d: std::time::Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 10.0 {
        format!("{ms:.1} ms")
    } else if ms < 1000.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{:.2} s", ms / 1000.0)
    }
}

/// An empty table in [`ascii_style`], fitted to the terminal's width when `fit_terminal`.
fn new_table(fit_terminal: bool) -> Table {
    let mut t = Table::new();
    t.load_style(ascii_style());
    t.set_content_arrangement(if fit_terminal {
        ContentArrangement::Dynamic
    } else {
        ContentArrangement::Disabled
    });
    t
}

/// Plain ASCII borders: `+---+` lines, `|` between cells.
fn ascii_style() -> TableStyle {
    let line = LineStyle::new('+', '-', '+', '+');
    let content = ContentLineStyle::new('|', '|', '|');
    TableStyle::new()
        .top_border(line)
        .header_lines(content)
        .header_separator(line)
        .content_lines(content)
        .bottom_border(line)
}

/// The table: a header row and the first `shown` result rows; every value as Cypher text.
/// Fitted to the terminal, each row is one line and long values end in an ellipsis.
/// How a table is drawn.
#[derive(Debug, Clone, Copy)]
struct Look {
    layout: Layout,
    fit_terminal: bool,
    width: Option<u16>,
}

fn table(r: &QueryResult, shown: usize, look: Look) -> String {
    // A question's answer is for people: names and arrow chains. Long cells wrap
    // inside their column to the terminal's (or `:width`'s) width rather than being cut.
    let cell = if r.question {
        text::readable
    } else {
        text::cypher
    };
    if look.layout == Layout::Line {
        let wide = r
            .columns
            .iter()
            .map(|c| c.chars().count())
            .max()
            .unwrap_or(0);
        // A long value wraps beside its column name, within `:width` or the terminal.
        let width = look
            .width
            .or_else(|| look.fit_terminal.then(|| Table::new().width()).flatten());
        let room = width.map(|w| usize::from(w).saturating_sub(wide + 3).max(20));
        let indent = " ".repeat(wide + 3);
        let mut out = String::new();
        for (n, row) in r.rows.iter().take(shown).enumerate() {
            if n > 0 {
                out.push('\n');
            }
            out.push_str(&format!("-[ RECORD {} ]-\n", n + 1));
            for (column, value) in r.columns.iter().zip(row) {
                let text = cell(value);
                let lines: Vec<std::borrow::Cow<'_, str>> = match room {
                    Some(room) => textwrap::wrap(&text, room),
                    None => text.lines().map(std::borrow::Cow::Borrowed).collect(),
                };
                out.push_str(&format!("{column:>wide$} | "));
                for (i, line) in lines.iter().enumerate() {
                    if i > 0 {
                        out.push_str(&indent);
                    }
                    out.push_str(line);
                    out.push('\n');
                }
                if lines.is_empty() {
                    out.push('\n');
                }
            }
        }
        return out.trim_end().to_string();
    }
    let mut t = new_table(look.fit_terminal || look.width.is_some());
    if let Some(w) = look.width {
        t.set_width(w);
    }
    if look.layout == Layout::Compact {
        t.load_style(TableStyle::new());
    }
    t.set_header(r.columns.iter().map(String::as_str));
    for row in r.rows.iter().take(shown) {
        t.add_row(comfy_table::Row::from(row.iter().map(cell)));
    }
    t.to_string()
}

/// The columns of a plan table: PROFILE adds what each operator did.
fn plan_columns(plan: &PlanDescription) -> Vec<&'static str> {
    let mut columns = vec!["Operator", "Id", "Details", "Estimated Rows"];
    if plan.profiled {
        columns.extend(["Rows", "Store Reads", "Time (ms)"]);
    }
    columns
}

/// Every operator with the tree drawing before its name, root first: `+Name`, and `| `
/// for each enclosing operator with more than one input whose later inputs are still to
/// come.
fn plan_lines(plan: &PlanDescription) -> Vec<(String, &PlanNode)> {
    fn walk<'n>(node: &'n PlanNode, prefix: &str, out: &mut Vec<(String, &'n PlanNode)>) {
        out.push((format!("{prefix}+"), node));
        let n = node.children.len();
        for (i, child) in node.children.iter().enumerate() {
            if i + 1 < n {
                walk(child, &format!("{prefix}| "), out);
            } else {
                walk(child, prefix, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(&plan.root, "", &mut out);
    out
}

fn plan_cells(node: &PlanNode) -> Vec<String> {
    let mut cells = vec![
        node.operator.clone(),
        node.id.to_string(),
        node.details.clone(),
        estimate(node.estimated_rows),
    ];
    if let (Some(rows), Some(reads), Some(ms)) = (node.rows, node.store_reads, node.time_ms) {
        cells.extend([rows.to_string(), reads.to_string(), format!("{ms:.3}")]);
    }
    cells
}

/// An estimated row count: whole above ten, one decimal below.
fn estimate(rows: f64) -> String {
    if rows >= 10.0 {
        format!("{rows:.0}")
    } else {
        format!("{rows:.1}")
    }
}

/// The plan as a table, one operator a row, drawn as a tree in the first column.
fn plan_table(plan: &PlanDescription, fit_terminal: bool) -> String {
    let mut t = new_table(fit_terminal);
    t.set_header(plan_columns(plan));
    for (prefix, node) in plan_lines(plan) {
        let mut cells = plan_cells(node);
        cells[0] = format!("{prefix}{}", node.operator);
        let mut row = comfy_table::Row::from(cells);
        if fit_terminal {
            row.max_height(1);
        }
        t.add_row(row);
    }
    for i in 1..plan_columns(plan).len() {
        if let Some(c) = t.column_mut(i).filter(|_| i != 2) {
            c.set_cell_alignment(comfy_table::CellAlignment::Right);
        }
    }
    t.to_string()
}

/// The line under a plan: its size and, for PROFILE, the totals.
fn plan_summary(plan: &PlanDescription) -> String {
    let nodes = plan_lines(plan);
    let n = nodes.len();
    let mut out = format!(
        "{n} {}, estimated {} {}",
        if n == 1 { "operator" } else { "operators" },
        estimate(plan.root.estimated_rows),
        if plan.root.estimated_rows == 1.0 {
            "row"
        } else {
            "rows"
        }
    );
    if plan.profiled {
        let reads: u64 = nodes.iter().filter_map(|(_, n)| n.store_reads).sum();
        let ms: f64 = nodes.iter().filter_map(|(_, n)| n.time_ms).sum();
        out.push_str(&format!(
            "; {reads} store {} in {}",
            if reads == 1 { "read" } else { "reads" },
            duration(std::time::Duration::from_secs_f64(ms / 1000.0))
        ));
    }
    out
}

/// `2 rows`, then on a second line the non-zero counters: `Nodes created: 2, Properties set: 3`.
pub fn summary(rows: usize, s: &Stats) -> String {
    let mut out = format!("{rows} {}", if rows == 1 { "row" } else { "rows" });
    let counters = [
        ("Nodes created", s.nodes_created),
        ("Nodes deleted", s.nodes_deleted),
        ("Relationships created", s.relationships_created),
        ("Relationships deleted", s.relationships_deleted),
        ("Labels added", s.labels_added),
        ("Labels removed", s.labels_removed),
        ("Properties set", s.properties_set),
        ("Properties removed", s.properties_removed),
    ];
    let changed: Vec<String> = counters
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(name, n)| format!("{name}: {n}"))
        .collect();
    if !changed.is_empty() {
        out.push('\n');
        out.push_str(&changed.join(", "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Output;

    fn result() -> QueryResult {
        QueryResult {
            plan: None,
            question: false,
            answer: Vec::new(),
            notes: Vec::new(),
            subjects: Vec::new(),
            columns: vec!["name".into(), "n".into()],
            rows: vec![
                vec![Output::String("Brian".into()), Output::Int(1)],
                vec![Output::String("a, \"b\"".into()), Output::Null],
            ],
            stats: Stats {
                nodes_created: 2,
                properties_set: 3,
                ..Stats::default()
            },
        }
    }

    fn print(format: Format, results: &[QueryResult]) -> String {
        let mut out = Vec::new();
        let mut p = Printer::new(&mut out, format, false);
        for r in results {
            p.print(r).unwrap();
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn line_and_compact_layouts_and_a_fixed_width() {
        let layout = |l: Layout, width: Option<u16>| {
            let mut out = Vec::new();
            let mut p = Printer::new(&mut out, Format::Table, false);
            p.set_layout(l);
            p.set_width(width);
            p.print(&result()).unwrap();
            String::from_utf8(out).unwrap()
        };
        assert_eq!(
            layout(Layout::Line, None),
            "-[ RECORD 1 ]-\nname | \"Brian\"\n   n | 1\n\n-[ RECORD 2 ]-\nname | \"a, \\\"b\\\"\"\n   n | null\n2 rows\nNodes created: 2, Properties set: 3\n"
        );
        let compact = layout(Layout::Compact, None);
        assert!(
            !compact.contains('|') && !compact.contains("+-"),
            "{compact}"
        );
        assert!(compact.contains("Brian"), "{compact}");
        let mut long = result();
        long.rows[0][0] = Output::String("word ".repeat(30));
        let mut out = Vec::new();
        let mut p = Printer::new(&mut out, Format::Table, false);
        p.set_width(Some(40));
        p.print(&long).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.lines().all(|l| l.chars().count() <= 40),
            "every line within 40 columns:\n{text}"
        );
        assert_eq!(
            text.matches("word").count(),
            30,
            "wrapped, not cut:\n{text}"
        );
        // Line mode wraps a long value beside its column name, within the width.
        let mut out = Vec::new();
        let mut p = Printer::new(&mut out, Format::Table, false);
        p.set_layout(Layout::Line);
        p.set_width(Some(40));
        p.print(&long).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.lines().all(|l| l.chars().count() <= 40),
            "every line within 40 columns:\n{text}"
        );
        assert_eq!(text.matches("word").count(), 30, "{text}");
        assert!(
            text.lines()
                .filter(|l| l.starts_with("       word"))
                .count()
                >= 3,
            "continued under the value:\n{text}"
        );
    }

    #[test]
    fn a_table_shows_at_most_max_rows_then_how_many_more() {
        let mut out = Vec::new();
        let mut p = Printer::new(&mut out, Format::Table, false);
        p.set_max_rows(Some(1));
        p.print_timed(&result(), Some(std::time::Duration::from_micros(1500)))
            .unwrap();
        let expected = "\
+---------+---+
| name    | n |
+---------+---+
| \"Brian\" | 1 |
+---------+---+
(1 more row)
2 rows (1.5 ms)
Nodes created: 2, Properties set: 3
";
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }

    #[test]
    fn table_has_a_header_rows_and_a_summary() {
        let expected = "\
+------------+------+
| name       | n    |
+------------+------+
| \"Brian\"    | 1    |
| \"a, \\\"b\\\"\" | null |
+------------+------+
2 rows
Nodes created: 2, Properties set: 3
";
        assert_eq!(print(Format::Table, &[result()]), expected);
    }

    #[test]
    fn a_write_without_columns_prints_only_the_summary() {
        let r = QueryResult {
            plan: None,
            question: false,
            answer: Vec::new(),
            notes: Vec::new(),
            subjects: Vec::new(),
            columns: vec![],
            rows: vec![],
            stats: Stats {
                nodes_created: 1,
                ..Stats::default()
            },
        };
        assert_eq!(
            print(Format::Table, &[r.clone(), r]),
            "0 rows\nNodes created: 1\n\n0 rows\nNodes created: 1\n"
        );
    }

    #[test]
    fn csv_quotes_as_needed_and_separates_blocks() {
        let expected = "name,n\nBrian,1\n\"a, \"\"b\"\"\",\n";
        assert_eq!(print(Format::Csv, &[result()]), expected);
        assert_eq!(
            print(Format::Csv, &[result(), result()]),
            format!("{expected}\n{expected}")
        );
    }

    #[test]
    fn csv_writes_an_empty_string_quoted_and_null_as_an_empty_field() {
        let mut r = result();
        r.rows = vec![
            vec![Output::String(String::new()), Output::Null],
            vec![Output::Null, Output::String(String::new())],
        ];
        assert_eq!(print(Format::Csv, &[r.clone()]), "name,n\n\"\",\n,\"\"\n");
        // Streamed rows are written the same way.
        let mut out = Vec::new();
        let mut p = Printer::new(&mut out, Format::Csv, false);
        for row in &r.rows {
            p.row(&r.columns, row).unwrap();
        }
        assert_eq!(String::from_utf8(out).unwrap(), "name,n\n\"\",\n,\"\"\n");
        // One column: a null row is `""` too, since an empty line is no row to a reader.
        r.columns.truncate(1);
        r.rows = vec![vec![Output::Null], vec![Output::String("x".into())]];
        assert_eq!(print(Format::Csv, &[r]), "name\n\"\"\nx\n");
    }

    #[test]
    fn jsonl_is_one_object_per_row() {
        assert_eq!(
            print(Format::Jsonl, &[result()]),
            "{\"name\": \"Brian\", \"n\": 1}\n{\"name\": \"a, \\\"b\\\"\", \"n\": null}\n"
        );
    }
}
