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
    "constraint",
    "import",
    "analytics",
    "hls",
    "actor",
    "factor",
    "link",
    "learnt",
    "unlink",
    "rename",
    "merge-into",
    "forget",
    "which",
    "who",
    "paths",
    "show",
    "learnt-query",
    "holds",
    "loops",
    "time",
    "views",
    "history",
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
        "constraint" | "constraints" | "unique" => CONSTRAINT.to_string(),
        "import" | "export" => IMPORT.to_string(),
        "analytics" | "analysis" | "centrality" | "procedures" => ANALYTICS.to_string(),
        "hls" | "questions" | "capture" => HLS.to_string(),
        "actor" => ACTOR.to_string(),
        "factor" => FACTOR.to_string(),
        "link" => LINK.to_string(),
        "learnt" => LEARNT.to_string(),
        "unlink" => UNLINK.to_string(),
        "rename" => RENAME.to_string(),
        "merge-into" | "merge into" | "into" => MERGE_INTO.to_string(),
        "forget" => FORGET.to_string(),
        "which" | "which factors" => WHICH.to_string(),
        "who" | "who links" => WHO.to_string(),
        "paths" => PATHS.to_string(),
        "show" => SHOW.to_string(),
        "learnt-query" | "what" | "what have we learnt" => LEARNT_QUERY.to_string(),
        "holds" | "who holds" | "brokers" => HOLDS.to_string(),
        "loops" | "which loops" => LOOPS.to_string(),
        "time" | "as of" | "as_of" | "changed" | "what changed" | "from" | "until" => {
            TIME.to_string()
        }
        "views" | "view" | "seen by" | "compare" | "compare views" => VIEWS.to_string(),
        "history" | "history of" | "recorded" | "as recorded" | "as_recorded" => {
            HISTORY.to_string()
        }
        "functions" => functions(),
        "params" | "param" => PARAMS.to_string(),
        "keys" => KEYS.to_string(),
        "plan" | "explain" | "profile" => PLAN.to_string(),
        other => match COMMANDS.iter().find(|c| &c.name[1..] == other) {
            Some(c) => command_help(c),
            None => format!(
                "no help on `{other}`{}; topics: {}",
                suggestion(other, TOPICS.iter().copied()),
                TOPICS.join(", ")
            ),
        },
    }
}

const HLS: &str = "\
The Human Learning Systems language: quick capture to map a life as a system,
and questions to ask of the map. Each is a statement of its own, ending in ';'.
Capture (each is idempotent: running it again changes nothing):
  ACTOR \"Brian\" AS Person;                              :help actor
  FACTOR \"Housing\" AT place SCALE;                      :help factor
  LINK \"Brian\" -[:AFFECTED_BY]-> \"Housing\";             :help link
  LEARNT \"...\" ABOUT \"Brian\" HOW \"...\";                 :help learnt
Editing (each idempotent and all-or-nothing; each answers in one line):
  UNLINK \"Brian\" -[:AFFECTED_BY]-> \"Housing\";           :help unlink
  RENAME \"Brians family\" TO \"Brian's family\";           :help rename
  MERGE \"Brians family\" INTO \"Brian's family\";          :help merge-into
  FORGET \"Brians family\";                               :help forget
Questions:
  WHICH FACTORS LINK \"Brian\" TO \"Emergency services\";   :help which
  WHO LINKS \"Brian\" TO \"Local authority\";               :help who
  PATHS FROM \"Brian\" TO \"Health service\" LIMIT 3;       :help paths
  SHOW \"Brian\" WITHIN 2 STEPS;                          :help show
  WHAT HAVE WE LEARNT ABOUT \"Brian\";                    :help learnt-query
  WHO HOLDS THE SYSTEM TOGETHER;                        :help holds
  WHICH LOOPS THROUGH \"Health\";                         :help loops
  AS OF 2016 SHOW \"Brian\";                              :help time
  WHAT CHANGED FOR \"Brian\" BETWEEN 2016 AND 2019;       :help time
  COMPARE VIEWS OF \"Brian\";                             :help views
  HISTORY OF \"Brian\";                                   :help history
