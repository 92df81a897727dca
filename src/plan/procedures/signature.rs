//! Procedure signatures: `name(input :: TYPE?, ...) :: (output :: TYPE?, ...)`, as Neo4j
//! prints them and the openCypher TCK declares them, parsed and printed back.

use super::DefinitionError;
use crate::model::{Temporal, Value};
use std::fmt;
use std::str::FromStr;

/// A type in a procedure signature.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CypherType {
    /// Any value.
    Any,
    /// true / false.
    Boolean,
    /// An integer.
    Integer,
    /// A float; an integer argument is converted.
    Float,
    /// An integer or a float.
    Number,
    /// A string.
    String,
    /// A map.
    Map,
    /// A node.
    Node,
    /// A relationship.
    Relationship,
    /// A path.
    Path,
    /// A date.
    Date,
    /// A time of day without a zone.
    LocalTime,
    /// A time of day with a zone offset.
    Time,
    /// A date and time without a zone.
    LocalDateTime,
    /// A date and time with a zone.
    DateTime,
    /// A duration.
    Duration,
    /// A list whose elements (or nulls) have the inner type.
    List(Box<CypherType>),
}

impl CypherType {
    /// `value` as this type (an integer becomes a float for FLOAT), or the value back
    /// when it does not have this type. Null is not handled here.
    fn coerce(&self, value: Value) -> Result<Value, Value> {
        match (self, value) {
            (CypherType::Any, v) => Ok(v),
            (CypherType::Float, Value::Int(i)) => Ok(Value::Float(i as f64)),
            (CypherType::List(inner), Value::List(items)) => {
                let mut out = Vec::with_capacity(items.len());
                let mut items = items.into_iter();
                while let Some(item) = items.next() {
                    if item.is_null() {
                        out.push(item);
                        continue;
                    }
                    match inner.coerce(item) {
                        Ok(v) => out.push(v),
                        Err(bad) => {
                            out.push(bad);
                            out.extend(items);
                            return Err(Value::List(out));
                        }
                    }
                }
                Ok(Value::List(out))
            }
            (ty, v) => {
                let fits = matches!(
                    (ty, &v),
                    (CypherType::Boolean, Value::Bool(_))
                        | (CypherType::Integer, Value::Int(_))
                        | (CypherType::Float, Value::Float(_))
                        | (CypherType::Number, Value::Int(_) | Value::Float(_))
                        | (CypherType::String, Value::String(_))
                        | (CypherType::Map, Value::Map(_))
                        | (CypherType::Node, Value::Node(_))
                        | (CypherType::Relationship, Value::Rel(_))
                        | (CypherType::Path, Value::Path(_))
                        | (CypherType::Date, Value::Temporal(Temporal::Date(_)))
                        | (
                            CypherType::LocalTime,
                            Value::Temporal(Temporal::LocalTime(_))
                        )
                        | (CypherType::Time, Value::Temporal(Temporal::Time(_)))
                        | (
                            CypherType::LocalDateTime,
                            Value::Temporal(Temporal::LocalDateTime(_))
                        )
                        | (CypherType::DateTime, Value::Temporal(Temporal::DateTime(_)))
                        | (CypherType::Duration, Value::Temporal(Temporal::Duration(_)))
                );
                if fits { Ok(v) } else { Err(v) }
            }
        }
    }
}

impl fmt::Display for CypherType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CypherType::Any => f.write_str("ANY"),
            CypherType::Boolean => f.write_str("BOOLEAN"),
            CypherType::Integer => f.write_str("INTEGER"),
            CypherType::Float => f.write_str("FLOAT"),
            CypherType::Number => f.write_str("NUMBER"),
            CypherType::String => f.write_str("STRING"),
            CypherType::Map => f.write_str("MAP"),
            CypherType::Node => f.write_str("NODE"),
            CypherType::Relationship => f.write_str("RELATIONSHIP"),
            CypherType::Path => f.write_str("PATH"),
            CypherType::Date => f.write_str("DATE"),
            CypherType::LocalTime => f.write_str("LOCALTIME"),
            CypherType::Time => f.write_str("TIME"),
            CypherType::LocalDateTime => f.write_str("LOCALDATETIME"),
            CypherType::DateTime => f.write_str("DATETIME"),
            CypherType::Duration => f.write_str("DURATION"),
            CypherType::List(inner) => write!(f, "LIST OF {inner}"),
        }
    }
}

