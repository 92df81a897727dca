//! The one place a pest error becomes a [`CypherError`] with a span and a readable
//! "expected ..." list.

use pest::error::{Error, ErrorVariant, InputLocation};

use super::Rule;
use crate::model::{CypherError, Span};
use crate::syntax::lexical::SegmentKind;

/// Converts a pest failure into a SyntaxError at the failure position.
pub(super) fn from_pest(text: &str, error: &Error<Rule>) -> CypherError {
    let at = match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    }
    .min(text.len());
    let found = token_at(text, at);
    let span = Span::new(
        at,
        at + found.len().max(if at < text.len() { 1 } else { 0 }),
    );
    let found_text = if found.is_empty() {
        "end of input".to_string()
    } else {
        format!("'{found}'")
    };
    if let Some(c) = text[at..].chars().next()
        && is_unicode_lookalike(c)
    {
        return CypherError::syntax(
            "InvalidUnicodeCharacter",
            format!(
                "Invalid input {found_text}: the character U+{:04X} looks like an operator but is not one; use ASCII '-', '<', '>' or quotes",
                c as u32
            ),
            Span::new(at, at + c.len_utf8()),
        );
    }
    if let Some(quote @ ('\'' | '"')) = found.chars().next()
        && !text[at + 1..].contains(quote)
    {
        return CypherError::syntax(
            "UnexpectedSyntax",
            format!("Invalid input {found_text}: unterminated string literal"),
            span,
        );
    }
    let expected = expectations(error);
    let message = match expected.len() {
        0 => format!("Invalid input {found_text}"),
        1 => format!("Invalid input {found_text}: expected {}", expected[0]),
        _ => format!(
            "Invalid input {found_text}: expected one of {}",
            expected.join(", ")
        ),
    };
    CypherError::syntax("UnexpectedSyntax", message, span)
}

/// Rules that can continue a complete expression: listed together as "an operator".
const OPERATOR_RULES: &[Rule] = &[
    Rule::comp_op,
    Rule::add_op,
    Rule::mul_op,
    Rule::string_pred,
    Rule::regex_pred,
    Rule::in_pred,
    Rule::null_pred,
    Rule::AND,
    Rule::OR,
    Rule::XOR,
    Rule::node_labels,
    Rule::property_lookup,
    Rule::subscript,
];

/// Punctuation that can continue a complete expression.
const OPERATOR_TOKENS: &[&str] = &[
    "<>", "<", ">", "<=", ">=", "=~", "+", "-", "*", "/", "%", "^", ".", "[", ":",
];

/// What the parser would have accepted at the failure: literal punctuation first (from
/// pest's detailed attempts, when available), then rules in human terms.
fn expectations(error: &Error<Rule>) -> Vec<String> {
    let ErrorVariant::ParsingError { positives, .. } = &error.variant else {
        return Vec::new();
    };
    let after_expression = positives.iter().any(|r| OPERATOR_RULES.contains(r));
    let mut expected: Vec<String> = Vec::new();
    let mut add = |name: String| {
        if !expected.contains(&name) {
            expected.push(name);
        }
    };
    if let Some(attempts) = error.parse_attempts() {
        for token in attempts.expected_tokens() {
            // Only punctuation: keywords come from the rules, ranges are character classes.
            let token = token.to_string();
            let punctuation = !token.is_empty()
                && !token.contains("..")
                && token.chars().all(|c| c.is_ascii_punctuation());
            let noise = token.starts_with("//") || token.starts_with("/*") || token == "_";
            if punctuation
                && !noise
                && !(after_expression && OPERATOR_TOKENS.contains(&token.as_str()))
            {
                add(format!("'{token}'"));
            }
        }
    }
    for rule in positives {
        if OPERATOR_RULES.contains(rule) {
            continue;
        }
        for name in describe(*rule) {
            add(name.to_string());
        }
    }
    if after_expression {
        add("an operator".to_string());
    }
    // Punctuation that only starts something already listed in words is noise.
    let covered = [
        "an expression",
        "a name",
        "a pattern such as (n)",
        "a property map",
        "a parameter ($name)",
    ];
    if expected.iter().any(|e| covered.contains(&e.as_str())) {
        let starts = [
            "'\"'", "'''", "'$'", "'`'", "'{'", "'['", "'('", "'+'", "'-'", "'.'",
        ];
        expected.retain(|e| !starts.contains(&e.as_str()));
    }
    expected
}

