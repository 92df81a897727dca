//! A lens answers as the map would without what it hides: each question asked `AS OF` a
//! year (or `FROM THE VIEW OF` someone) gives the rows the same question gives on a copy
//! of the map from which everything not seen then (or by them) was deleted.

use steward::db::{Db, Params};

mod example_maps;

fn example_map() -> Db {
    let db = example_maps::load(&[
        "life-as-a-system.cypher",
        "brian.cypher",
        "plymouth-alliance.cypher",
    ]);
    // Two views of one relationship, and a view only one person holds.
    for s in [
        "LINK 'Police' -[:TRUSTS {level: 4}]- 'Mental health crisis team' SEEN BY 'Jo'",
        "LINK 'Police' -[:TRUSTS {level: 1}]- 'Mental health crisis team' SEEN BY 'Sam'",
        "LINK 'Brian' -[:CONFIDES_IN]-> 'Homelessness outreach' SEEN BY 'Sam'",
    ] {
        db.execute(s, &Params::new()).expect("a view");
    }
    db
}

/// The rows, each value shown briefly (nodes by name, paths by names and relationship
/// ids), so that a difference reads at a glance. The `via` path of WHICH FACTORS / WHO
/// LINKS may be another shortest path of the same length: only its length is compared.
fn rows(db: &Db, q: &str) -> Vec<String> {
    let via_length_only = q.contains("WHICH ") || q.contains("WHO ");
    use steward::model::Output;
    fn name(n: &steward::model::Node) -> String {
        match n.props.get("name") {
            Some(Output::String(s)) => s.clone(),
            _ => format!("#{}", n.id),
        }
    }
    let shown = |v: &Output| -> String {
        match v {
            Output::Node(n) => name(n),
            Output::Path(_, rels) if via_length_only => format!("a path of {}", rels.len()),
            Output::Path(nodes, rels) => {
                let names: Vec<String> = nodes.iter().map(name).collect();
                let ids: Vec<String> = rels.iter().map(|r| r.id.to_string()).collect();
                format!("{} via {}", names.join(">"), ids.join(","))
            }
            other => format!("{other:?}"),
        }
    };
    db.execute(q, &Params::new())
        .unwrap_or_else(|e| panic!("{q}: {e}"))
        .rows
        .iter()
        .map(|r| r.iter().map(&shown).collect::<Vec<_>>().join(" | "))
        .collect()
}

const QUESTIONS: &[&str] = &[
    "WHICH FACTORS LINK 'Brian' TO 'Emergency services' WITHIN 3 STEPS",
    "WHO LINKS 'Brian' TO 'Local authority' WITHIN 4 STEPS",
    "PATHS FROM 'Brian' TO 'Plymouth Alliance' WITHIN 4 STEPS LIMIT 100",
    "PATHS FROM 'Brian' TO 'Mental health crisis team' WITHIN 2 STEPS LIMIT 100",
    "SHOW 'Brian' WITHIN 2 STEPS",
    "MATCH (b {name: 'Brian'})-[*1..2]-(x) RETURN count(DISTINCT x) AS n",
    "MATCH (b {name: 'Brian'})-[m:MET]->(s) RETURN s.name AS s ORDER BY s",
];

#[test]
fn as_of_answers_as_the_map_without_what_did_not_hold_then() {
    as_of_agrees_with_the_cut_map(false);
}

/// With no node saying when it held, AS OF reads no node to check it (only the
/// relationships): the answers are the same.
#[test]
fn as_of_over_undated_nodes_answers_as_the_cut_map() {
    as_of_agrees_with_the_cut_map(true);
}

fn as_of_agrees_with_the_cut_map(undated_nodes: bool) {
    let map = || {
        let db = example_map();
        if undated_nodes {
            db.execute(
                "MATCH (n) REMOVE n.valid_from, n.valid_until",
                &Params::new(),
            )
            .expect("undate the nodes");
        }
        db
    };
    for year in [2011, 2016, 2019] {
        let lensed = map();
        let cut = map();
        let (first, last) = (
            format!("date('{year}-01-01')"),
            format!("date('{year}-12-31')"),
        );
        cut.execute(
            &format!(
                "MATCH ()-[r]->() WHERE r.valid_from > {last} OR r.valid_until < {first} DELETE r"
            ),
            &Params::new(),
        )
        .expect("cut relationships");
        cut.execute(
            &format!(
                "MATCH (n) WHERE n.valid_from > {last} OR n.valid_until < {first} DETACH DELETE n"
            ),
            &Params::new(),
        )
        .expect("cut nodes");
        for q in QUESTIONS {
            assert_eq!(
                rows(&lensed, &format!("AS OF {year} {q}")),
                rows(&cut, q),
                "AS OF {year} {q}"
            );
        }
    }
}

#[test]
fn a_viewpoint_answers_as_the_map_without_the_others_views() {
    for who in ["Jo", "Sam"] {
        let lensed = example_map();
        let cut = example_map();
        cut.execute(
            &format!("MATCH ()-[r]->() WHERE r.seen_by <> '{who}' DELETE r"),
            &Params::new(),
        )
        .expect("cut the other views");
        for q in QUESTIONS {
            assert_eq!(
                rows(&lensed, &format!("FROM THE VIEW OF '{who}' {q}")),
                rows(&cut, q),
                "FROM THE VIEW OF {who} {q}"
            );
        }
    }
}

#[test]
fn merge_and_unlink_keep_each_spell_and_view_for_the_lenses() {
    let db = Db::in_memory();
    let run = |q: &str| {
        db.execute(q, &Params::new())
            .unwrap_or_else(|e| panic!("{q}: {e}"))
    };
    for s in [
        "ACTOR 'Brian' AS Person",
        "ACTOR 'Brian B' AS Person",
        "ACTOR 'Hostel' AS Service",
        "LINK 'Brian' -[:MET]-> 'Hostel' FROM 2014 UNTIL 2016",
        "LINK 'Brian B' -[:MET]-> 'Hostel' FROM 2018",
        "LINK 'Brian' -[:TRUSTS {level: 4}]-> 'Hostel' SEEN BY 'Jo'",
        "LINK 'Brian B' -[:TRUSTS {level: 1}]-> 'Hostel' SEEN BY 'Sam'",
        "MERGE 'Brian B' INTO 'Brian'",
    ] {
        run(s);
    }
    let met = |lens: &str| {
        rows(
            &db,
            &format!("{lens} MATCH ({{name: 'Brian'}})-[r:MET]->() RETURN toString(r.valid_from)"),
        )
    };
    assert_eq!(met("AS OF 2015"), ["String(\"2014-01-01\")"]);
    assert_eq!(met("AS OF 2019"), ["String(\"2018-01-01\")"]);
    assert!(met("AS OF 2017").is_empty());
    let trust = |who: &str| {
        rows(
            &db,
            &format!(
                "FROM THE VIEW OF '{who}' MATCH ({{name: 'Brian'}})-[r:TRUSTS]->() RETURN r.level"
            ),
        )
    };
    assert_eq!(trust("Sam"), ["Int(1)"]);
    assert_eq!(trust("Jo"), ["Int(4)"]);
    run("UNLINK 'Brian' -[:TRUSTS]-> 'Hostel' SEEN BY 'Sam'");
    run("UNLINK 'Brian' -[:MET]-> 'Hostel' FROM 2018");
    assert!(trust("Sam").is_empty());
    assert_eq!(trust("Jo"), ["Int(4)"]);
    assert!(met("AS OF 2019").is_empty());
    assert_eq!(met("AS OF 2015"), ["String(\"2014-01-01\")"]);
}