/// One input or output of a procedure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Its name: an output's name is the column (and the variable YIELD binds).
    pub name: String,
    /// Its type.
    pub ty: CypherType,
    /// Null is allowed (`?` in the signature).
    pub nullable: bool,
    /// An input that may be left out (only after the required ones); it is then null.
    pub optional: bool,
}

impl Field {
    /// A field of type `ty`, nullable.
    pub fn new(name: impl Into<String>, ty: CypherType) -> Field {
        Field {
            name: name.into(),
            ty,
            nullable: true,
            optional: false,
        }
    }

    /// The same input, which a call may leave out (it is then null); optional inputs
    /// come after the required ones.
    pub fn optional(mut self) -> Field {
        self.optional = true;
        self.nullable = true;
        self
    }

    /// The same field, refusing null.
    pub fn not_null(mut self) -> Field {
        self.nullable = false;
        self
    }

    /// `value` checked against this field (an integer becomes a float for FLOAT), or the
    /// value back when it does not fit.
    pub fn coerce(&self, value: Value) -> Result<Value, Value> {
        if value.is_null() {
            return if self.nullable { Ok(value) } else { Err(value) };
        }
        self.ty.coerce(value)
    }

    /// The type as written in a signature, e.g. `INTEGER?`.
    pub fn type_text(&self) -> String {
        format!("{}{}", self.ty, if self.nullable { "?" } else { "" })
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.optional {
            write!(f, "{} = null :: {}", self.name, self.type_text())
        } else {
            write!(f, "{} :: {}", self.name, self.type_text())
        }
    }
}

/// A procedure's name, inputs and outputs. No outputs makes a void procedure: called on
/// its own it returns no columns, inside a query it passes each row on unchanged.
///
/// ```
/// use steward::plan::procedures::{CypherType, Field, Signature};
/// let sig: Signature = "geo.city(name :: STRING?, id :: INTEGER?) :: (city :: STRING?, code :: INTEGER?)".parse().unwrap();
/// assert_eq!(sig.inputs[1], Field::new("id", CypherType::Integer));
/// assert_eq!(sig.to_string(), "geo.city(name :: STRING?, id :: INTEGER?) :: (city :: STRING?, code :: INTEGER?)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// The dotted name, e.g. `db.labels`.
    pub name: String,
    /// Inputs, in argument order.
    pub inputs: Vec<Field>,
    /// Outputs, in column order; empty for a void procedure.
    pub outputs: Vec<Field>,
}

impl Signature {
    /// A signature with no inputs and no outputs yet.
    pub fn new(name: impl Into<String>) -> Signature {
        Signature {
            name: name.into(),
            inputs: Vec::new(),
            outputs: Vec::new(),
        }
    }

    /// Adds an input.
    pub fn input(mut self, field: Field) -> Signature {
        self.inputs.push(field);
        self
    }

    /// Adds an output column.
    pub fn output(mut self, field: Field) -> Signature {
        self.outputs.push(field);
        self
    }

    /// How many inputs a call must give (those before the first optional one).
    pub fn required_inputs(&self) -> usize {
        self.inputs
            .iter()
            .position(|f| f.optional)
            .unwrap_or(self.inputs.len())
    }

    /// True when the procedure has no outputs.
    pub fn is_void(&self) -> bool {
        self.outputs.is_empty()
    }

    /// Refuses a name declared twice among the inputs or among the outputs.
    fn check_unique(&self) -> Result<(), DefinitionError> {
        for fields in [&self.inputs, &self.outputs] {
            for (i, f) in fields.iter().enumerate() {
                if fields[..i].iter().any(|g| g.name == f.name) {
                    return Err(DefinitionError::DuplicateField {
                        procedure: self.name.clone(),
                        field: f.name.clone(),
                    });
                }
            }
        }
        Ok(())
    }
}

