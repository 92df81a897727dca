//! The picture of a map (`steward::io::picture`), checked on the "life as a system" map of
//! examples/life-as-a-system.cypher and on a seeded 300-node graph.
//!
//! `UPDATE_PICTURES=1 cargo test --test picture` rewrites examples/life-as-a-system.svg
//! (the README shows it); otherwise the test fails when the drawing of that map changes.

use std::path::Path;

use steward::io::picture::{self, MAX_NODES, Picture, PictureEdge, PictureError, PictureNode};

/// The actors of the life-as-a-system map: name, label and scale (the scale rule's
/// defaults, and Brian's friends AT person SCALE).
const ACTORS: [(&str, &str, &str); 11] = [
    ("Brian", "Person", "person"),
    ("Brian's family", "Family", "person"),
    ("Brian's friends", "Community", "person"),
    (
        "Parks and green spaces team",
        "Organisation",
        "organisation",
    ),
    (
        "Culture and sport providers",
        "Organisation",
        "organisation",
    ),
    ("Neighbourhood association", "Community", "place"),
    ("Community centre", "Community", "place"),
    ("Health service", "Service", "organisation"),
    ("Welfare and benefits", "Service", "organisation"),
    ("Emergency services", "Service", "organisation"),
    ("Local authority", "Organisation", "organisation"),
];

/// The factors: name and scale (those written AT place SCALE are place, the rest person).
const FACTORS: [(&str, &str); 10] = [
    ("Income and wealth", "person"),
    ("Employment status", "person"),
    ("Education and skills", "person"),
    ("Participation in neighbourhood activities", "place"),
    ("Participation in democratic processes", "place"),
    ("Hobbies and interests", "person"),
    ("Relationship to the dominant culture", "place"),
    ("Housing and neighbourhood conditions", "place"),
    ("Health", "person"),
    ("Ability to exercise agency", "person"),
];

/// The links, as written (undirected ones from their first name to their second).
const LINKS: [(&str, &str, &str); 32] = [
    (
        "Brian",
        "AFFECTED_BY",
        "Housing and neighbourhood conditions",
    ),
    ("Brian", "AFFECTED_BY", "Income and wealth"),
    ("Brian", "AFFECTED_BY", "Health"),
    ("Brian", "AFFECTED_BY", "Employment status"),
    ("Brian", "AFFECTED_BY", "Ability to exercise agency"),
    ("Brian", "AFFECTED_BY", "Hobbies and interests"),
    (
        "Brian",
        "AFFECTED_BY",
        "Participation in neighbourhood activities",
    ),
    ("Brian's family", "SUPPORTS", "Brian"),
    ("Brian", "KNOWS", "Brian's friends"),
    ("Brian's friends", "SHARE", "Hobbies and interests"),
    ("Employment status", "SHAPES", "Income and wealth"),
    ("Education and skills", "SHAPES", "Employment status"),
    (
        "Income and wealth",
        "SHAPES",
        "Housing and neighbourhood conditions",
    ),
    ("Housing and neighbourhood conditions", "SHAPES", "Health"),
    ("Health", "SHAPES", "Ability to exercise agency"),
    (
        "Relationship to the dominant culture",
        "SHAPES",
        "Participation in democratic processes",
    ),
    (
        "Local authority",
        "RESPONSIBLE_FOR",
        "Housing and neighbourhood conditions",
    ),
    ("Local authority", "FUNDS", "Parks and green spaces team"),
    ("Local authority", "FUNDS", "Community centre"),
    (
        "Local authority",
        "ORGANISES",
        "Participation in democratic processes",
    ),
    (
        "Parks and green spaces team",
        "PROVIDES_FOR",
        "Hobbies and interests",
    ),
    (
        "Culture and sport providers",
        "PROVIDES_FOR",
        "Hobbies and interests",
    ),
    (
        "Culture and sport providers",
        "REFLECTS",
        "Relationship to the dominant culture",
    ),
    (
        "Neighbourhood association",
        "RUNS",
        "Participation in neighbourhood activities",
    ),
    ("Community centre", "HOSTS", "Neighbourhood association"),
    ("Community centre", "OFFERS", "Education and skills"),
    ("Health service", "TREATS", "Health"),
    ("Welfare and benefits", "SUPPORTS", "Income and wealth"),
    (
        "Welfare and benefits",
        "CONDITIONS",
        "Ability to exercise agency",
    ),
    ("Emergency services", "RESPONDS_TO", "Health"),
    (
        "Emergency services",
        "CALLED_TO",
        "Housing and neighbourhood conditions",
    ),
    ("Health service", "REFERS_TO", "Welfare and benefits"),
];