A node is named by \"name\" (ignoring case), Label \"name\", #id or a $parameter.
Try them on examples/life-as-a-system.cypher:
  :source examples/life-as-a-system.cypher";

const ACTOR: &str = "\
ACTOR \"name\" [AS [NEW] Label[:Label...]] [AT person|organisation|place SCALE]
      [{props}]
  An actor: a person, family, community, service, organisation. Found by name
  and label if it exists (then labels and properties are added), else created.
  The labels Factor and Learning are refused (FACTOR and LEARNT make those); so
  is a name property other than the name after ACTOR (RENAME changes a name).
  ACTOR \"Brian\" AS Person {born: 1978};
  ACTOR \"Emergency services\" AS Service;
  ACTOR \"Brian's friends\" AS Community;
  Labels imply the scale: Person, Family, Community, Friend -> person; Service,
  Organisation, Organization, Charity, Team, Provider, Department ->
  organisation; Place, Neighbourhood, City, Town, Region -> place; no label ->
  person. Any other label (one that implies none) needs AT ... SCALE:
  ACTOR \"Food bank\" AS Volunteers AT organisation SCALE;
  A scale worked out from labels follows them when labels are added; one given
  with AT (or SET in Cypher; marked scale_given: true) never changes by itself.
  A new label one or two letters (or only case) away from one in use is refused
  with \"did you mean\"; AS NEW Servce says it is meant.";

const FACTOR: &str = "\
FACTOR \"name\" [AT person|organisation|place SCALE] [{props}]
  A factor that shapes lives: income, housing, health, agency...
  FACTOR \"Housing and neighbourhood conditions\" AT place SCALE;
  FACTOR \"Health\";";

const LINK: &str = "\
LINK <node> -[:TYPE {props}]-> <node>   (or <-[:TYPE]-, or -[:TYPE]- either way)
  A relationship between two nodes that exist; the same LINK again changes
  nothing (its properties are updated).
  LINK \"Brian\" -[:AFFECTED_BY {strength: 4}]-> \"Income and wealth\";
  LINK \"Brian\" -[:KNOWS]- \"Brian's friends\";
  Answers: linked Brian -KNOWS-> Brian's friends
  (or already there: ..., updated ...).
  A new type one or two letters (or only case) away from one in use is refused
  with \"did you mean\"; -[:NEW AFECTED_BY]-> says it is meant.";

const UNLINK: &str = "\
UNLINK <node> -[:TYPE]-> <node> [SEEN BY \"who\"] [FROM ... UNTIL ...]
       (or <-[:TYPE]-, or -[:TYPE]- either way)
  Removes the relationships of that type between the two, the way the arrow
  points: every view and spell of it, or with SEEN BY only that person's view,
  with FROM (UNTIL) only the spell that starts (ends) then. It names each one it
  removed. When there is none it says so (not an error) and what there is
  instead, so running it twice is harmless.
  UNLINK \"Brian\" -[:AFFECTED_BY]-> \"Health\";
  UNLINK \"Brian\" -[:KNOWS]- \"Brian's friends\";
  UNLINK \"Brian\" -[:TRUSTS]- \"Brian's family\" SEEN BY \"Sam\";
  UNLINK \"Brian\" -[:KNOWS]- \"Brian's friends\" FROM 2014;";

const RENAME: &str = "\
RENAME <node> TO \"new name\"
  Renames a node, keeping everything else. Refused when another node has the
  new name (MERGE them instead); the same name is a no-op; run again once done,
  it says there is nothing to rename.
  RENAME \"Brians family\" TO \"Brian's family\";";

