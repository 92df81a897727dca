//! Model test: random valid sequences of graph changes go to a `SledStore` and to the
//! reference `MemoryStore`; after every change set (and across reopening the sled store)
//! every read method must answer the same on both.

use proptest::prelude::*;
use steward::model::{Direction, NodeRecord, Properties, RelRecord, Value};
use steward::store::fault::{FaultPoint, Faults};
use steward::store::{
    ChangeSet, CommitMeta, Counters, MemoryStore, RecordedStore, SledStore, Store, StoreError,
    Transaction,
};

const LABELS: &[&str] = &["Person", "Org", "Factor", "A", "A\0"];
const TYPES: &[&str] = &["KNOWS", "USES", "knows", "R\0"];
const NAMES: &[&str] = &[
    "Ann",
    "ann",
    "ANN",
    "Bob",
    "bob",
    "Straße",
    "STRASSE",
    "İstanbul",
    "i̇stanbul",
    "a\0b",
    "",
];

/// A name longer than the store keeps in a record's block (16 KiB): stored under a key
/// of its own.
fn long_name() -> String {
    "Ann ".repeat(4_200)
}

/// A property value stored under a key of its own, different for each `n`.
fn long_story(n: i64) -> Value {
    Value::String(format!("{n}: {}", "once upon a time ".repeat(1_000)))
}

/// One operation; indexes pick among what exists when the operation runs.
#[derive(Debug, Clone)]
enum Op {
    CreateNode {
        labels: u8,
        name: Option<u8>,
        n: i64,
    },
    UpdateNode {
        pick: usize,
        labels: u8,
        name: Option<u8>,
        n: i64,
    },
    DeleteNode {
        pick: usize,
    },
    CreateRel {
        from: usize,
        to: usize,
        ty: u8,
        n: i64,
    },
    UpdateRel {
        pick: usize,
        n: i64,
    },
    DeleteRel {
        pick: usize,
    },
}

/// A step: one change set of several operations, or reopening the sled store.
#[derive(Debug, Clone)]
enum Step {
    Apply(Vec<Op>),
    Reopen,
}

fn node_record(labels: u8, name: Option<u8>, n: i64) -> NodeRecord {
    let labels = LABELS
        .iter()
        .enumerate()
        .filter(|(i, _)| labels & (1 << i) != 0)
        .map(|(_, l)| l.to_string())
        .collect();
    let mut props = Properties::new();
    props.insert("n".into(), Value::Int(n));
    // Some nodes say when they held: the stores count them.
    match n % 3 {
        0 => {
            props.insert("valid_from".into(), Value::Int(n));
        }
        1 if n % 2 == 0 => {
            props.insert("valid_until".into(), Value::Int(n));
        }
        _ => {}
    }
    // Some records hold values too long for their block.
    if n % 5 == 0 {
        props.insert("story".into(), long_story(n));
    }
    match name {
        // A name that is not a string must not be indexed.
        Some(i) if i as usize == NAMES.len() => {
            props.insert("name".into(), Value::Int(i64::from(i)));
        }
        Some(i) if i as usize > NAMES.len() => {
            props.insert("name".into(), Value::String(long_name()));
        }
        Some(i) => {
            props.insert("name".into(), Value::String(NAMES[i as usize].into()));
        }
        None => {}
    }
    NodeRecord { labels, props }
}

fn op() -> impl Strategy<Value = Op> {
    let name = proptest::option::of(0u8..(NAMES.len() as u8 + 2));
    prop_oneof![
        3 => (0u8..32, name.clone(), any::<i64>()).prop_map(|(labels, name, n)| Op::CreateNode { labels, name, n }),
        2 => (any::<usize>(), 0u8..32, name, any::<i64>())
            .prop_map(|(pick, labels, name, n)| Op::UpdateNode { pick, labels, name, n }),
        1 => any::<usize>().prop_map(|pick| Op::DeleteNode { pick }),
        4 => (any::<usize>(), any::<usize>(), 0u8..(TYPES.len() as u8), any::<i64>())
            .prop_map(|(from, to, ty, n)| Op::CreateRel { from, to, ty, n }),
        1 => (any::<usize>(), any::<i64>()).prop_map(|(pick, n)| Op::UpdateRel { pick, n }),
        1 => any::<usize>().prop_map(|pick| Op::DeleteRel { pick }),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        12 => proptest::collection::vec(op(), 1..6).prop_map(Step::Apply),
        1 => Just(Step::Reopen),
    ]
}

