//! Import inputs: mutated valid files of every import format (jsonl, neo4j-csv nodes and
//! relationships with their headers, kumu-json, kumu-csv elements and connections) and
//! LOAD CSV over mutated CSV files, run with the same checks as statements.

use super::Runner;
use super::mutate::{Rng, mutate};
use std::path::{Path, PathBuf};
use steward::io::import::{Import, ImportFormat, ImportRequest};

/// steward's own backup: a header, nodes with typed values, relationships.
pub const JSONL: &str = r#"{"steward":"jsonl","format":1,"nodes":3,"relationships":2,"next_node":3,"next_relationship":2}
{"id":0,"labels":["Actor","Person"],"properties":{"born":1978,"name":"Brian","tags":["a","b"],"w":2.5}}
{"id":1,"labels":["Factor"],"properties":{"name":"Housing","since":{"date":"2015-07-21"},"d":{"duration":"P1Y2M"},"f":{"float":"NaN"}}}
{"id":2,"labels":[],"properties":{"t":{"datetime":"2015-07-21T10:00:00+01:00[Europe/London]"},"lt":{"localtime":"12:00:00"}}}
{"id":0,"type":"AFFECTED_BY","start":0,"end":1,"properties":{"strength":5}}
{"id":1,"type":"KNOWS","start":2,"end":0,"properties":{}}
"#;

/// neo4j-admin nodes: typed columns, arrays, labels.
pub const NEO4J_NODES: &str = "personId:ID(Person),name,born:int,score:float,tags:string[],active:boolean,since:date,:LABEL\n\
p1,Brian,1978,2.5,a;b,true,2015-07-21,Actor;Person\n\
\"p2\",\"Smith, Jo\",,,,FALSE,,Actor|Person\n\
p3,\"Multi\nline\",1990,1e3,x,false,2016-01-01,Actor;Person\n";

/// neo4j-admin relationships.
pub const NEO4J_RELS: &str = ":START_ID(Person),:END_ID(Person),:TYPE,weight:int[],note\n\
p1,p2,USES,1;2,hi\n\
p2,p3,USES,,\n\
p3,p1,,3,\"quoted, note\"\n";

/// Kumu's JSON.
pub const KUMU_JSON: &str = r#"{"elements": [
    {"label": "Brian", "type": "Person", "description": "at the centre", "tags": ["hls"]},
    {"label": "Housing provider", "type": "Organization"},
    {"label": "Housing", "type": "Issue", "score": 4},
    {"label": "Outreach team", "type": "Team"}
],
"connections": [
    {"from": "Brian", "to": "Housing", "type": "AFFECTED_BY", "strength": 5},
    {"from": "Housing provider", "to": "Outreach team", "type": "TRUSTS", "direction": "mutual"},
    {"from": "Outreach team", "to": "Brian", "type": "SUPPORTS"}
]}"#;

/// Kumu's elements sheet.
pub const KUMU_ELEMENTS: &str = "Label,Type,Description,Tags,Budget\nBrian,Person,,hls|centre,\nFood bank,Charity,Feeds people,,12000\n";

/// Kumu's connections sheet.
pub const KUMU_CONNECTIONS: &str = "From,To,Type,Direction,Strength\nFood bank,Brian,SUPPORTS,directed,3\nBrian,Food bank,KNOWS,undirected,\n";

/// A CSV for LOAD CSV.
pub const CSV: &str = "name,age,tags\nBrian,40,a;b\n\"Jo, Jr\",,x\n\"multi\nline\",7,\n";

/// The import formats fuzzed, in turn.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// jsonl.
    Jsonl,
    /// neo4j-csv, nodes only.
    Neo4jNodes,
    /// neo4j-csv, nodes and relationships.
    Neo4jRels,
    /// kumu-json.
    KumuJson,
    /// kumu-csv.
    KumuCsv,
    /// LOAD CSV.
    LoadCsv,
}

/// Every kind.
pub const KINDS: [Kind; 6] = [
    Kind::Jsonl,
    Kind::Neo4jNodes,
    Kind::Neo4jRels,
    Kind::KumuJson,
    Kind::KumuCsv,
    Kind::LoadCsv,
];

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write a fuzz input file");
    path
}

/// A mutation of `seed` (sometimes left whole, sometimes mutated many times over).
fn mutated(rng: &mut Rng, seed: &str, other: &str) -> String {
    match rng.below(10) {
        0 => seed.to_string(),
        1 => {
            let mut s = seed.to_string();
            for _ in 0..8 {
                s = mutate(rng, &s, other);
            }
            s
        }
        _ => mutate(rng, seed, other),
    }
}