/// The path highlighted in the example: Brian, his housing, his health.
const PATH: [&str; 3] = ["Brian", "Housing and neighbourhood conditions", "Health"];

/// The "life as a system" map of examples/life-as-a-system.cypher, keys from 100 up, with
/// Brian → housing → health highlighted.
fn life_as_a_system() -> Picture {
    let actors = ACTORS
        .iter()
        .map(|&(name, label, scale)| (name, vec!["Actor", label], scale));
    let factors = FACTORS
        .iter()
        .map(|&(name, scale)| (name, vec!["Factor"], scale));
    let nodes: Vec<PictureNode> = actors
        .chain(factors)
        .enumerate()
        .map(|(i, (name, labels, scale))| PictureNode {
            key: 100 + i as u64,
            name: name.to_owned(),
            labels: labels.into_iter().map(str::to_owned).collect(),
            scale: Some(scale.to_owned()),
            highlighted: PATH.contains(&name),
        })
        .collect();
    let key = |name: &str| {
        nodes
            .iter()
            .find(|n| n.name == name)
            .map(|n| n.key)
            .expect("a node of the map")
    };
    let on_path = |a: &str, b: &str| PATH.windows(2).any(|w| w[0] == a && w[1] == b);
    let edges = LINKS
        .iter()
        .map(|&(a, rel, b)| PictureEdge {
            start: key(a),
            end: key(b),
            rel_type: rel.to_owned(),
            highlighted: on_path(a, b),
        })
        .collect();
    Picture {
        nodes,
        edges,
        title: Some("Life as a system: Brian".to_owned()),
    }
}

/// A node with a name and labels, no scale, not highlighted.
fn node(key: u64, name: &str, labels: &[&str]) -> PictureNode {
    PictureNode {
        key,
        name: name.to_owned(),
        labels: labels.iter().map(|l| (*l).to_owned()).collect(),
        scale: None,
        highlighted: false,
    }
}

/// An edge, not highlighted.
fn edge(start: u64, end: u64, rel_type: &str) -> PictureEdge {
    PictureEdge {
        start,
        end,
        rel_type: rel_type.to_owned(),
        highlighted: false,
    }
}

/// A seeded graph of `n` nodes and `m` edges: a random tree, a hub joined to every tenth
/// node, then random edges (some parallel, a few self-loops).
fn seeded(n: usize, m: usize, seed: u64) -> Picture {
    let mut state = seed;
    let mut next = move |below: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % below as u64) as usize
    };
    let kinds: [&[&str]; 4] = [
        &["Actor", "Person"],
        &["Factor"],
        &["Actor", "Service"],
        &["Learning"],
    ];
    let scales = [Some("person"), Some("organisation"), Some("place"), None];
    let nodes = (0..n)
        .map(|i| PictureNode {
            scale: scales[next(4)].map(str::to_owned),
            ..node(
                i as u64,
                &format!(
                    "Node {i} {}",
                    ["Brian", "a longer name for wrapping", "Zoë & <Co>", "x"][i % 4]
                ),
                kinds[next(4)],
            )
        })
        .collect();
    let mut edges: Vec<PictureEdge> = (1..n)
        .map(|i| edge(next(i) as u64, i as u64, "LINKS_TO"))
        .collect();
    edges.extend(
        (10..n)
            .step_by(10)
            .map(|i| edge(0, i as u64, "AFFECTED_BY")),
    );
    while edges.len() < m {
        let (a, b) = (next(n) as u64, next(n) as u64);
        edges.push(edge(a, b, "KNOWS"));
    }
    Picture {
        nodes,
        edges,
        title: Some(format!("{n} nodes, {m} edges")),
    }
}

