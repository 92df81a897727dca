//! The updating clauses: CREATE, MERGE, SET, REMOVE, DELETE, and the statement-end
//! checks and label counting they need.

use super::eval::deleted_entity;
use super::{Error, Executor, Row, Stats};
use crate::exec::at;
use crate::model::{
    CypherError, Direction, ErrorKind, NodeId, NodeRecord, Path, RelId, RelRecord, Value,
};
use crate::syntax::ast::{Expr, NodePattern, PatternPart, RelDirection, RemoveItem, SetItem};
use std::collections::{BTreeMap, BTreeSet};

impl Executor<'_, '_> {
    /// CREATE over every input row.
    pub(crate) fn create_clause(
        &mut self,
        parts: &[PatternPart],
        rows: Vec<Row>,
    ) -> Result<Vec<Row>, Error> {
        let mut out = Vec::with_capacity(rows.len());
        for mut row in rows {
            self.poll()?;
            for part in parts {
                row = self.create_part(part, row)?;
            }
            out.push(row);
        }
        Ok(out)
    }

    fn create_part(&mut self, part: &PatternPart, mut row: Row) -> Result<Row, Error> {
        let mut nodes = vec![self.create_node(&part.element.start, &mut row)?];
        let mut rels = Vec::new();
        for (rel, np) in &part.element.chain {
            let prev = *nodes.last().expect("a pattern starts with a node");
            let next = self.create_node(np, &mut row)?;
            let Some(rel_type) = rel.types.first() else {
                return Err(CypherError::semantic(
                    "NoSingleRelationshipType",
                    "a relationship to create needs exactly one type",
                    rel.span,
                )
                .into());
            };
            // CREATE requires a direction (the checker enforces it); MERGE creates an
            // undirected pattern left to right.
            let (start, end) = match rel.direction {
                RelDirection::Right | RelDirection::Both => (prev, next),
                RelDirection::Left => (next, prev),
            };
            let props = match &rel.props {
                Some(p) => self.eval_props(p, &row)?,
                None => BTreeMap::new(),
            };
            let id = self.tx.create_rel(RelRecord {
                rel_type: rel_type.clone(),
                start,
                end,
                props,
            });
            if let Some(v) = &rel.var {
                row.insert(v.name.clone(), Value::Rel(id));
            }
            rels.push(id);
            nodes.push(next);
        }
        if let Some(v) = &part.var {
            row.insert(v.name.clone(), Value::Path(Path { nodes, rels }));
        }
        Ok(row)
    }

    /// Creates the node of `np`, or reuses the node its variable is bound to.
    fn create_node(&mut self, np: &NodePattern, row: &mut Row) -> Result<NodeId, Error> {
        if let Some(var) = &np.var {
            match row.get(&var.name) {
                Some(Value::Node(id)) => {
                    if !np.labels.is_empty() || np.props.is_some() {
                        return Err(CypherError::semantic(
                            "VariableAlreadyBound",
                            format!(
                                "variable `{}` is already bound and cannot be created again",
                                var.name
                            ),
                            var.span,
                        )
                        .into());
                    }
                    if !self.tx.node_exists(*id)? {
                        return Err(deleted_entity());
                    }
                    return Ok(*id);
                }
                Some(Value::Null) => {
                    return Err(CypherError::runtime(
                        ErrorKind::SemanticError,
                        "CreateNullNode",
                        format!(
                            "cannot create a relationship to `{}`, which is null",
                            var.name
                        ),
                    )
                    .into());
                }
                Some(other) => {
                    return Err(CypherError::semantic(
                        "VariableTypeConflict",
                        format!("`{}` is a {}, not a node", var.name, other.type_name()),
                        var.span,
                    )
                    .into());
                }
                None => {}
            }
        }
        let props = match &np.props {
            Some(p) => self.eval_props(p, row)?,
            None => BTreeMap::new(),
        };
        let mut labels = np.labels.clone();
        labels.sort();
        labels.dedup();
        let id = self.tx.create_node(NodeRecord { labels, props });
        if let Some(var) = &np.var {
            row.insert(var.name.clone(), Value::Node(id));
        }
        Ok(id)
    }

    /// Evaluates a pattern's property map; null values are dropped.
    fn eval_props(&self, e: &Expr, row: &Row) -> Result<BTreeMap<String, Value>, Error> {
        match self.eval(e, row)? {
            Value::Map(m) => {
                let mut out = BTreeMap::new();
                for (k, v) in m {
                    if v.is_null() {
                        continue;
                    }
                    check_storable(&k, &v)?;
                    out.insert(k, v);
                }
                Ok(out)
            }
            other => Err(CypherError::type_error(
                "InvalidArgumentType",
                format!("expected a map of properties, got {}", other.type_name()),
            )
            .at(e.span)
            .into()),
        }
    }

