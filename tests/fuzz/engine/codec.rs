//! Decoding arbitrary bytes as store records: every decoder of src/store/codec.rs (and
//! its adjacency and format-1 submodules) must return a value or a `CodecError`, never
//! panic or allocate without bound. Shared by the cargo-fuzz target `codec` and the
//! bounded run of tests/fuzz.rs, which feeds it mutations of valid encodings.

use std::collections::BTreeMap;
use steward::model::{NodeRecord, RelRecord, Value};
use steward::store::codec::{self, Block, Catalog, adj, v1};

/// The decoders, chosen by an input's first byte.
pub const DECODERS: u8 = 10;

/// A catalog that knows a few labels, keys and types, as records in a store refer to.
pub fn catalog() -> Catalog {
    let mut catalog = Catalog::default();
    let _ = codec::encode_node(&sample_node(), &mut catalog);
    catalog.type_names = vec!["KNOWS".into(), "USES".into()];
    catalog.type_counts = vec![1, 1];
    catalog
}

fn sample_node() -> NodeRecord {
    let mut props = BTreeMap::new();
    props.insert("name".to_string(), Value::String("Brian".into()));
    props.insert("age".to_string(), Value::Int(40));
    props.insert("w".to_string(), Value::Float(1.5));
    props.insert(
        "tags".to_string(),
        Value::List(vec![Value::String("a".into()), Value::Bool(true)]),
    );
    NodeRecord {
        labels: vec!["Actor".into(), "Person".into()],
        props,
    }
}

/// Valid encodings of every kind, each prefixed with the byte that selects its decoder:
/// the seeds the bounded run mutates.
pub fn seeds() -> Vec<Vec<u8>> {
    let mut catalog = catalog();
    let node = codec::encode_node(&sample_node(), &mut catalog).expect("encodes");
    let rel = RelRecord {
        rel_type: "KNOWS".into(),
        start: 1,
        end: 2,
        props: sample_node().props,
    };
    let rel = codec::encode_rel(&rel, 0, &mut catalog).expect("encodes");
    let mut block = Block::new();
    block.set(0, &node);
    block.set(5, &rel);
    let mut groups = BTreeMap::new();
    groups.insert(0u32, vec![(1u64, 2u64), (3, 4)]);
    groups.insert(1u32, vec![(7u64, 1u64)]);
    let adjacency = adj::encode_adj(1, &groups);
    let mut words = [0u64; codec::BITMAP_WORDS];
    words[0] = 0b1011;
    let bitmap = codec::encode_bitmap(&words);
    let names = codec::encode_names(&[(1, 77), (5, 12)]);
    let cat = codec::encode_catalog(&catalog).expect("encodes");
    // A node and a relationship whose long values are stored apart (a mark and the
    // value's length stand in their bodies), and a history stub.
    let mut long = sample_node();
    long.props
        .insert("note".into(), Value::String("n".repeat(codec::OUT_OF_LINE)));
    let (mut long_node, mut spilled) = (Vec::new(), codec::Spilled::new());
    codec::encode_node_into(&long, &mut catalog, &mut long_node, &mut spilled).expect("encodes");
    let long_rel = RelRecord {
        rel_type: "USES".into(),
        start: 9,
        end: 2,
        props: long.props,
    };
    let mut long_rel_body = Vec::new();
    codec::encode_rel_into(&long_rel, 1, &mut catalog, &mut long_rel_body, &mut spilled)
        .expect("encodes");
    let stub = codec::encode_history_stub(1_733_300_000_000).expect("encodes");
    let mut out = Vec::new();
    for (selector, body) in [
        (0u8, node),
        (0, long_node),
        (1, rel),
        (1, long_rel_body),
        (8, stub),
        (2, cat),
        (3, block.encode()),
        (4, bitmap),
        (5, names),
        (6, adjacency),
        (8, codec::encode_format(2).to_vec()),
        (9, codec::encode_marker(2, Some("x")).into_bytes()),
    ] {
        let mut input = vec![selector, 0];
        input.extend(body);
        out.push(input);
    }
    out
}

/// Decodes `data` with the decoder its first byte chooses (the second is a parameter:
/// a slot, a type id, a fingerprint); returns whether it decoded.
pub fn decode(data: &[u8], catalog: &Catalog) -> bool {
    let (Some(&selector), Some(&param)) = (data.first(), data.get(1)) else {
        return false;
    };
    let bytes = &data[2..];
    match selector % DECODERS {
        0 => {
            let whole = codec::decode_node(bytes, catalog).is_ok();
            let fetched = codec::decode_node_with(bytes, catalog, &mut |_| {
                Ok::<_, codec::CodecError>(Value::Null)
            })
            .is_ok();
            let name = codec::decode_node_name(bytes, catalog, 4096).is_ok();
            let keys = codec::body_key_ids(bytes, true, &mut |_| {}).is_ok();
            whole || fetched || name || keys
        }
        1 => {
            let whole = codec::decode_rel(bytes, catalog).is_ok();
            let fetched = codec::decode_rel_with(bytes, catalog, &mut |_| {
                Ok::<_, codec::CodecError>(Value::Null)
            })
            .is_ok();
            let keys = codec::body_key_ids(bytes, false, &mut |_| {}).is_ok();
            whole || fetched || keys
        }
        2 => codec::decode_catalog(bytes).is_ok(),
        3 => {
            let slot = codec::block_slot(bytes, usize::from(param)).is_ok();
            let slots = codec::block_slots(bytes).map(|s| s.count()).is_ok();
            let parsed = Block::parse(bytes).is_ok();
            slot && slots && parsed
        }
        4 => codec::decode_bitmap(bytes).is_ok(),
        5 => {
            let names = codec::decode_names(bytes).is_ok();
            names && codec::names_matching(bytes, u16::from(param) * 257).is_ok()
        }
        6 => {
            let groups = adj::adj_groups(bytes).all(|g| g.is_ok());
            let mut out = Vec::new();
            let all = adj::decode_adj_into(bytes, 1, None, &mut out).is_ok();
            let typed = adj::decode_adj_into(bytes, 1, Some(u32::from(param)), &mut out).is_ok();
            let degree = adj::adj_degree(bytes, Some(u32::from(param))).is_ok();
            groups && all && typed && degree
        }
        7 => {
            // The format-1 decoders, for stores opened to be migrated.
            let block = v1::parse_block(bytes).is_ok();
            let node = v1::decode_node(bytes).is_ok();
            let rel = v1::decode_rel(bytes).is_ok();
            let adjacency = v1::decode_adj(bytes).is_ok();
            let bitmap = v1::decode_bitmap(bytes).is_ok();
            let names = v1::decode_names(bytes).is_ok();
            let cat = v1::decode_catalog(bytes).is_ok();
            block || node || rel || adjacency || bitmap || names || cat
        }
        8 => {
            // Values of the sled tree of long values, and history values.
            let format = codec::decode_format(bytes).is_ok();
            let value = codec::decode_value(bytes).is_ok();
            let time = codec::history_time(bytes).is_ok();
            format || value || time
        }
        _ => codec::decode_marker(&String::from_utf8_lossy(bytes)).is_some(),
    }
}
