//! The portable openCypher form of each HLS question (`steward explain`), checked against
//! the question itself: on the example maps, the translation run as Cypher gives the same
//! rows as the question (the `via` path of WHICH FACTORS / WHO LINKS may be another path
//! of the same length, so only its length is compared).

use steward::db::{Db, Params};
use steward::model::Output;
use steward::syntax::parse;
use steward::syntax::portable::{PortableError, portable};

mod example_maps;

fn map() -> Db {
    let db = example_maps::load(&["life-as-a-system.cypher", "plymouth-alliance.cypher"]);
    // Learning at two stages, by two people.
    for learnt in [
        "LEARNT 'Brian needs a home first' ABOUT 'Brian' HOW 'conversation' AT explore STAGE BY 'Jo' ON date('2020-02-01')",
        "LEARNT 'Trust grows slowly' HOW 'workshop' AT understand STAGE BY 'Sam' ON date('2021-06-01')",
    ] {
        db.execute(learnt, &Params::new())
            .expect("learning is recorded");
    }
    db
}

/// Rows with `via` paths replaced by their length.
fn comparable(rows: Vec<Vec<Output>>) -> Vec<Vec<Output>> {
    rows.into_iter()
        .map(|row| {
            row.into_iter()
                .map(|v| match v {
                    Output::Path(_, rels) => Output::Int(rels.len() as i64),
                    other => other,
                })
                .collect()
        })
        .collect()
}

#[test]
fn every_question_and_its_translation_give_the_same_rows() {
    let db = map();
    let mut params = Params::new();
    params.insert("who".into(), steward::model::Value::String("Brian".into()));
    let questions = [
        "WHICH FACTORS LINK 'Brian' TO 'Emergency services' WITHIN 3 STEPS",
        "WHICH FACTORS LINK \"Brian\" TO \"Local authority\"",
        "WHO LINKS 'Brian' TO 'Health' WITHIN 4 STEPS",
        "WHO LINKS 'Housing provider' TO 'Plymouth Alliance' WITHIN 3 STEPS",
        "PATHS FROM 'Brian' TO 'Emergency services' WITHIN 3 STEPS LIMIT 5",
        "PATHS FROM $who TO 'Health' WITHIN 2 STEPS",
        "SHOW 'Brian'",
        "SHOW 'Brian' WITHIN 2 STEPS",
        "SHOW Organisation 'Housing provider' WITHIN 2 STEPS",
        "WHAT HAVE WE LEARNT",
        "WHAT HAVE WE LEARNT ABOUT 'Plymouth Alliance'",
        "WHAT HAVE WE LEARNT SINCE 2020-03",
        "WHAT HAVE WE LEARNT BY 'jo' AT explore STAGE",
        "WHAT HAVE WE LEARNT ABOUT 'Brian' SINCE 2019",
    ];
    for q in questions {
        let asked = db
            .execute(q, &params)
            .unwrap_or_else(|e| panic!("{q}: {e}"));
        assert!(
            !asked.rows.is_empty(),
            "{q} finds something on the example maps"
        );
        let cypher = portable(&parse(q).expect("parses")).expect("has a portable form");
        let translated = db
            .execute(&cypher, &params)
            .unwrap_or_else(|e| panic!("{q} as\n{cypher}\nfails: {e}"));
        assert_eq!(translated.columns, asked.columns, "{q}");
        assert_eq!(
            comparable(translated.rows),
            comparable(asked.rows),
            "{q} as\n{cypher}"
        );
    }
}

#[test]
fn what_has_no_portable_form_says_why() {
    let err = |q: &str| portable(&parse(q).expect("parses")).unwrap_err();
    assert_eq!(err("MATCH (n) RETURN n"), PortableError::AlreadyCypher);
    assert_eq!(err("ACTOR 'Jo' AS Person"), PortableError::Capture("ACTOR"));
    assert_eq!(
        err("WHO HOLDS THE SYSTEM TOGETHER"),
        PortableError::Analysis("WHO HOLDS THE SYSTEM TOGETHER")
    );
    assert_eq!(
        err("WHICH LOOPS THROUGH 'Brian'"),
        PortableError::Analysis("WHICH LOOPS")
    );
    assert_eq!(
        err("SHOW 'Brian' WITHIN $n STEPS").to_string(),
        "WITHIN must be a number written in the question for its portable form \
         (variable-length patterns take no parameters in Cypher)"
    );
}