    /// MERGE over every input row.
    pub(crate) fn merge_clause(
        &mut self,
        pattern: &PatternPart,
        on_create: &[SetItem],
        on_match: &[SetItem],
        rows: Vec<Row>,
    ) -> Result<Vec<Row>, Error> {
        let mut out = Vec::new();
        for row in rows {
            self.poll()?;
            self.check_merge_nulls(pattern, &row)?;
            let matches = self.match_part(pattern, &(row.clone(), Vec::new()))?;
            if matches.is_empty() {
                let created = self.create_part(pattern, row)?;
                for item in on_create {
                    self.set_item(item, &created)?;
                }
                out.push(created);
            } else {
                for (m, _) in matches {
                    for item in on_match {
                        self.set_item(item, &m)?;
                    }
                    out.push(m);
                }
            }
        }
        Ok(out)
    }

    /// MERGE cannot match or create on a null property value.
    fn check_merge_nulls(&self, pattern: &PatternPart, row: &Row) -> Result<(), Error> {
        let mut maps: Vec<&Expr> = Vec::new();
        maps.extend(pattern.element.start.props.as_deref());
        for (rel, node) in &pattern.element.chain {
            maps.extend(rel.props.as_deref());
            maps.extend(node.props.as_deref());
        }
        for e in maps {
            if let Value::Map(m) = self.eval(e, row)?
                && let Some((k, _)) = m.iter().find(|(_, v)| v.is_null())
            {
                return Err(CypherError::runtime(
                    ErrorKind::SemanticError,
                    "MergeReadOwnWrites",
                    format!("cannot merge on a null value for property `{k}`"),
                )
                .into());
            }
        }
        Ok(())
    }

    /// Applies one SET item to one row.
    pub(crate) fn set_item(&mut self, item: &SetItem, row: &Row) -> Result<(), Error> {
        match item {
            SetItem::Property {
                target,
                key,
                value,
                span,
            } => {
                let t = self.eval(target, row)?;
                let v = self.eval(value, row)?;
                self.set_property(&t, key, v).map_err(|e| at(e, *span))
            }
            SetItem::Variable {
                var,
                value,
                merge,
                span,
            } => {
                let t = row.get(&var.name).cloned().unwrap_or(Value::Null);
                let v = self.eval(value, row)?;
                let map: BTreeMap<String, Value> = match v {
                    Value::Map(m) => m,
                    Value::Node(_) | Value::Rel(_) => self.properties(&v)?.into_iter().collect(),
                    Value::Null if !*merge => BTreeMap::new(),
                    other => {
                        return Err(CypherError::type_error(
                            "InvalidArgumentType",
                            format!("SET needs a map of properties, got {}", other.type_name()),
                        )
                        .at(*span)
                        .into());
                    }
                };
                if t.is_null() {
                    return Ok(());
                }
                if !*merge {
                    let current = self.properties(&t)?;
                    for (k, _) in current {
                        if !map.contains_key(&k) {
                            self.set_property(&t, &k, Value::Null)?;
                        }
                    }
                }
                for (k, v) in map {
                    self.set_property(&t, &k, v).map_err(|e| at(e, *span))?;
                }
                Ok(())
            }
            SetItem::Labels { var, labels, .. } => {
                let target = row.get(&var.name).cloned();
                self.edit_labels(target.as_ref(), ("set on", "on"), |have| {
                    let before = have.len();
                    for l in labels {
                        if !have.contains(l) {
                            have.push(l.clone());
                        }
                    }
                    have.len() != before
                })
            }
        }
    }

    /// Applies one REMOVE item to one row.
    pub(crate) fn remove_item(&mut self, item: &RemoveItem, row: &Row) -> Result<(), Error> {
        match item {
            RemoveItem::Property { target, key, span } => {
                let t = self.eval(target, row)?;
                self.set_property(&t, key, Value::Null)
                    .map_err(|e| at(e, *span))
            }
            RemoveItem::Labels { var, labels, .. } => {
                let target = row.get(&var.name).cloned();
                self.edit_labels(target.as_ref(), ("removed from", "from"), |have| {
                    let before = have.len();
                    have.retain(|l| !labels.contains(l));
                    have.len() != before
                })
            }
        }
    }

