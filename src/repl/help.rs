//! `:help` and `:help TOPIC`: the shell's commands and short examples of the language.

use super::meta::COMMANDS;
use crate::plan::suggestion;

/// The topics `:help` knows.
pub const TOPICS: &[&str] = &[
    "match",
    "create",
    "merge",
    "set",
    "delete",
    "return",
    "load",
    "import",
    "analytics",
    "functions",
    "params",
    "keys",
    "plan",
];

/// The help text for `topic` ("" for the overview).
pub fn help(topic: &str) -> String {
    let topic = topic.trim().trim_start_matches(':').to_lowercase();
    match topic.as_str() {
        "" => overview(),
        "match" => MATCH.to_string(),
        "create" => CREATE.to_string(),
        "merge" => MERGE.to_string(),
        "set" | "remove" => SET.to_string(),
        "delete" => DELETE.to_string(),
        "return" | "with" | "order" => RETURN.to_string(),
        "load" | "csv" | "load csv" => LOAD.to_string(),
        "import" | "export" => IMPORT.to_string(),
        "analytics" | "analysis" | "centrality" | "procedures" => ANALYTICS.to_string(),
        "functions" => functions(),
        "params" | "param" => PARAMS.to_string(),
        "keys" => KEYS.to_string(),
        "plan" | "explain" | "profile" => PLAN.to_string(),
        other => match COMMANDS.iter().find(|c| &c.name[1..] == other) {
            Some(c) => format!("{} {}\n  {}", c.name, c.args, c.about),
            None => format!(
                "no help on `{other}`{}; topics: {}",
                suggestion(other, TOPICS.iter().copied()),
                TOPICS.join(", ")
            ),
        },
    }
}

const IMPORT: &str = "\
Bring a map in, take it out (the same options as `steward import` / `steward export`):
  :import --format jsonl backup.jsonl
  :import --format neo4j-csv --nodes people.csv --relationships knows.csv
  :import --format kumu-json alliance.json
  :import --format kumu-csv --elements elements.csv --connections connections.csv
  :export --format graphml map.graphml
  :export --format kumu-json --query \"SHOW 'Brian' WITHIN 2 STEPS\" brian.json
  :export --format jsonl --pseudonymise --redact address shared.jsonl
An import is one transaction: a bad record imports nothing and says file, line, column.
Export formats: jsonl cypher neo4j-csv kumu-json graphml gexf dot mermaid csv.
:params load FILE reads parameters from a JSON file.";

const ANALYTICS: &str = "\
Network analysis: CALL a procedure, keep what it yields, filter and sort like any rows.
  CALL steward.procedures();                      -- every procedure, what it does
  CALL steward.betweenness({labels: ['Actor']}) YIELD node, score
  WHERE node:Organisation RETURN node.name, score ORDER BY score DESC LIMIT 10;
Every procedure takes an optional map: labels: [...] (which nodes), types: [...] (which
relationships), direction: 'out' | 'in' | 'both', weight: 'strength' (where it counts).

What the measures tell a steward:
  degree       how many direct relationships an actor has: the well-connected ones.
  betweenness  how often an actor lies on the shortest route between two others: the
               brokers. High betweenness means much of the system's contact passes
               through them; if they leave or are overwhelmed, others lose touch.
  closeness    how few steps an actor is from everyone else: who hears first, and
               can reach everyone quickly (harmonic: true copes with a disconnected map).
  pagerank     importance from being pointed to by important others (referrals,
               dependence): what the system leans on.
  eigenvector  connected to the well connected: influence through one's neighbours.
  communities  clusters that relate more among themselves than with the rest: the
               parts of the system that already work together.
  components   the separate pieces of the map: who cannot reach whom at all.
  bridges      relationships that alone hold two parts together: fragile links.
  brokers      actors whose loss would split the map, and the organisations only
               they connect.
  reach        how many others an actor reaches within two steps (as Kumu counts it).
  loops        feedback loops (cycles) in a causal map: reinforcing ones amplify
               (the more crisis, the more crisis), balancing ones steady the system.";

fn overview() -> String {
    let mut out = String::from(
        "Type Cypher statements ending with ';' (Enter before the ';' continues on the next line).\n\
         Example:\n  \
         CREATE (:Person {name: 'Brian'})-[:USES {since: 2016}]->(:Service {name: 'GP surgery'});\n  \
         MATCH (p:Person)-[u:USES]->(s) RETURN p.name, u.since, s.name;\n\nCommands:\n",
    );
    for c in COMMANDS {
        out.push_str(&format!(
            "  {:<30} {}\n",
            format!("{} {}", c.name, c.args),
            c.about
        ));
    }
    out.push_str(&format!("\nTopics (:help TOPIC): {}\n", TOPICS.join(", ")));
    out.push_str("Tab completes keywords, functions, :labels, [:TYPES], .keys and \"node names\".");
    out
}

fn functions() -> String {
    let mut names: Vec<&str> = crate::plan::function_names().collect();
    names.sort_unstable_by_key(|n| n.to_lowercase());
    let mut out = String::from("Functions (call them as name(args)):\n");
    let mut line = String::from(" ");
    for name in names {
        if line.len() + name.len() > 78 {
            out.push_str(&line);
            out.push('\n');
            line = String::from(" ");
        }
        line.push(' ');
        line.push_str(name);
    }
    out.push_str(&line);
    out.push_str("\nExamples:\n  MATCH (p:Person) RETURN toUpper(p.name), size(p.name);\n  MATCH (s:Service)<-[:USES]-(p) RETURN s.name, count(p) AS users ORDER BY users DESC;");
    out
}