/// Runs one mutated input of `kind`, its files written under `dir`.
pub fn run_one(runner: &mut Runner, rng: &mut Rng, kind: Kind, dir: &Path) {
    match kind {
        Kind::Jsonl => {
            let text = mutated(rng, JSONL, NEO4J_NODES);
            let label = format!("jsonl: {text}");
            runner.run(&label, |db, _| {
                steward::io::jsonl::import(db, text.as_bytes(), text.len() as u64, "fuzz.jsonl")
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            });
        }
        Kind::Neo4jNodes | Kind::Neo4jRels => {
            let nodes = mutated(rng, NEO4J_NODES, NEO4J_RELS);
            let rels = mutated(rng, NEO4J_RELS, NEO4J_NODES);
            let n = write(dir, "nodes.csv", &nodes);
            let r = write(dir, "rels.csv", &rels);
            let delimiter = if rng.one_in(10) { ";" } else { "," };
            let request = ImportRequest {
                format: Some(ImportFormat::Neo4jCsv),
                nodes: vec![format!(
                    "{}{}",
                    if rng.one_in(3) { "Extra:Label=" } else { "" },
                    n.display()
                )],
                relationships: match kind {
                    Kind::Neo4jRels => vec![format!(
                        "{}{}",
                        if rng.one_in(3) { "DEFAULT_T=" } else { "" },
                        r.display()
                    )],
                    _ => vec![],
                },
                delimiter: delimiter.into(),
                array_delimiter: if rng.one_in(10) { "|" } else { ";" }.into(),
                ..ImportRequest::default()
            };
            let label = format!("neo4j-csv: nodes {nodes:?} relationships {rels:?}");
            import(runner, &label, &request);
        }
        Kind::KumuJson => {
            let text = mutated(rng, KUMU_JSON, JSONL);
            let path = write(dir, "map.json", &text);
            let request = ImportRequest {
                format: Some(ImportFormat::KumuJson),
                file: Some(path),
                ..ImportRequest::default()
            };
            import(runner, &format!("kumu-json: {text}"), &request);
        }
        Kind::KumuCsv => {
            let elements = mutated(rng, KUMU_ELEMENTS, KUMU_CONNECTIONS);
            let connections = mutated(rng, KUMU_CONNECTIONS, KUMU_ELEMENTS);
            let e = write(dir, "elements.csv", &elements);
            let c = write(dir, "connections.csv", &connections);
            let request = ImportRequest {
                format: Some(ImportFormat::KumuCsv),
                elements: Some(e),
                connections: if rng.one_in(5) { None } else { Some(c) },
                ..ImportRequest::default()
            };
            let label = format!("kumu-csv: elements {elements:?} connections {connections:?}");
            import(runner, &label, &request);
        }
        Kind::LoadCsv => {
            let text = mutated(rng, CSV, KUMU_ELEMENTS);
            let path = write(dir, "load.csv", &text);
            let lit = format!(
                "'{}'",
                path.display()
                    .to_string()
                    .replace('\\', "\\\\")
                    .replace('\'', "\\'")
            );
            let query = match rng.below(4) {
                0 => format!(
                    "LOAD CSV WITH HEADERS FROM {lit} AS row CREATE (:Row {{name: row.name, age: toInteger(row.age), tags: split(row.tags, ';')}})"
                ),
                1 => format!(
                    "LOAD CSV FROM {lit} AS row RETURN row[0], size(row), linenumber(), file()"
                ),
                2 => format!(
                    "LOAD CSV WITH HEADERS FROM {lit} AS row FIELDTERMINATOR ';' MERGE (n:Row {{name: coalesce(row.name, '')}}) SET n += row"
                ),
                _ => format!(
                    "LOAD CSV WITH HEADERS FROM {lit} AS row WITH row WHERE row.age IS NOT NULL CREATE (:Row {{age: toInteger(row.age)}}) WITH count(*) AS c RETURN c / 0"
                ),
            };
            runner.query(&format!("{query}\n// {text:?}"));
        }
    }
}

fn import(runner: &mut Runner, label: &str, request: &ImportRequest) {
    runner.run(label, |db, _| {
        Import::from_args(request)
            .and_then(|job| job.run(db))
            .map(|_| ())
            .map_err(|e| e.to_string())
    });
}