/// Panics with the pair when two node boxes overlap.
fn assert_no_overlaps(picture: &Picture) -> picture::Layout {
    let layout = picture::layout(picture).expect("lays out");
    for (i, a) in layout.nodes.iter().enumerate() {
        for b in &layout.nodes[i + 1..] {
            assert!(
                !a.overlaps(b),
                "{} and {} overlap: {a:?} {b:?}",
                a.key,
                b.key
            );
        }
        assert!(
            a.x >= 0.0
                && a.y >= 0.0
                && a.x + a.width <= layout.width
                && a.y + a.height <= layout.height
        );
    }
    layout
}

/// The text of every node's name label (its `<tspan>`s joined with spaces), by node id.
fn node_labels(doc: &roxmltree::Document) -> Vec<(String, String)> {
    doc.descendants()
        .filter(|n| {
            n.has_tag_name("g")
                && n.attribute("class")
                    .is_some_and(|c| c.split(' ').any(|w| w == "node"))
        })
        .map(|g| {
            let id = g.attribute("id").unwrap_or_default().to_owned();
            let text = g
                .children()
                .find(|c| c.has_tag_name("text"))
                .expect("a node has a text");
            let lines: Vec<&str> = text
                .children()
                .filter(|t| t.has_tag_name("tspan"))
                .filter_map(|t| t.text())
                .collect();
            (id, lines.join(" "))
        })
        .collect()
}

/// The elements whose class list has `word`.
fn with_class<'a>(doc: &'a roxmltree::Document, word: &str) -> Vec<roxmltree::Node<'a, 'a>> {
    doc.descendants()
        .filter(|n| {
            n.attribute("class")
                .is_some_and(|c| c.split(' ').any(|w| w == word))
        })
        .collect()
}