const MATCH: &str = "\
MATCH finds patterns: (node:Label {key: value}), -[:TYPE]->, and returns what it found.
  MATCH (p:Person) RETURN p.name;
  MATCH (p:Person {name: 'Brian'})-[:USES]->(s:Service) RETURN s.name;
  MATCH (a)-[r]->(b) WHERE r.since >= 2016 RETURN a.name, type(r), b.name;
  MATCH path = (a:Person)-[*1..3]-(b:Person) WHERE a <> b RETURN path LIMIT 5;
  OPTIONAL MATCH keeps rows with no match (with nulls).";

const CREATE: &str = "\
CREATE adds nodes and relationships.
  CREATE (:Person {name: 'Brian', role: 'resident'});
  MATCH (p:Person {name: 'Brian'}), (s:Service {name: 'GP surgery'})
  CREATE (p)-[:USES {since: 2016}]->(s);";

const MERGE: &str = "\
MERGE finds a pattern or creates it when it is missing.
  MERGE (s:Service {name: 'Food bank'});
  MERGE (p:Person {name: 'Asha'}) ON CREATE SET p.firstSeen = 2024 ON MATCH SET p.visits = p.visits + 1;";

const SET: &str = "\
SET changes properties and labels; REMOVE takes them away.
  MATCH (p:Person {name: 'Brian'}) SET p.role = 'carer', p:Carer;
  MATCH (p:Person {name: 'Brian'}) REMOVE p.role, p:Carer;";

const DELETE: &str = "\
DELETE removes relationships and nodes; DETACH DELETE removes a node with its relationships.
  MATCH (:Person {name: 'Brian'})-[u:USES]->() DELETE u;
  MATCH (p:Person {name: 'Brian'}) DETACH DELETE p;";

const RETURN: &str = "\
RETURN picks what to show; WITH passes rows on; ORDER BY, SKIP and LIMIT shape them.
  MATCH (s:Service)<-[:USES]-(p) RETURN s.name AS service, count(p) AS users ORDER BY users DESC LIMIT 10;
  MATCH (p:Person) WITH p, size(p.name) AS n WHERE n > 4 RETURN p.name;
  UNWIND ['a', 'b'] AS x RETURN x;";

const LOAD: &str = "\
LOAD CSV reads a CSV file (a path, relative to the working directory, or a file:/// URL;
local files only), one row per record. Every field is a string (an empty one is null);
convert with toInteger(), toFloat(), date(). WITH HEADERS makes each row a map keyed by the
first line's names; without it, each row is a list (row[0], row[1], ...).
  LOAD CSV WITH HEADERS FROM 'people.csv' AS row
  MERGE (p:Actor:Person {name: row.name}) SET p.age = toInteger(row.age);
  LOAD CSV WITH HEADERS FROM 'uses.csv' AS row
  MATCH (p:Person {name: row.person}), (s:Service {name: row.service}) MERGE (p)-[:USES]->(s);
  LOAD CSV FROM 'file:///home/me/data.tsv' AS row FIELDTERMINATOR '\\t' RETURN row[0], linenumber() LIMIT 5;
linenumber() and file() tell which line and file a row came from.";

const PARAMS: &str = "\
Parameters keep values out of the statement text.
  :param who => 'Brian'
  :param years => [2016, 2017]
  MATCH (p:Person {name: $who})-[u:USES]->(s) WHERE u.since IN $years RETURN s.name;
  :params          lists them;   :params clear   forgets them";

const PLAN: &str = "\
EXPLAIN shows how a statement would run, without running it: its operators, root first,
each with what it works on and the rows the planner expects from the store's counts.
PROFILE runs the statement, shows its result, then the same tree with the rows each
operator produced, its store reads and its time.
  EXPLAIN MATCH (s:Service)<-[:USES]-(p) RETURN s.name, count(p) AS users ORDER BY users DESC LIMIT 5;
  PROFILE MATCH (p:Person {name: 'Brian'})-[*1..2]-(x) RETURN count(DISTINCT x);
Operators that hold rows (Sort, Top, Aggregation, Distinct, Eager) count their memory
against :memory_limit.";

const KEYS: &str = "\
Keys:
  Enter        run the statement if it ends with ';', else go on to the next line
  Tab          complete (keywords, functions, :labels, [:TYPES], .keys, \"node names\")
  Up / Down    earlier statements (a whole multi-line statement at a time)
  Ctrl-R       search the history
  Ctrl-C       cancel the running statement (nothing it did is kept), or clear the line
  Ctrl-D       leave (the store is closed cleanly)";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_topic_and_command_has_help() {
        for topic in TOPICS {
            assert!(!help(topic).starts_with("no help"), "{topic}");
        }
        assert!(help("").contains(":max_rows N"));
        assert!(help("format").starts_with(":format table|csv|json|jsonl"));
        assert_eq!(
            help("mach"),
            "no help on `mach` (did you mean `match`?); topics: match, create, merge, set, delete, return, load, import, analytics, functions, params, keys, plan"
        );
    }
}