/// Turns operations into a valid change set against `base`, through the transaction
/// overlay the library uses.
fn change_set(base: &dyn Store, ops: &[Op]) -> ChangeSet {
    let mut tx = Transaction::begin(base).expect("begin");
    for op in ops {
        match *op {
            Op::CreateNode { labels, name, n } => {
                tx.create_node(node_record(labels, name, n));
            }
            Op::UpdateNode {
                pick,
                labels,
                name,
                n,
            } => {
                let ids = tx.node_ids().expect("node_ids");
                if !ids.is_empty() {
                    tx.update_node(ids[pick % ids.len()], node_record(labels, name, n));
                }
            }
            Op::DeleteNode { pick } => {
                let ids = tx.node_ids().expect("node_ids");
                if !ids.is_empty() {
                    let id = ids[pick % ids.len()];
                    for dir in [Direction::Outgoing, Direction::Incoming] {
                        for a in tx.adjacent(id, dir, None).expect("adjacent") {
                            tx.delete_rel(a.rel);
                        }
                    }
                    tx.delete_node(id);
                }
            }
            Op::CreateRel { from, to, ty, n } => {
                let ids = tx.node_ids().expect("node_ids");
                if !ids.is_empty() {
                    let mut props: Properties = [("n".to_string(), Value::Int(n))].into();
                    if n % 5 == 0 {
                        props.insert("story".into(), long_story(n));
                    }
                    let (start, end) = (ids[from % ids.len()], ids[to % ids.len()]);
                    tx.create_rel(RelRecord {
                        rel_type: TYPES[ty as usize].into(),
                        start,
                        end,
                        props,
                    });
                }
            }
            Op::UpdateRel { pick, n } => {
                let ids = tx.rel_ids().expect("rel_ids");
                if !ids.is_empty() {
                    let id = ids[pick % ids.len()];
                    let mut rec = tx.rel(id).expect("rel").expect("listed rel exists");
                    rec.props.insert("n".into(), Value::Int(n));
                    // A long value comes, changes, stays or goes.
                    match n % 3 {
                        0 => {
                            rec.props.insert("story".into(), long_story(n));
                        }
                        1 => {
                            rec.props.remove("story");
                        }
                        _ => {}
                    }
                    tx.update_rel(id, rec);
                }
            }
            Op::DeleteRel { pick } => {
                let ids = tx.rel_ids().expect("rel_ids");
                if !ids.is_empty() {
                    tx.delete_rel(ids[pick % ids.len()]);
                }
            }
        }
    }
    tx.changes().clone()
}

/// Every read method of both stores must agree.
fn assert_same(sled: &dyn Store, model: &dyn Store, when: &str) {
    let counters = model.counters().expect("counters");
    assert_eq!(
        sled.counters().expect("counters"),
        counters,
        "counters {when}"
    );
    assert_eq!(
        sled.dated_nodes().expect("dated"),
        model.dated_nodes().expect("dated"),
        "dated_nodes {when}"
    );
    assert_same_graph(sled, model, counters, when);
    // The recorded versions: the memory store appends one per change set that touched
    // a record, the naive history the sled store must agree with.
    for id in 0..=counters.next_node {
        assert_eq!(
            sled.node_history(id).expect("node history"),
            model.node_history(id).expect("node history"),
            "node_history({id}) {when}"
        );
    }
    for id in 0..=counters.next_rel {
        assert_eq!(
            sled.rel_history(id).expect("rel history"),
            model.rel_history(id).expect("rel history"),
            "rel_history({id}) {when}"
        );
    }
}