    /// Applies `edit` to the labels of the node `target` (SET n:L, REMOVE n:L); `edit`
    /// says whether it changed them. Null does nothing; anything but a node is an error,
    /// worded with `verb` ("set on", "on").
    fn edit_labels(
        &mut self,
        target: Option<&Value>,
        verb: (&str, &str),
        edit: impl FnOnce(&mut Vec<String>) -> bool,
    ) -> Result<(), Error> {
        match target {
            Some(Value::Node(id)) => {
                let id = *id;
                let Some(mut rec) = self.tx.node(id)? else {
                    return Err(deleted_entity());
                };
                if edit(&mut rec.labels) {
                    rec.labels.sort();
                    self.tx.update_node(id, rec);
                }
                Ok(())
            }
            Some(Value::Null) | None => Ok(()),
            Some(other) => Err(CypherError::type_error(
                "InvalidArgumentType",
                format!(
                    "labels can only be {} nodes, not {} a {}",
                    verb.0,
                    verb.1,
                    other.type_name()
                ),
            )
            .into()),
        }
    }

    /// Sets (or, for null, removes) one property of a node or relationship.
    fn set_property(&mut self, target: &Value, key: &str, value: Value) -> Result<(), Error> {
        if !value.is_null() {
            check_storable(key, &value)?;
        }
        match target {
            Value::Null => Ok(()),
            Value::Node(id) => {
                let Some(mut rec) = self.tx.node(*id)? else {
                    return Err(deleted_entity());
                };
                if write_prop(&mut rec.props, key, value) {
                    self.tx.update_node(*id, rec);
                }
                Ok(())
            }
            Value::Rel(id) => {
                let Some(mut rec) = self.tx.rel(*id)? else {
                    return Err(deleted_entity());
                };
                if write_prop(&mut rec.props, key, value) {
                    self.tx.update_rel(*id, rec);
                }
                Ok(())
            }
            other => Err(CypherError::type_error(
                "InvalidArgumentType",
                format!(
                    "properties can only be set on nodes and relationships, not on a {}",
                    other.type_name()
                ),
            )
            .into()),
        }
    }

    /// Deletes a node, relationship or path (and, with `detach`, a node's relationships).
    pub(crate) fn delete_value(&mut self, v: &Value, detach: bool) -> Result<(), Error> {
        match v {
            Value::Null => Ok(()),
            Value::Node(id) => self.delete_node(*id, detach),
            Value::Rel(id) => self.delete_rel(*id),
            Value::Path(p) => {
                for r in &p.rels {
                    self.delete_rel(*r)?;
                }
                for n in &p.nodes {
                    self.delete_node(*n, detach)?;
                }
                Ok(())
            }
            Value::List(items) => {
                for item in items {
                    self.delete_value(item, detach)?;
                }
                Ok(())
            }
            other => Err(CypherError::type_error(
                "InvalidArgumentType",
                format!(
                    "only nodes, relationships and paths can be deleted, not a {}",
                    other.type_name()
                ),
            )
            .into()),
        }
    }

    fn delete_node(&mut self, id: NodeId, detach: bool) -> Result<(), Error> {
        if !self.tx.node_exists(id)? {
            return Ok(());
        }
        if detach {
            let mut rels: BTreeSet<RelId> = BTreeSet::new();
            for d in [Direction::Outgoing, Direction::Incoming] {
                rels.extend(self.tx.adjacent(id, d, None)?.into_iter().map(|a| a.rel));
            }
            for r in rels {
                self.delete_rel(r)?;
            }
        }
        self.tx.delete_node(id);
        self.deleted_nodes.push(id);
        Ok(())
    }

    fn delete_rel(&mut self, id: RelId) -> Result<(), Error> {
        if !self.tx.rel_exists(id)? {
            return Ok(());
        }
        self.tx.delete_rel(id);
        Ok(())
    }

    /// A deleted node may not keep relationships past the end of the statement.
    pub(crate) fn check_deleted_nodes(&self) -> Result<(), Error> {
        for &id in &self.deleted_nodes {
            if self.tx.node_exists(id)? {
                continue;
            }
            for d in [Direction::Outgoing, Direction::Incoming] {
                if !self.tx.adjacent(id, d, None)?.is_empty() {
                    return Err(CypherError::runtime(
                        ErrorKind::ConstraintVerificationFailed,
                        "DeleteConnectedNode",
                        "cannot delete a node that still has relationships; use DETACH DELETE",
                    )
                    .into());
                }
            }
        }
        Ok(())
    }