#[test]
fn the_svg_is_xml_with_an_svg_root_and_a_view_box() {
    let svg = picture::svg(&life_as_a_system()).expect("draws");
    let doc = roxmltree::Document::parse(&svg).expect("the SVG is XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    let view_box: Vec<f64> = root
        .attribute("viewBox")
        .expect("a viewBox")
        .split(' ')
        .map(|v| v.parse().expect("a number"))
        .collect();
    assert_eq!(view_box[..2], [0.0, 0.0]);
    let layout = picture::layout(&life_as_a_system()).expect("lays out");
    assert_eq!(view_box[2..], [layout.width, layout.height]);
}

#[test]
fn every_name_is_written_on_its_node() {
    let picture = life_as_a_system();
    let svg = picture::svg(&picture).expect("draws");
    let doc = roxmltree::Document::parse(&svg).expect("XML");
    let labels = node_labels(&doc);
    assert_eq!(labels.len(), picture.nodes.len());
    for node in &picture.nodes {
        let id = format!("node-{}", node.key);
        let (_, text) = labels
            .iter()
            .find(|(i, _)| *i == id)
            .expect("the node is drawn");
        assert_eq!(text, &node.name);
    }
}

#[test]
fn every_relationship_type_is_written_on_its_edge() {
    let picture = life_as_a_system();
    let svg = picture::svg(&picture).expect("draws");
    let doc = roxmltree::Document::parse(&svg).expect("XML");
    let mut written: Vec<&str> = with_class(&doc, "edge-label")
        .iter()
        .filter_map(|g| {
            g.children()
                .find(|c| c.has_tag_name("text"))
                .and_then(|t| t.text())
        })
        .collect();
    let mut expected: Vec<&str> = picture.edges.iter().map(|e| e.rel_type.as_str()).collect();
    written.sort_unstable();
    expected.sort_unstable();
    assert_eq!(written, expected);
    assert_eq!(with_class(&doc, "edge").len(), picture.edges.len());
}

#[test]
fn no_two_node_shapes_overlap() {
    assert_no_overlaps(&life_as_a_system());
}

#[test]
fn the_same_picture_gives_the_same_bytes() {
    let first = picture::svg(&life_as_a_system()).expect("draws");
    let second = picture::svg(&life_as_a_system()).expect("draws");
    assert_eq!(first, second);
}

#[test]
fn highlighted_nodes_and_edges_are_drawn_thicker() {
    let svg = picture::svg(&life_as_a_system()).expect("draws");
    let doc = roxmltree::Document::parse(&svg).expect("XML");
    let highlighted_nodes: Vec<_> = with_class(&doc, "highlighted")
        .into_iter()
        .filter(|n| n.has_tag_name("g") && n.attribute("id").is_some())
        .collect();
    assert_eq!(highlighted_nodes.len(), PATH.len());
    let width = |n: &roxmltree::Node| -> f64 {
        n.attribute("stroke-width")
            .expect("a stroke width")
            .parse()
            .expect("a number")
    };
    let edges = with_class(&doc, "edge");
    let (thick, thin): (Vec<_>, Vec<_>) = edges
        .iter()
        .partition(|e| e.attribute("class") == Some("edge highlighted"));
    assert_eq!(thick.len(), PATH.len() - 1);
    assert!(thick.iter().all(|e| width(e) > 2.0 * width(&thin[0])));
    assert!(
        thick
            .iter()
            .all(|e| e.attribute("marker-end") == Some("url(#arrow-highlighted)"))
    );
    let shape = |g: &roxmltree::Node| {
        g.children()
            .find(|c| c.has_tag_name("rect") || c.has_tag_name("polygon"))
            .map(|s| width(&s))
            .expect("a shape")
    };
    let plain = with_class(&doc, "node")
        .into_iter()
        .find(|g| {
            !g.attribute("class")
                .unwrap_or_default()
                .contains("highlighted")
        })
        .expect("a plain node");
    assert!(
        highlighted_nodes
            .iter()
            .all(|g| shape(g) > 2.0 * shape(&plain))
    );
}

#[test]
fn a_legend_explains_only_what_occurs() {
    let svg = picture::svg(&life_as_a_system()).expect("draws");
    let doc = roxmltree::Document::parse(&svg).expect("XML");
    let legend = with_class(&doc, "legend");
    let texts: Vec<&str> = legend[0]
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(
        texts,
        [
            "actor",
            "factor",
            "person scale",
            "organisation scale",
            "place scale",
            "on the path found"
        ]
    );

    let plain = Picture {
        nodes: vec![node(1, "A note", &["Learning"])],
        ..Picture::default()
    };
    let svg = picture::svg(&plain).expect("draws");
    let doc = roxmltree::Document::parse(&svg).expect("XML");
    let texts: Vec<&str> = with_class(&doc, "legend")[0]
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(texts, ["other", "no scale"]);
}

#[test]
fn the_title_is_written_at_the_top() {
    let svg = picture::svg(&life_as_a_system()).expect("draws");
    let doc = roxmltree::Document::parse(&svg).expect("XML");
    let title = &with_class(&doc, "title")[0];
    let text: String = title
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(text, "Life as a system: Brian");
    let layout = picture::layout(&life_as_a_system()).expect("lays out");
    let top = layout
        .nodes
        .iter()
        .map(|n| n.y)
        .fold(f64::INFINITY, f64::min);
    let baseline: f64 = title
        .children()
        .next()
        .and_then(|t| t.attribute("y"))
        .expect("a y")
        .parse()
        .expect("a number");
    assert!(baseline < top);
}

#[test]
fn more_than_300_nodes_is_too_large_and_says_how_to_narrow() {
    let picture = Picture {
        nodes: (0..1204).map(|i| node(i, "n", &[])).collect(),
        ..Picture::default()
    };
    let err = picture::svg(&picture).expect_err("too large");
    assert!(matches!(
        err,
        PictureError::TooLarge {
            nodes: 1204,
            limit: MAX_NODES
        }
    ));
    assert_eq!(
        err.to_string(),
        "the map has 1,204 nodes; a picture is readable up to 300: narrow it with --query, e.g. --query \"SHOW 'Brian' WITHIN 2 STEPS\""
    );
    let picture = Picture {
        nodes: (0..301).map(|i| node(i, "n", &[])).collect(),
        ..Picture::default()
    };
    assert!(matches!(
        picture::png(&picture),
        Err(PictureError::TooLarge {
            nodes: 301,
            limit: 300
        })
    ));
}

#[test]
fn an_empty_picture_is_a_small_svg_saying_so() {
    let svg = picture::svg(&Picture::default()).expect("draws");
    let doc = roxmltree::Document::parse(&svg).expect("XML");
    let text: String = with_class(&doc, "empty")[0]
        .text()
        .unwrap_or_default()
        .to_owned();
    assert!(text.contains("The map is empty"), "{text}");
    let layout = picture::layout(&Picture::default()).expect("lays out");
    assert!(layout.width < 400.0 && layout.height < 200.0, "{layout:?}");
    assert!(with_class(&doc, "legend").is_empty());
}

#[test]
fn edges_to_nodes_not_in_the_picture_are_refused() {
    let picture = Picture {
        nodes: vec![node(1, "a", &[])],
        edges: vec![edge(1, 9, "KNOWS")],
        title: None,
    };
    let err = picture::svg(&picture).expect_err("a missing node");
    assert_eq!(
        err.to_string(),
        "the edge 1 -[:KNOWS]-> 9 names node 9, which is not in the picture"
    );
    let twice = Picture {
        nodes: vec![node(1, "a", &[]), node(1, "b", &[])],
        ..Picture::default()
    };
    assert!(matches!(
        picture::svg(&twice),
        Err(PictureError::DuplicateNode { key: 1 })
    ));
}

#[test]
fn the_png_has_the_signature_and_the_size_of_the_view_box() {
    let picture = life_as_a_system();
    let png = picture::png(&picture).expect("draws");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(&png[12..16], b"IHDR");
    let width = u32::from_be_bytes(png[16..20].try_into().expect("4 bytes"));
    let height = u32::from_be_bytes(png[20..24].try_into().expect("4 bytes"));
    let layout = picture::layout(&picture).expect("lays out");
    assert_eq!(
        (f64::from(width), f64::from(height)),
        (layout.width, layout.height)
    );
}

#[test]
fn markup_and_non_ascii_in_names_round_trip() {
    let name = "Zoë & <Co> \"quoted\" 'single' — 東京";
    let picture = Picture {
        nodes: vec![
            node(1, name, &["Actor", "Organisation"]),
            node(2, "Brian", &["Actor", "Person"]),
        ],
        edges: vec![edge(2, 1, "USES<&>")],
        title: Some("A <title> & 'more'".to_owned()),
    };
    let svg = picture::svg(&picture).expect("draws");
    let doc = roxmltree::Document::parse(&svg).expect("XML");
    let labels = node_labels(&doc);
    assert!(
        labels.contains(&("node-1".to_owned(), name.to_owned())),
        "{labels:?}"
    );
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("title"))
        .filter_map(|n| n.text())
        .collect();
    assert!(titles.contains(&name) && titles.contains(&"A <title> & 'more'"));
    let label = with_class(&doc, "edge-label")[0]
        .descendants()
        .find_map(|n| n.text().filter(|t| !t.trim().is_empty()));
    assert_eq!(label, Some("USES<&>"));
    picture::png(&picture).expect("the PNG draws too");
}