/// Every read of the graph (not its counters or history) agrees, for ids up to `counters`.
fn assert_same_graph(sled: &dyn Store, model: &dyn Store, counters: Counters, when: &str) {
    assert_eq!(
        sled.sizes().expect("sizes"),
        model.sizes().expect("sizes"),
        "sizes {when}"
    );
    assert_eq!(
        sled.node_ids().expect("node_ids"),
        model.node_ids().expect("node_ids"),
        "node_ids {when}"
    );
    assert_eq!(
        sled.rel_ids().expect("rel_ids"),
        model.rel_ids().expect("rel_ids"),
        "rel_ids {when}"
    );
    assert_eq!(
        sled.label_counts().expect("labels"),
        model.label_counts().expect("labels"),
        "label_counts {when}"
    );
    assert_eq!(
        sled.type_counts().expect("types"),
        model.type_counts().expect("types"),
        "type_counts {when}"
    );
    for id in 0..=counters.next_node {
        assert_eq!(
            sled.node(id).expect("node"),
            model.node(id).expect("node"),
            "node {id} {when}"
        );
        for dir in [Direction::Outgoing, Direction::Incoming] {
            for ty in TYPES
                .iter()
                .map(|t| Some(*t))
                .chain([None, Some("MISSING")])
            {
                assert_eq!(
                    sled.adjacent(id, dir, ty).expect("adjacent"),
                    model.adjacent(id, dir, ty).expect("adjacent"),
                    "adjacent({id}, {dir:?}, {ty:?}) {when}"
                );
                assert_eq!(
                    sled.degree(id, dir, ty).expect("degree"),
                    model.degree(id, dir, ty).expect("degree"),
                    "degree({id}, {dir:?}, {ty:?}) {when}"
                );
            }
        }
    }
    // The streaming scans agree with the stores' own lookups.
    for dir in [Direction::Outgoing, Direction::Incoming] {
        for ty in TYPES
            .iter()
            .map(|t| Some(*t))
            .chain([None, Some("MISSING")])
        {
            let scan = |store: &dyn Store| {
                let mut lists = Vec::new();
                store
                    .scan_adjacency(dir, ty, &mut |node, adj| lists.push((node, adj.to_vec())))
                    .expect("scan_adjacency");
                lists
            };
            let expected: Vec<_> = (0..=counters.next_node)
                .map(|id| (id, model.adjacent(id, dir, ty).expect("adjacent")))
                .filter(|(_, adj)| !adj.is_empty())
                .collect();
            assert_eq!(
                scan(sled),
                expected,
                "scan_adjacency({dir:?}, {ty:?}) {when}"
            );
            assert_eq!(
                scan(model),
                expected,
                "memory scan_adjacency({dir:?}, {ty:?}) {when}"
            );
        }
    }
    let mut scanned = Vec::new();
    sled.scan_rels(&mut |id, rel| {
        scanned.push((id, rel));
        true
    })
    .expect("scan_rels");
    let expected: Vec<_> = (0..=counters.next_rel)
        .filter_map(|id| model.rel(id).expect("rel").map(|r| (id, r)))
        .collect();
    assert_eq!(scanned, expected, "scan_rels {when}");
    let mut scanned = Vec::new();
    sled.scan_nodes(&mut |id, node| {
        scanned.push((id, node));
        true
    })
    .expect("scan_nodes");
    let expected: Vec<_> = (0..=counters.next_node)
        .filter_map(|id| model.node(id).expect("node").map(|n| (id, n)))
        .collect();
    assert_eq!(scanned, expected, "scan_nodes {when}");
    for id in 0..=counters.next_rel {
        assert_eq!(
            sled.rel(id).expect("rel"),
            model.rel(id).expect("rel"),
            "rel {id} {when}"
        );
    }
    for label in LABELS.iter().chain(&["Missing", "person"]) {
        assert_eq!(
            sled.nodes_with_label(label).expect("label"),
            model.nodes_with_label(label).expect("label"),
            "nodes_with_label({label:?}) {when}"
        );
    }
    assert_eq!(
        sled.property_keys().expect("keys"),
        model.property_keys().expect("keys"),
        "property_keys {when}"
    );
    let long = long_name();
    for name in NAMES
        .iter()
        .chain(&["nobody", "aNN", "STRAßE", "İSTANBUL", &long])
    {
        assert_eq!(
            sled.nodes_named(name).expect("named"),
            model.nodes_named(name).expect("named"),
            "nodes_named({name:?}) {when}"
        );
    }
}

/// A copy of `store`'s graph as it is now (no history): what AS RECORDED must see later.
fn snapshot(store: &dyn Store) -> MemoryStore {
    let mut changes = ChangeSet {
        counters: store.counters().expect("counters"),
        ..ChangeSet::default()
    };
    store
        .scan_nodes(&mut |id, n| changes.nodes.insert(id, Some(n)).is_none())
        .expect("scan nodes");
    store
        .scan_rels(&mut |id, r| changes.rels.insert(id, Some(r)).is_none())
        .expect("scan rels");
    let copy = MemoryStore::new();
    copy.apply(&changes).expect("snapshot");
    copy
}