    /// The statement's side effects, as the difference between the graph before and
    /// after it (the openCypher TCK's definition): an entity created and deleted by the
    /// same statement counts nothing, nor does a property set to the value it had.
    pub(crate) fn side_effects(&self) -> Result<Stats, Error> {
        let mut stats = Stats::default();
        if self.tx.changes().is_empty() {
            return Ok(stats);
        }
        // The store beneath the transaction is still as it was before the statement.
        let labels_before = self.tx.base().label_counts()?;
        let mut label_delta: BTreeMap<String, i64> = BTreeMap::new();
        let base = self.tx.base();
        for (id, new) in &self.tx.changes().nodes {
            let old = base.node(*id)?;
            if let Some(old) = &old {
                for l in &old.labels {
                    *label_delta.entry(l.clone()).or_default() -= 1;
                }
            }
            if let Some(new) = new {
                for l in &new.labels {
                    *label_delta.entry(l.clone()).or_default() += 1;
                }
            }
            match (&old, new) {
                (None, Some(_)) => stats.nodes_created += 1,
                (Some(_), None) => stats.nodes_deleted += 1,
                _ => {}
            }
            diff_props(
                old.as_ref().map(|n| &n.props),
                new.as_ref().map(|n| &n.props),
                &mut stats,
            );
        }
        for (id, new) in &self.tx.changes().rels {
            let old = base.rel(*id)?;
            match (&old, new) {
                (None, Some(_)) => stats.relationships_created += 1,
                (Some(_), None) => stats.relationships_deleted += 1,
                _ => {}
            }
            diff_props(
                old.as_ref().map(|r| &r.props),
                new.as_ref().map(|r| &r.props),
                &mut stats,
            );
        }
        for (label, delta) in label_delta {
            let before = labels_before.get(&label).copied().unwrap_or(0) as i64;
            let after = before + delta;
            if before == 0 && after > 0 {
                stats.labels_added += 1;
            }
            if before > 0 && after == 0 {
                stats.labels_removed += 1;
            }
        }
        Ok(stats)
    }
}

/// Counts the property changes between two versions of an entity's properties.
fn diff_props(
    old: Option<&BTreeMap<String, Value>>,
    new: Option<&BTreeMap<String, Value>>,
    stats: &mut Stats,
) {
    let empty = BTreeMap::new();
    let (old, new) = (old.unwrap_or(&empty), new.unwrap_or(&empty));
    for (k, v) in new {
        match old.get(k) {
            None => stats.properties_set += 1,
            Some(o) if o != v => {
                stats.properties_set += 1;
                stats.properties_removed += 1;
            }
            Some(_) => {}
        }
    }
    stats.properties_removed += old.keys().filter(|k| !new.contains_key(*k)).count() as u64;
}

/// Writes `value` (null removes) into `props`; true when anything changed.
fn write_prop(props: &mut BTreeMap<String, Value>, key: &str, value: Value) -> bool {
    if value.is_null() {
        return props.remove(key).is_some();
    }
    if props.get(key) == Some(&value) {
        return false;
    }
    props.insert(key.to_string(), value);
    true
}

fn check_storable(key: &str, v: &Value) -> Result<(), Error> {
    if v.is_storable() {
        return Ok(());
    }
    let message = match v {
        // The list is fine but for what it holds: say what that is.
        Value::List(items) => match items
            .iter()
            .find(|i| !i.is_storable() || matches!(i, Value::Null | Value::List(_)))
        {
            Some(Value::Null) => format!(
                "property `{key}` cannot hold a list with null in it: a stored list holds \
                 values only; leave the null out"
            ),
            Some(item) => format!(
                "property `{key}` cannot hold a list holding a {}: a stored list holds \
                 scalars only",
                item.type_name()
            ),
            None => format!(
                "property `{key}` cannot hold this list: only scalars and lists of scalars \
                 can be stored"
            ),
        },
        _ => format!(
            "property `{key}` cannot hold a {}: only scalars and lists of scalars can be stored",
            v.type_name()
        ),
    };
    Err(CypherError::type_error("InvalidPropertyType", message).into())
}

#[cfg(test)]
mod tests {
    use crate::db::{Db, Error, Params};

    /// A list that cannot be stored is refused with what in it cannot be.
    #[test]
    fn an_unstorable_list_is_refused_for_what_it_holds() {
        let db = Db::in_memory();
        let message = |q: &str| match db.execute(q, &Params::new()) {
            Err(Error::Query(e)) => (e.code, e.message),
            other => panic!("{q}: {other:?}"),
        };
        assert_eq!(
            message("CREATE (:X {l: [1, null]})"),
            (
                "InvalidPropertyType",
                "property `l` cannot hold a list with null in it: a stored list holds values \
                 only; leave the null out"
                    .to_string()
            )
        );
        assert!(
            message("CREATE (:X {l: [1, [2]]})")
                .1
                .contains("a list holding a List")
        );
        assert!(
            message("CREATE (:X {l: [{a: 1}]})")
                .1
                .contains("a list holding a Map")
        );
    }
}