impl fmt::Display for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |fields: &[Field]| {
            fields
                .iter()
                .map(Field::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        write!(
            f,
            "{}({}) :: ({})",
            self.name,
            list(&self.inputs),
            list(&self.outputs)
        )
    }
}

impl FromStr for Signature {
    type Err = DefinitionError;

    /// Parses `name(in :: TYPE[?], ...) :: (out :: TYPE[?], ...)`; `:: VOID` is the same
    /// as `:: ()`. Type names are case-insensitive; `LIST OF T` nests.
    fn from_str(text: &str) -> Result<Signature, DefinitionError> {
        let mut p = Parser { text, at: 0 };
        let name = p.dotted_name()?;
        p.expect("(")?;
        let inputs = p.fields()?;
        p.expect("::")?;
        let outputs = if p.keyword("VOID") {
            Vec::new()
        } else {
            p.expect("(")?;
            p.fields()?
        };
        p.skip_space();
        if p.at != text.len() {
            return Err(p.error("the end of the signature"));
        }
        let sig = Signature {
            name,
            inputs,
            outputs,
        };
        sig.check_unique()?;
        Ok(sig)
    }
}

struct Parser<'t> {
    text: &'t str,
    at: usize,
}

impl Parser<'_> {
    fn error(&self, expected: &'static str) -> DefinitionError {
        DefinitionError::Syntax {
            text: self.text.to_string(),
            at: self.at,
            expected,
        }
    }

    fn rest(&self) -> &str {
        &self.text[self.at..]
    }

    fn skip_space(&mut self) {
        let trimmed = self.rest().trim_start();
        self.at = self.text.len() - trimmed.len();
    }

    /// Consumes `token` (after spaces) if it is next.
    fn eat(&mut self, token: &str) -> bool {
        self.skip_space();
        if self.rest().starts_with(token) {
            self.at += token.len();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, token: &'static str) -> Result<(), DefinitionError> {
        if self.eat(token) {
            Ok(())
        } else {
            Err(self.error(token))
        }
    }

    /// A name: letters, digits and `_`, or anything between backquotes.
    fn name(&mut self) -> Result<String, DefinitionError> {
        self.skip_space();
        if let Some(quoted) = self.rest().strip_prefix('`') {
            let end = quoted
                .find('`')
                .ok_or_else(|| self.error("a closing backquote"))?;
            let name = quoted[..end].to_string();
            self.at += end + 2;
            return Ok(name);
        }
        let len = self
            .rest()
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(self.rest().len());
        if len == 0 || self.rest().starts_with(|c: char| c.is_ascii_digit()) {
            return Err(self.error("a name"));
        }
        let name = self.rest()[..len].to_string();
        self.at += len;
        Ok(name)
    }

    /// Consumes the word `word` (any case) if it is next.
    fn keyword(&mut self, word: &str) -> bool {
        self.skip_space();
        let rest = self.rest();
        let matches = rest.len() >= word.len()
            && rest[..word.len()].eq_ignore_ascii_case(word)
            && !rest[word.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_');
        if matches {
            self.at += word.len();
        }
        matches
    }

    fn dotted_name(&mut self) -> Result<String, DefinitionError> {
        let mut parts = vec![self.name()?];
        while self.eat(".") {
            parts.push(self.name()?);
        }
        Ok(parts.join("."))
    }

    /// `field, field, ... )` (the opening parenthesis already consumed).
    fn fields(&mut self) -> Result<Vec<Field>, DefinitionError> {
        let mut fields = Vec::new();
        if self.eat(")") {
            return Ok(fields);
        }
        loop {
            let name = self.name()?;
            self.expect("::")?;
            let (ty, nullable) = self.ty()?;
            fields.push(Field {
                name,
                ty,
                nullable,
                optional: false,
            });
            if self.eat(")") {
                return Ok(fields);
            }
            self.expect(",")?;
        }
    }

    /// A type and whether it is followed by `?`.
    fn ty(&mut self) -> Result<(CypherType, bool), DefinitionError> {
        self.skip_space();
        let start = self.at;
        let word = self.name().map_err(|_| self.error("a type name"))?;
        let ty = match word.to_ascii_uppercase().as_str() {
            "ANY" => CypherType::Any,
            "BOOLEAN" => CypherType::Boolean,
            "INTEGER" | "INT" => CypherType::Integer,
            "FLOAT" => CypherType::Float,
            "NUMBER" => CypherType::Number,
            "STRING" => CypherType::String,
            "MAP" => CypherType::Map,
            "NODE" => CypherType::Node,
            "RELATIONSHIP" => CypherType::Relationship,
            "PATH" => CypherType::Path,
            "DATE" => CypherType::Date,
            "LOCALTIME" => CypherType::LocalTime,
            "TIME" => CypherType::Time,
            "LOCALDATETIME" => CypherType::LocalDateTime,
            "DATETIME" => CypherType::DateTime,
            "DURATION" => CypherType::Duration,
            "LIST" => {
                let nullable = self.eat("?");
                if !self.keyword("OF") {
                    return Err(self.error("OF"));
                }
                let (inner, _) = self.ty()?;
                return Ok((CypherType::List(Box::new(inner)), nullable));
            }
            _ => {
                return Err(DefinitionError::UnknownType {
                    name: self.text[start..self.at].to_string(),
                });
            }
        };
        Ok((ty, self.eat("?")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_back() {
        for text in [
            "test.my.proc(name :: STRING?, id :: INTEGER?) :: (city :: STRING?, country_code :: INTEGER?)",
            "test.doNothing() :: ()",
            "db.labels() :: (label :: STRING)",
            "x.y(l :: LIST? OF INTEGER, m :: MAP?) :: (n :: NODE)",
        ] {
            let sig: Signature = text.parse().expect(text);
            assert_eq!(
                sig.to_string(),
                text.replace("LIST? OF INTEGER", "LIST OF INTEGER?")
            );
        }
        let void: Signature = "a.b() :: VOID".parse().expect("VOID");
        assert!(void.is_void());
        let spaced: Signature = "t.p(in :: INTEGER?) :: (a :: INTEGER?, b :: INTEGER?) "
            .parse()
            .expect("trailing space");
        assert_eq!(spaced.outputs.len(), 2);
    }

    #[test]
    fn refuses_bad_signatures() {
        assert!(
            matches!("t.p(x :: WIDGET) :: ()".parse::<Signature>(), Err(DefinitionError::UnknownType { name }) if name == "WIDGET")
        );
        assert!(matches!(
            "t.p(x INTEGER) :: ()".parse::<Signature>(),
            Err(DefinitionError::Syntax { expected: "::", .. })
        ));
        assert!(matches!(
            "t.p(x :: INTEGER, x :: FLOAT) :: ()".parse::<Signature>(),
            Err(DefinitionError::DuplicateField { .. })
        ));
        assert!(matches!(
            "t.p() :: () extra".parse::<Signature>(),
            Err(DefinitionError::Syntax { .. })
        ));
    }

    #[test]
    fn coercion() {
        let float = Field::new("f", CypherType::Float);
        assert_eq!(float.coerce(Value::Int(2)), Ok(Value::Float(2.0)));
        assert_eq!(float.coerce(Value::Null), Ok(Value::Null));
        assert_eq!(
            float.clone().not_null().coerce(Value::Null),
            Err(Value::Null)
        );
        assert_eq!(float.coerce(Value::Bool(true)), Err(Value::Bool(true)));
        let list = Field::new("l", CypherType::List(Box::new(CypherType::Float)));
        assert_eq!(
            list.coerce(Value::List(vec![Value::Int(1), Value::Null])),
            Ok(Value::List(vec![Value::Float(1.0), Value::Null]))
        );
    }
}