/// Each store seen as recorded at the end of each step (time `i + 1`) is that step's
/// snapshot; `from`: the first step whose time is still answerable.
fn assert_recorded(sled: &dyn Store, model: &dyn Store, snapshots: &[MemoryStore], from: usize) {
    let counters = model.counters().expect("counters");
    for (i, then) in snapshots.iter().enumerate().skip(from) {
        let at = i as i64 + 1;
        for (name, store) in [("sled", sled), ("memory", model)] {
            let seen = RecordedStore::at(store, at).expect("recorded");
            assert_same_graph(
                &seen,
                then,
                counters,
                &format!("{name} as recorded at {at}"),
            );
        }
    }
}

/// Stamps step `i`'s change set as a commit at time `i + 1` by one of a few authors.
fn stamped(mut changes: ChangeSet, i: usize) -> ChangeSet {
    changes.meta = CommitMeta {
        at_millis: i as i64 + 1,
        author: match i % 3 {
            0 => Some("Jo".to_string()),
            1 => Some("Sam".to_string()),
            _ => None,
        },
    };
    changes
}

/// Runs the steps against both stores, comparing after each.
fn run(steps: &[Step]) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut sled = SledStore::open(dir.path()).expect("open");
    let model = MemoryStore::new();
    assert_same(&sled, &model, "when new");
    let mut snapshots = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        match step {
            Step::Apply(ops) => {
                let changes = stamped(change_set(&model, ops), i);
                model.apply(&changes).expect("model apply");
                sled.apply(&changes).expect("sled apply");
            }
            Step::Reopen => {
                drop(sled);
                sled = SledStore::open(dir.path()).expect("reopen");
            }
        }
        assert_same(&sled, &model, &format!("after step {i} ({step:?})"));
        snapshots.push(snapshot(&model));
    }
    assert_recorded(&sled, &model, &snapshots, 0);
    // The consistency check finds nothing in either store (no false alarms).
    assert_eq!(sled.check().expect("check sled"), Vec::new(), "check sled");
    assert_eq!(
        model.check().expect("check model"),
        Vec::new(),
        "check model"
    );
    drop(sled);
    let sled = SledStore::open(dir.path()).expect("final reopen");
    assert_same(&sled, &model, "after the final reopen");
    // Retention: the versions recorded before the middle step go, in both alike.
    let middle = steps.len() as i64 / 2;
    assert_eq!(
        sled.forget_history_before(middle).expect("forget"),
        model.forget_history_before(middle).expect("forget"),
        "versions dropped"
    );
    assert_same(&sled, &model, "after dropping the older history");
    assert_eq!(sled.history_kept_from().expect("kept"), Some(middle));
    assert_eq!(model.history_kept_from().expect("kept"), Some(middle));
    // Versions from `middle` on are kept: every time from `middle - 1` still answers.
    assert_recorded(
        &sled,
        &model,
        &snapshots,
        (middle as usize).saturating_sub(2),
    );
}

/// Runs the steps with the sled store opened with `faults` (after each reopen too): a
/// change set whose write or flush fails goes to the model only if it succeeded; the
/// failed one is never visible, every later apply is refused as poisoned until the store
/// is reopened, and the reopened store matches the model (exactly the acknowledged
/// change sets).
fn run_with_faults(steps: &[Step], faults: &[(FaultPoint, u64)]) {
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = Faults::new();
    for &(point, nth) in faults {
        plan.fail(point, nth, std::io::ErrorKind::Other);
    }
    let mut sled = SledStore::open_with_faults(dir.path(), plan.clone()).expect("open");
    let model = MemoryStore::new();
    let mut poisoned = false;
    for (i, step) in steps.iter().enumerate() {
        match step {
            Step::Apply(ops) => {
                let changes = change_set(&model, ops);
                match sled.apply(&changes) {
                    Ok(()) => {
                        assert!(!poisoned, "a poisoned store took a change set");
                        model.apply(&changes).expect("model apply");
                    }
                    Err(StoreError::Poisoned { .. }) => assert!(poisoned, "step {i}"),
                    Err(StoreError::Write { .. }) => {
                        assert!(!poisoned, "step {i}: a write after poisoning");
                        poisoned = true;
                    }
                    Err(e) => panic!("step {i}: {e}"),
                }
            }
            Step::Reopen => {
                drop(sled);
                sled = SledStore::open_with_faults(dir.path(), plan.clone()).expect("reopen");
                poisoned = false;
            }
        }
        assert_same(&sled, &model, &format!("after step {i} ({step:?})"));
    }
    drop(sled);
    let sled = SledStore::open(dir.path()).expect("final reopen");
    assert_same(&sled, &model, "after the final reopen");
    // What failed writes left behind is consistent.
    assert_eq!(
        sled.check().expect("check sled"),
        Vec::new(),
        "check after faults"
    );
}