#[test]
fn long_names_are_wrapped_and_very_long_ones_shortened() {
    let long = "The partnership board for integrated health, housing and social care commissioning across the whole city region";
    let picture = Picture {
        nodes: vec![
            node(1, long, &["Actor", "Organisation"]),
            node(2, "x", &["Factor"]),
        ],
        ..Picture::default()
    };
    let layout = assert_no_overlaps(&picture);
    let lines = &layout.nodes[0].lines;
    assert_eq!(lines.len(), 3);
    assert!(lines[2].ends_with('…'), "{lines:?}");
    let svg = picture::svg(&picture).expect("draws");
    let doc = roxmltree::Document::parse(&svg).expect("XML");
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("title"))
        .filter_map(|n| n.text())
        .collect();
    assert!(
        titles.contains(&long),
        "the whole name stays in the node's title"
    );
}

#[test]
fn parallel_edges_and_self_loops_each_get_their_own_line() {
    let picture = Picture {
        nodes: vec![node(1, "Brian", &["Actor"]), node(2, "Health", &["Factor"])],
        edges: vec![
            edge(1, 2, "AFFECTED_BY"),
            edge(2, 1, "SHAPES"),
            edge(1, 2, "WORRIES_ABOUT"),
            edge(1, 1, "REFLECTS_ON"),
        ],
        title: None,
    };
    let svg = picture::svg(&picture).expect("draws");
    let doc = roxmltree::Document::parse(&svg).expect("XML");
    let mut paths: Vec<&str> = with_class(&doc, "edge")
        .iter()
        .filter_map(|e| e.attribute("d"))
        .collect();
    assert_eq!(paths.len(), 4);
    paths.sort_unstable();
    paths.dedup();
    assert_eq!(paths.len(), 4, "every edge has its own line");
    assert_eq!(
        paths.iter().filter(|d| d.contains('C')).count(),
        1,
        "the self-loop is a loop"
    );
    assert_eq!(
        paths.iter().filter(|d| d.contains('Q')).count(),
        2,
        "two of three parallel edges curve"
    );
}