const MERGE_INTO: &str = "\
MERGE <node> INTO <node> [KEEPING OURS|THEIRS]
  Makes a duplicate one with the node it duplicates: every relationship of the
  first (both directions) moves to the second, its labels and properties are
  added, then the first is deleted. A self-loop stays a self-loop; a
  relationship between the two is dropped; one the second already has (same
  type, other end, direction, spell and view) is combined with it; another
  spell or view moves beside it. The second keeps its name.
  An actor, a factor and a learning record cannot be merged into one another.
  A property both have with different values is refused, naming both values,
  unless KEEPING says whose wins: OURS keeps the values of the node merged INTO
  (it stays), THEIRS takes those of the node that goes. A scale given with AT
  beats one worked out from labels. Run again once done, it says so.
  MERGE \"Brians family\" INTO \"Brian's family\";
  MERGE \"Brians family\" INTO \"Brian's family\" KEEPING OURS;
  (MERGE followed by a pattern is Cypher's MERGE: :help merge.)";

const FORGET: &str = "\
FORGET <node>
  Deletes a node with all its relationships, and says what went:
  forgot \"X\" and 3 relationships. Learning records about it stay. Run again,
  it says there is nothing to forget.
  FORGET \"Brians family\";";

const LEARNT: &str = "\
LEARNT \"what\" [ABOUT <node>[, <node>...]] HOW \"how we learnt it\"
       [AT understand|explore|experiment|embed STAGE] [FROM <node>] [BY \"who\"]
       [ON date('2024-03-01')]
  A learning record (dated today unless ON), linked to what it is about
  (without ABOUT: the whole system), where in the learning cycle it was made,
  the change or experiment it came FROM, and who learnt it (the session's
  author, :as, unless BY). The same text (ignoring case and outer blanks) finds
  the record again; neither text may be empty.
  LEARNT \"Crisis calls stopped once Brian had a stable tenancy\"
    ABOUT \"Brian\", \"Housing and neighbourhood conditions\"
    HOW \"reflection meeting\";
  LEARNT \"The system fights itself\" HOW \"meeting\" AT understand STAGE BY \"Jo\";";

const WHICH: &str = "\
WHICH FACTORS LINK <node> TO <node> [WITHIN n STEPS]
  Every factor on a path of at most n relationships (default 4) between the
  two, with the shortest such path through it.
  WHICH FACTORS LINK \"Brian\" TO \"Emergency services\" WITHIN 3 STEPS;
  `steward explain` prints the same question in plain openCypher.";

const WHO: &str = "\
WHO LINKS <node> TO <node> [WITHIN n STEPS]
  The same for actors: who lies between the two.
  WHO LINKS \"Brian\" TO \"Local authority\";";

const PATHS: &str = "\
PATHS FROM <node> TO <node> [WITHIN n STEPS] [LIMIT k]
  The paths themselves, shortest first.
  PATHS FROM \"Brian\" TO \"Health service\" WITHIN 3 STEPS LIMIT 5;";

const SHOW: &str = "\
SHOW <node> [WITHIN n STEPS]
  Everything within n relationships (default 1), with its distance and the
  relationship that reached it.
  SHOW \"Brian\" WITHIN 2 STEPS;";

const LEARNT_QUERY: &str = "\
WHAT HAVE WE LEARNT [ABOUT <node>] [SINCE 2023] [BY \"who\"] [AT explore STAGE]
  The learning records, newest first, with how they were learnt, the stage,
  who learnt them and what they are about.
  WHAT HAVE WE LEARNT ABOUT \"Brian\";
  WHAT HAVE WE LEARNT SINCE 2024 AT understand STAGE;";

const TIME: &str = "\
When things held, and the map as it was then:
  ... FROM 2014 UNTIL 2016-06   after ACTOR, FACTOR or LINK: when it held in
                                the world (valid_from, valid_until); another
                                FROM is another spell
  UNLINK ... FROM 2014          removes only the spell that starts then
                                (UNTIL: ends)
  AS OF 2016 <statement>        any question or Cypher statement sees only
                                what held at some time in 2016 (a year,
                                2016-06 or 2016-06-01)
  WHAT CHANGED FOR <node> BETWEEN 2016 AND 2019 [WITHIN n STEPS]
                                what appeared and what ended around the node
  :as_of 2016 / :as_of off      the same lens for every statement of the
                                session
  AS OF 2015 SHOW \"Brian\";
  WHAT CHANGED FOR \"Brian\" BETWEEN 2015 AND 2016;";

const VIEWS: &str = "\
Several people's views of one relationship coexist:
  LINK <node> -[:TYPE {props}]- <node> SEEN BY \"who\"   one person's view
  UNLINK <node> -[:TYPE]- <node> SEEN BY \"who\"        removes only that view
  FROM THE VIEW OF \"who\" <statement>
                     only their views (and nobody's in particular)
  COMPARE VIEWS [OF <node>]  /  WHERE VIEWS DIFFER
                     where views disagree: talk there
  :view \"who\" / :view off
                     the same lens for every statement of the session
  LINK \"Brian\" -[:TRUSTS {level: 4}]- \"Brian's family\" SEEN BY \"Jo\";
  LINK \"Brian\" -[:TRUSTS {level: 1}]- \"Brian's family\" SEEN BY \"Sam\";
  COMPARE VIEWS OF \"Brian\";";

const HISTORY: &str = "\
HISTORY OF <node>
  Every recorded change to the node and its relationships, oldest first: when,
  who (the session's author: --as, STEWARD_AUTHOR, :as), what, and before →
  after. History is kept for every committed statement;
  `steward compact --history-before 2025-01-01` drops older versions, and every
  compaction the versions of deleted records.
AS RECORDED <time> <statement>
  Any question or Cypher statement that reads sees the map as it had been
  recorded by then: the end of 2026, 2026-12 or 2026-12-04, or a UTC date and
  time \"2026-12-04T10:30\" (as HISTORY OF shows them). It cannot write.
:as_recorded 2026-12-04 / :as_recorded off
  The same for every statement of the session.
  HISTORY OF \"Brian\";
  AS RECORDED \"2026-12-04T10:30\" SHOW \"Brian\";";

const HOLDS: &str = "\
WHO HOLDS THE SYSTEM TOGETHER [AROUND <node> [WITHIN n STEPS]]
  The actors the map depends on: those whose loss would split it (and the
  organisations only they connect), those on many shortest routes
  (betweenness), and the bridges they hold. AROUND keeps the ones near a node
  (default 2 steps).
  WHO HOLDS THE SYSTEM TOGETHER AROUND \"Brian\";   -- see also :help analytics";

const LOOPS: &str = "\
WHICH LOOPS [THROUGH <node>] [UP TO n STEPS]
  Feedback loops: cycles of relationships followed forwards (default up to 6
  long), reinforcing or balancing when every relationship has an effect: '+'
  or '-'.
  LINK \"Health\" -[:SHAPES {effect: '-'}]-> \"Employment status\";
  WHICH LOOPS THROUGH \"Health\";";

const IMPORT: &str = "\
Bring a map in, take it out (the same options as `steward import` and
`steward export`):
  :import --format jsonl backup.jsonl
  :import --format neo4j-csv --nodes people.csv --relationships knows.csv
  :import --format kumu-json alliance.json
  :import --format kumu-csv --elements elements.csv --connections links.csv
  :export --format graphml map.graphml
  :export --format kumu-json --query \"SHOW 'Brian' WITHIN 2 STEPS\" brian.json
  :export --format jsonl --pseudonymise --redact address shared.jsonl
  :export --format svg map.svg
An import is one transaction: a bad record imports nothing and says file, line
and column.
Export formats: jsonl cypher neo4j-csv kumu-json graphml gexf dot mermaid csv
svg png.
:params load FILE reads parameters from a JSON file.";

const ANALYTICS: &str = "\
Network analysis: CALL a procedure, keep what it yields, filter and sort like
any rows.
  CALL steward.procedures();               -- every procedure, what it does
  CALL steward.betweenness({labels: ['Actor']}) YIELD node, score
  WHERE node:Organisation RETURN node.name, score ORDER BY score DESC LIMIT 10;
Every procedure takes an optional map: labels: [...] (which nodes), types: [...]
(which relationships), direction: 'out' | 'in' | 'both', weight: 'strength'
(where it counts).

What the measures tell a steward:
  degree       how many direct relationships an actor has: the well-connected
               ones.
  betweenness  how often an actor lies on the shortest route between two
               others: the brokers. High betweenness means much of the
               system's contact passes through them; if they leave or are
               overwhelmed, others lose touch.
  closeness    how few steps an actor is from everyone else: who hears first,
               and can reach everyone quickly (harmonic: true copes with a
               disconnected map).
  pagerank     importance from being pointed to by important others
               (referrals, dependence): what the system leans on.
  eigenvector  connected to the well connected: influence through one's
               neighbours.
  communities  clusters that relate more among themselves than with the rest:
               the parts of the system that already work together.
  components   the separate pieces of the map: who cannot reach whom at all.
  bridges      relationships that alone hold two parts together: fragile links.
  brokers      actors whose loss would split the map, and the organisations
               only they connect.
  reach        how many others an actor reaches within two steps (as Kumu
               counts it).
  loops        feedback loops (cycles) in a causal map: reinforcing ones
               amplify (the more crisis, the more crisis), balancing ones
               steady the system.";

fn overview() -> String {
    let mut out = String::from(
        "Type Cypher statements ending with ';' (Enter before the ';' continues on the\n\
         next line). Example:\n  \
         CREATE (:Person {name: 'Brian'})-[:USES {since: 2016}]->\n    \
         (:Service {name: 'GP surgery'});\n  \
         MATCH (p:Person)-[u:USES]->(s) RETURN p.name, u.since, s.name;\n\
         Or map and ask in the HLS language (:help hls):\n  \
         ACTOR \"Brian\" AS Person;\n  \
         WHICH FACTORS LINK \"Brian\" TO \"Emergency services\";\n\nCommands:\n",
    );
    for c in COMMANDS {
        let usage = format!("{} {}", c.name, c.args);
        let about = wrap(c.about, WIDTH - ABOUT_COLUMN);
        if usage.chars().count() <= ABOUT_COLUMN - 3 {
            out.push_str(&format!("  {usage:<width$} ", width = ABOUT_COLUMN - 3));
        } else {
            out.push_str(&format!("  {usage}\n{:ABOUT_COLUMN$}", ""));
        }
        out.push_str(&about.join(&format!("\n{:ABOUT_COLUMN$}", "")));
        out.push('\n');
    }
    out.push('\n');
    let topics = format!("Topics (:help TOPIC): {}", TOPICS.join(", "));
    for line in wrap(&topics, WIDTH) {
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str("Tab completes keywords, functions, :labels, [:TYPES], .keys and \"node names\".");
    out
}

/// The widest line help prints: a projector's terminal is often 80 columns.
const WIDTH: usize = 80;

/// Where a command's `about` starts in the overview.
const ABOUT_COLUMN: usize = 33;

/// `text` broken at spaces into lines of at most `width` characters (a longer word
/// stays whole on its own line).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines
}

/// `:help COMMAND` for a command with no topic of its own.
fn command_help(c: &super::meta::Command) -> String {
    let mut out = format!("{} {}", c.name, c.args);
    for line in wrap(c.about, WIDTH - 2) {
        out.push_str("\n  ");
        out.push_str(&line);
    }
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
    out.push_str(
        "\nExamples:\n  MATCH (p:Person) RETURN toUpper(p.name), size(p.name);\n  \
         MATCH (s:Service)<-[:USES]-(p)\n    \
         RETURN s.name, count(p) AS users ORDER BY users DESC;",
    );
    out
}

const MATCH: &str = "\
MATCH finds patterns: (node:Label {key: value}), -[:TYPE]->, and returns what it
found.
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
MERGE finds a pattern or creates it when it is missing (MERGE \"a\" INTO \"b\"
merges two nodes of the map: :help merge-into).
  MERGE (s:Service {name: 'Food bank'});
  MERGE (p:Person {name: 'Asha'})
    ON CREATE SET p.firstSeen = 2024
    ON MATCH SET p.visits = p.visits + 1;";

const SET: &str = "\
SET changes properties and labels; REMOVE takes them away.
  MATCH (p:Person {name: 'Brian'}) SET p.role = 'carer', p:Carer;
  MATCH (p:Person {name: 'Brian'}) REMOVE p.role, p:Carer;";

const DELETE: &str = "\
DELETE removes relationships and nodes; DETACH DELETE removes a node with its
relationships.
  MATCH (:Person {name: 'Brian'})-[u:USES]->() DELETE u;
  MATCH (p:Person {name: 'Brian'}) DETACH DELETE p;";

const CONSTRAINT: &str = "\
A uniqueness constraint: no two nodes with the label have the same value of the
property. Every write (Cypher, quick capture, import, LOAD CSV) is checked when
it commits; one that would break a constraint fails whole, naming constraint,
label, property and value.
  CREATE CONSTRAINT person_email FOR (p:Person) REQUIRE p.email IS UNIQUE;
  CREATE CONSTRAINT IF NOT EXISTS FOR (a:Actor) REQUIRE a.name IS UNIQUE;
  SHOW CONSTRAINTS;
  DROP CONSTRAINT person_email IF EXISTS;
Creating one over data that already has a duplicate fails and names it. Without
a name, a constraint is called Label_property_unique.";

const RETURN: &str = "\
RETURN picks what to show; WITH passes rows on; ORDER BY, SKIP and LIMIT shape
them.
  MATCH (s:Service)<-[:USES]-(p)
    RETURN s.name AS service, count(p) AS users ORDER BY users DESC LIMIT 10;
  MATCH (p:Person) WITH p, size(p.name) AS n WHERE n > 4 RETURN p.name;
  UNWIND ['a', 'b'] AS x RETURN x;";

const LOAD: &str = "\
LOAD CSV reads a CSV file (a path, relative to the working directory, or a
file:/// URL; local files only), one row per record. Every field is a string
(an empty one is null); convert with toInteger(), toFloat(), date(). WITH
HEADERS makes each row a map keyed by the first line's names; without it, each
row is a list (row[0], row[1], ...).
  LOAD CSV WITH HEADERS FROM 'people.csv' AS row
  MERGE (p:Actor:Person {name: row.name}) SET p.age = toInteger(row.age);
  LOAD CSV WITH HEADERS FROM 'uses.csv' AS row
  MATCH (p:Person {name: row.person}), (s:Service {name: row.service})
  MERGE (p)-[:USES]->(s);
  LOAD CSV FROM 'file:///home/me/data.tsv' AS row FIELDTERMINATOR '\\t'
  RETURN row[0], linenumber() LIMIT 5;
linenumber() and file() tell which line and file a row came from.";

const PARAMS: &str = "\
Parameters keep values out of the statement text.
  :param who => 'Brian'
  :param years => [2016, 2017]
  MATCH (p:Person {name: $who})-[u:USES]->(s)
    WHERE u.since IN $years RETURN s.name;
  :params          lists them;   :params clear   forgets them";

const PLAN: &str = "\
EXPLAIN shows how a statement would run, without running it: its operators,
root first, each with what it works on and the rows the planner expects from
the store's counts. PROFILE runs the statement, shows its result, then the same
tree with the rows each operator produced, its store reads and its time.
  EXPLAIN MATCH (s:Service)<-[:USES]-(p)
    RETURN s.name, count(p) AS users ORDER BY users DESC LIMIT 5;
  PROFILE MATCH (p:Person {name: 'Brian'})-[*1..2]-(x) RETURN count(DISTINCT x);
Operators that hold rows (Sort, Top, Aggregation, Distinct, Eager) count their
memory against :memory_limit.";

const KEYS: &str = "\
Keys:
  Enter        run the statement if it ends with ';', else go on to the next
               line
  Tab          complete (keywords, functions, :labels, [:TYPES], .keys,
               \"node names\")
  Up / Down    earlier statements (a whole multi-line statement at a time)
  Ctrl-R       search the history
  Ctrl-C       cancel the running statement (nothing it did is kept), or clear
               the line
  Ctrl-D       leave (the store is closed cleanly)";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hls_examples_run_on_the_life_as_a_system_map() {
        let db = crate::db::Db::in_memory();
        let script = include_str!("../../examples/life-as-a-system.cypher");
        for s in crate::syntax::split_statements(script) {
            if !s.text.trim().is_empty() {
                db.execute(s.text, &Default::default())
                    .expect("the example runs");
            }
        }
        let starts = [
            "ACTOR ", "FACTOR ", "LINK ", "WHICH ", "WHO ", "PATHS ", "SHOW ", "WHAT ", "UNLINK ",
            "RENAME ", "MERGE \"", "FORGET ", "LEARNT ", "AS OF ", "COMPARE ", "HISTORY ",
        ];
        let mut ran = 0;
        for topic in [
            "hls",
            "actor",
            "factor",
            "link",
            "which",
            "who",
            "paths",
            "show",
            "learnt-query",
            "holds",
            "loops",
            "unlink",
            "rename",
            "merge-into",
            "forget",
            "learnt",
            "time",
            "views",
            "history",
        ] {
            for line in help(topic).lines() {
                let line = line.trim();
                let statement = line.split(';').next().unwrap_or_default();
                if starts.iter().any(|s| line.starts_with(s))
                    && line.contains(';')
                    && !line.contains(":help")
                {
                    db.execute(statement, &Default::default())
                        .unwrap_or_else(|e| panic!(":help {topic}: {statement}: {e}"));
                    ran += 1;
                }
            }
        }
        assert!(ran >= 20, "{ran} examples ran");
    }

    #[test]
    fn every_topic_and_command_has_help() {
        for topic in TOPICS {
            assert!(!help(topic).starts_with("no help"), "{topic}");
        }
        assert!(help("").contains(":max_rows N"));
        assert!(help("format").starts_with(":format table|csv|json|jsonl"));
        assert_eq!(
            help("mach"),
            "no help on `mach` (did you mean `match`?); topics: match, create, merge, set, delete, return, load, constraint, import, analytics, hls, actor, factor, link, learnt, unlink, rename, merge-into, forget, which, who, paths, show, learnt-query, holds, loops, time, views, history, functions, params, keys, plan"
        );
    }
}

#[cfg(test)]
mod widths {
    use super::*;

    /// Every help text fits an 80-column terminal, as a projector's often is.
    #[test]
    fn help_fits_eighty_columns() {
        let mut topics: Vec<String> = TOPICS.iter().map(|t| t.to_string()).collect();
        topics.push(String::new());
        topics.extend(COMMANDS.iter().map(|c| c.name[1..].to_string()));
        let mut wide = Vec::new();
        for topic in &topics {
            for line in help(topic).lines() {
                if line.chars().count() > 80 {
                    wide.push(format!("{topic}: {line}"));
                }
            }
        }
        assert!(
            wide.is_empty(),
            "lines over 80 columns:\n{}",
            wide.join("\n")
        );
    }
}