fn fault() -> impl Strategy<Value = (FaultPoint, u64)> {
    (
        prop_oneof![Just(FaultPoint::Write), Just(FaultPoint::Flush)],
        1u64..20,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 120, ..ProptestConfig::default() })]

    #[test]
    fn sled_store_matches_memory_store(steps in proptest::collection::vec(step(), 1..25)) {
        run(&steps);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 60, ..ProptestConfig::default() })]

    #[test]
    fn sled_store_with_failing_writes_holds_exactly_the_acknowledged_change_sets(
        steps in proptest::collection::vec(step(), 1..25),
        faults in proptest::collection::vec(fault(), 1..4),
    ) {
        run_with_faults(&steps, &faults);
    }
}

#[test]
fn a_fixed_scenario_with_every_kind_of_change() {
    use Op::*;
    run(&[
        Step::Apply(vec![
            CreateNode {
                labels: 0b11,
                name: Some(0),
                n: 1,
            },
            CreateNode {
                labels: 0b10000,
                name: Some(1),
                n: 2,
            },
            CreateRel {
                from: 0,
                to: 1,
                ty: 0,
                n: 3,
            },
            CreateRel {
                from: 1,
                to: 1,
                ty: 3,
                n: 4,
            },
        ]),
        Step::Apply(vec![
            UpdateNode {
                pick: 0,
                labels: 0b100,
                name: Some(5),
                n: 5,
            },
            UpdateRel { pick: 1, n: 6 },
        ]),
        Step::Reopen,
        Step::Apply(vec![
            DeleteNode { pick: 1 },
            CreateNode {
                labels: 0,
                name: Some(6),
                n: 7,
            },
        ]),
        Step::Apply(vec![DeleteRel { pick: 0 }, DeleteNode { pick: 0 }]),
    ]);
}

/// One node with relationships of every type in both directions (self-loops too),
/// created across several change sets so that type groups are appended to, then
/// deleted type by type and one by one out of the middle of their groups.
#[test]
fn multi_type_adjacency_is_edited_one_group_at_a_time() {
    use Op::*;
    let create = |from, to, ty| CreateRel { from, to, ty, n: 0 };
    let mut steps = vec![Step::Apply(vec![
        CreateNode {
            labels: 1,
            name: None,
            n: 0,
        },
        CreateNode {
            labels: 2,
            name: None,
            n: 1,
        },
        CreateNode {
            labels: 4,
            name: None,
            n: 2,
        },
    ])];
    for round in 0..3 {
        let mut ops = Vec::new();
        for ty in 0..TYPES.len() as u8 {
            ops.push(create(0, 1 + (round + ty as usize) % 2, ty));
            ops.push(create(2, 0, ty));
            ops.push(create(0, 0, ty));
        }
        steps.push(Step::Apply(ops));
        if round == 1 {
            steps.push(Step::Reopen);
        }
    }
    // Delete from the middle, the front and the back of the relationship ids.
    for pick in [17, 0, 30, 5, 5, 5] {
        steps.push(Step::Apply(vec![DeleteRel { pick }]));
    }
    steps.push(Step::Apply(vec![
        DeleteRel { pick: 3 },
        create(1, 0, 2),
        DeleteRel { pick: 1 },
    ]));
    steps.push(Step::Reopen);
    steps.push(Step::Apply(vec![DeleteNode { pick: 0 }]));
    run(&steps);
}

/// Postmortem: sled's I/O threads held the lock briefly after drop, so an immediate
/// reopen in the same process failed with `Locked` (found by the model test's Reopen step).
#[test]
fn regression_reopen_right_after_drop_is_not_locked() {
    let dir = tempfile::tempdir().expect("tempdir");
    for i in 0..100 {
        let store = SledStore::open(dir.path()).expect("reopen right after drop");
        let changes = change_set(
            &store,
            &[
                Op::CreateNode {
                    labels: 1,
                    name: Some(0),
                    n: i,
                },
                Op::CreateRel {
                    from: 0,
                    to: 0,
                    ty: 0,
                    n: i,
                },
            ],
        );
        store.apply(&changes).expect("apply");
    }
    let store = SledStore::open(dir.path()).expect("final reopen");
    assert_eq!(store.sizes().expect("sizes"), (100, 100));
}