#[test]
fn disconnected_nodes_are_packed_without_overlaps() {
    let nodes = (0..40)
        .map(|i| {
            node(
                i,
                &format!("Isolated node number {i}"),
                &["Actor", "Person"],
            )
        })
        .collect();
    let layout = assert_no_overlaps(&Picture {
        nodes,
        ..Picture::default()
    });
    assert!(
        layout.width < 3.0 * layout.height && layout.height < 3.0 * layout.width,
        "{} × {}",
        layout.width,
        layout.height
    );
}

#[test]
fn three_hundred_nodes_and_six_hundred_edges_lay_out_without_overlaps() {
    let picture = seeded(300, 600, 7);
    let started = std::time::Instant::now();
    let svg = picture::svg(&picture).expect("draws");
    let svg_time = started.elapsed();
    let started = std::time::Instant::now();
    let png = picture::png(&picture).expect("draws");
    // Printed, never asserted on (see with --nocapture, in release for real figures).
    println!(
        "300 nodes, 600 edges: SVG {svg_time:?} ({} bytes), PNG {:?} ({} bytes, includes the SVG)",
        svg.len(),
        started.elapsed(),
        png.len()
    );
    roxmltree::Document::parse(&svg).expect("XML");
    assert_no_overlaps(&picture);
}

#[test]
fn a_hub_with_299_leaves_stays_compact() {
    let nodes = (0..300)
        .map(|i| PictureNode {
            scale: Some("person".to_owned()),
            ..node(i, &format!("Factor number {i} of a life"), &["Factor"])
        })
        .collect();
    let edges = (1..300).map(|i| edge(0, i, "AFFECTED_BY")).collect();
    let layout = assert_no_overlaps(&Picture {
        nodes,
        edges,
        title: None,
    });
    // Once 14,679 × 43,788: the leaves were strung out on one ring.
    assert!(
        layout.width * layout.height < 20_000_000.0,
        "{} × {}",
        layout.width,
        layout.height
    );
}

#[test]
fn the_example_picture_is_up_to_date() {
    let svg = picture::svg(&life_as_a_system()).expect("draws");
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/life-as-a-system.svg");
    if std::env::var_os("UPDATE_PICTURES").is_some() {
        std::fs::write(&path, &svg).expect("writes the example");
        return;
    }
    let committed = std::fs::read_to_string(&path)
        .expect("examples/life-as-a-system.svg exists (UPDATE_PICTURES=1 writes it)");
    assert!(
        committed == svg,
        "examples/life-as-a-system.svg is out of date: run UPDATE_PICTURES=1 cargo test --test picture"
    );
}