/// Refuses bracket nesting deeper than `max` (outside strings, comments and backquotes),
/// so that the recursive descent cannot exhaust the stack; returns the deepest nesting.
pub(super) fn check_nesting(text: &str, max: usize) -> Result<usize, CypherError> {
    let mut depth = 0usize;
    let mut deepest = 0usize;
    // CASE ... END nests like a bracket; `word` is the identifier being read.
    let mut word_start: Option<usize> = None;
    for segment in crate::syntax::lexical::segments(text) {
        let in_word =
            matches!(segment.kind, SegmentKind::Code(c) if c.is_alphanumeric() || c == '_');
        match (word_start, in_word) {
            (None, true) => word_start = Some(segment.start),
            (Some(start), false) => {
                word_start = None;
                let word = &text[start..segment.start];
                if word.eq_ignore_ascii_case("case") {
                    depth += 1;
                    deepest = deepest.max(depth);
                    if depth > max {
                        return Err(CypherError::syntax(
                            "UnexpectedSyntax",
                            format!(
                                "expression nested too deeply (more than {max} brackets and CASEs)"
                            ),
                            Span::new(start, segment.start),
                        ));
                    }
                } else if word.eq_ignore_ascii_case("end") {
                    depth = depth.saturating_sub(1);
                }
            }
            _ => {}
        }
        match segment.kind {
            SegmentKind::Code('(' | '[' | '{') => {
                depth += 1;
                deepest = deepest.max(depth);
                if depth > max {
                    return Err(CypherError::syntax(
                        "UnexpectedSyntax",
                        format!("expression nested too deeply (more than {max} brackets)"),
                        Span::new(segment.start, segment.end),
                    ));
                }
            }
            SegmentKind::Code(')' | ']' | '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(deepest)
}

/// The word (or single character) at `at`, for "Invalid input 'X'".
fn token_at(text: &str, at: usize) -> &str {
    let rest = &text[at..];
    let word: usize = rest
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
        .map(|(i, _)| i)
        .unwrap_or(rest.len());
    if word > 0 {
        return &rest[..word];
    }
    match rest.chars().next() {
        Some(c) => &rest[..c.len_utf8()],
        None => "",
    }
}

/// Dashes and arrows people paste from word processors.
fn is_unicode_lookalike(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{2010}'
            ..='\u{2015}'
                | '\u{2212}'
                | '\u{FE58}'
                | '\u{FE63}'
                | '\u{FF0D}'
                | '\u{27E8}'
                | '\u{27E9}'
                | '\u{2329}'
                | '\u{232A}'
                | '\u{3008}'
                | '\u{3009}'
                | '\u{FE64}'
                | '\u{FE65}'
                | '\u{FF1C}'
                | '\u{FF1E}'
                | '\u{2018}'
                | '\u{2019}'
                | '\u{201C}'
                | '\u{201D}'
    )
}

/// What a rule means to someone writing Cypher; empty for rules not worth listing.
fn describe(rule: Rule) -> &'static [&'static str] {
    use Rule::*;
    match rule {
        statement | query | single_query | subquery => &["a clause"],
        union => &["UNION"],
        match_clause => &["MATCH"],
        unwind_clause => &["UNWIND"],
        load_csv_clause | LOAD => &["LOAD CSV"],
        CSV => &["CSV"],
        with_headers | HEADERS => &["WITH HEADERS"],
        field_terminator | FIELDTERMINATOR => &["FIELDTERMINATOR"],
        with_clause => &["WITH"],
        return_clause => &["RETURN"],
        create_clause => &["CREATE"],
        merge_clause => &["MERGE"],
        merge_action => &["ON CREATE SET", "ON MATCH SET"],
        set_clause => &["SET"],
        remove_clause => &["REMOVE"],
        delete_clause => &["DELETE"],
        call_clause => &["CALL"],
        where_clause => &["WHERE"],
        projection_body | projection_items => &["an expression", "'*'"],
        star => &["'*'"],
        projection_item => &["an expression"],
        order_by => &["ORDER BY"],
        sort_item => &["an expression"],
        sort_order => &["ASC", "DESC"],
        skip => &["SKIP"],
        limit => &["LIMIT"],
        set_item | set_property | set_variable | set_labels | property_target => &[
            "a property (n.key = ...)",
            "a variable (n = ...)",
            "labels (n:Label)",
        ],
        set_op => &["'='", "'+='"],
        remove_item | remove_labels | remove_property => {
            &["a property (n.key)", "labels (n:Label)"]
        }
        procedure_name => &["a procedure name"],
        call_args => &["'('"],
        yield_clause => &["YIELD"],
        yield_item => &["a procedure output field"],
        pattern | pattern_part | pattern_element | relationships_pattern | node_pattern => {
            &["a pattern such as (n)"]
        }
        shortest_path | all_shortest_paths => &["a pattern such as (n)"],
        pattern_chain | relationship_pattern => &["a relationship such as -[:TYPE]->"],
        node_labels => &["a label (:Label)"],
        properties => &["a property map", "a parameter ($name)"],
        left_arrow => &["'<'"],
        right_arrow => &["'>'"],
        rel_detail => &["'['"],
        rel_types => &["a relationship type (:TYPE)"],
        range_literal => &["'*'"],
        range_dots | bad_range => &["'..'"],
        range_bound => &["an integer"],
        expression | or_expr | xor_expr | and_expr | not_expr | comparison | predicate_expr
        | add_expr | mul_expr | pow_expr | unary_expr | postfix_expr | atom | slice_to => {
            &["an expression"]
        }
        comp_op => &["a comparison (=, <>, <, <=, >, >=)"],
        string_pred => &["STARTS WITH", "ENDS WITH", "CONTAINS"],
        regex_pred => &["'=~'"],
        in_pred => &["IN"],
        null_pred => &["IS NULL", "IS NOT NULL"],
        add_op => &["'+'", "'-'"],
        mul_op => &["'*'", "'/'", "'%'"],
        unary_op => &["'+'", "'-'"],
        property_lookup => &["'.'"],
        subscript => &["'['"],
        parenthesized => &["'('"],
        count_star => &["count(*)"],
        case_expr => &["CASE"],
        case_when => &["WHEN"],
        case_else => &["ELSE"],
        list_comprehension | list_literal | pattern_comprehension => &["'['"],
        comprehension_where => &["WHERE"],
        comprehension_map => &["'|'"],
        quantified | quantifier => &["all(...)", "any(...)", "none(...)", "single(...)"],
        reduce_expr => &["reduce(...)"],
        exists_subquery => &["EXISTS { ... }"],
        exists_pattern => &["a pattern such as (n)"],
        function_call | function_name => &["a function call"],
        map_projection => &["a map projection"],
        map_projection_item | all_properties => &["a map projection item (.key, key: value, .*)"],
        map_literal => &["'{'"],
        map_entry => &["a map entry (key: value)"],
        float_literal | hex_integer | octal_integer | decimal_integer | bad_number => &["a number"],
        string_literal | sq_text | dq_text => &["a string"],
        parameter | parameter_index => &["a parameter ($name)"],
        variable => &["a variable name"],
        schema_name | symbolic_name | plain_name | escaped_name => &["a name"],
        EOI => &["end of input"],
        ALL => &["ALL"],
        ALLSHORTESTPATHS => &["allShortestPaths"],
        AND => &["AND"],
        KW_ANY => &["ANY"],
        AS => &["AS"],
        ASC => &["ASC"],
        ASCENDING => &["ASCENDING"],
        BY => &["BY"],
        CALL => &["CALL"],
        CASE => &["CASE"],
        CONTAINS => &["CONTAINS"],
        COUNT => &["count"],
        CREATE => &["CREATE"],
        DELETE => &["DELETE"],
        DESC => &["DESC"],
        DESCENDING => &["DESCENDING"],
        DETACH => &["DETACH"],
        DISTINCT => &["DISTINCT"],
        ELSE => &["ELSE"],
        END => &["END"],
        ENDS => &["ENDS WITH"],
        EXISTS => &["EXISTS"],
        FALSE => &["false"],
        IN => &["IN"],
        IS => &["IS"],
        LIMIT => &["LIMIT"],
        MATCH => &["MATCH"],
        MERGE => &["MERGE"],
        NONE => &["none"],
        NOT => &["NOT"],
        NULL => &["null"],
        ON => &["ON"],
        OPTIONAL => &["OPTIONAL MATCH"],
        OR => &["OR"],
        ORDER => &["ORDER BY"],
        REDUCE => &["reduce"],
        REMOVE => &["REMOVE"],
        RETURN => &["RETURN"],
        SET => &["SET"],
        SHORTESTPATH => &["shortestPath"],
        SINGLE => &["single"],
        SKIP => &["SKIP"],
        STARTS => &["STARTS WITH"],
        THEN => &["THEN"],
        TRUE => &["true"],
        UNION => &["UNION"],
        UNWIND => &["UNWIND"],
        WHEN => &["WHEN"],
        WHERE => &["WHERE"],
        WITH => &["WITH"],
        XOR => &["XOR"],
        YIELD => &["YIELD"],
        _ => &[],
    }
}

/// True when pest stopped because the parse used up its call budget (or its stack).
pub(super) fn is_budget_exhausted(error: &Error<Rule>) -> bool {
    match &error.variant {
        ErrorVariant::CustomError { message } => {
            message.contains("call limit reached") || message.contains("stack limit reached")
        }
        ErrorVariant::ParsingError { .. } => false,
    }
}

/// The error for a statement the parser gave up on: it did not fail at one place, so it
/// covers the whole text and says how to get past it.
pub(super) fn too_complex(text: &str) -> CypherError {
    CypherError::syntax(
        "UnexpectedSyntax",
        "the statement is too complex to parse: it nests brackets, comprehensions or patterns \
         in a way that cannot be resolved within the parser's work limit; check the brackets, \
         or split it into smaller statements with WITH",
        Span::new(0, text.len()),
    )
}
