//! From filter text to `Expr`, with the pest grammar in `grammar.pest`.

use pest::error::{ErrorVariant, InputLocation};
use pest::iterators::Pair;
use pest::Parser as _;

use crate::ast::{Check, CmpOp, Expr, ListOp, Test};
use crate::FilterError;

#[derive(pest_derive::Parser)]
#[grammar = "grammar.pest"]
struct Grammar;

/// Parses filter text into an expression.
pub fn parse(text: &str) -> Result<Expr, FilterError> {
    if text.trim().is_empty() {
        return Err(FilterError::Syntax { column: 1, expected: "a field name".into(), found: "end of filter".into() });
    }
    let mut pairs = Grammar::parse(Rule::filter, text).map_err(|e| syntax_error(text, e))?;
    let filter = pairs.next().ok_or_else(|| internal("empty parse"))?;
    let expr = filter.into_inner().next().ok_or_else(|| internal("no expression"))?;
    build_expr(text, expr)
}

/// sysdig refuses `and` and `or` side by side without brackets: at each level (the whole filter
/// or one bracketed group), every boolean operator must be the same. Returns the column of the
/// first operator that differs from the ones before it.
fn mixed_operator(text: &str, expr: &Pair<'_, Rule>) -> Option<usize> {
    let mut first: Option<Rule> = None;
    let mut keywords: Vec<(usize, Rule)> = Vec::new();
    for p in expr.clone().into_inner() {
        match p.as_rule() {
            Rule::or_kw => keywords.push((p.as_span().start(), Rule::or_kw)),
            Rule::and_expr => {
                for q in p.into_inner().filter(|q| q.as_rule() == Rule::and_kw) {
                    keywords.push((q.as_span().start(), Rule::and_kw));
                }
            }
            _ => {}
        }
    }
    keywords.sort_by_key(|(pos, _)| *pos);
    for (pos, rule) in keywords {
        match first {
            None => first = Some(rule),
            Some(r) if r != rule => return Some(text[..pos].chars().count() + 1),
            Some(_) => {}
        }
    }
    None
}

fn internal(what: &str) -> FilterError {
    FilterError::Syntax { column: 1, expected: format!("a filter ({what})"), found: String::new() }
}

fn build_expr(text: &str, pair: Pair<'_, Rule>) -> Result<Expr, FilterError> {
    match pair.as_rule() {
        Rule::expr | Rule::and_expr => {
            if pair.as_rule() == Rule::expr {
                if let Some(column) = mixed_operator(text, &pair) {
                    return Err(FilterError::MixedAndOr { column });
                }
            }
            let is_or = pair.as_rule() == Rule::expr;
            let mut items = Vec::new();
            for p in pair.into_inner() {
                match p.as_rule() {
                    Rule::or_kw | Rule::and_kw => {}
                    _ => items.push(build_expr(text, p)?),
                }
            }
            Ok(match items.len() {
                1 => items.pop().ok_or_else(|| internal("empty list"))?,
                _ if is_or => Expr::Or(items),
                _ => Expr::And(items),
            })
        }
        Rule::not_expr => {
            let mut n_not = 0;
            let mut inner = None;
            for p in pair.into_inner() {
                match p.as_rule() {
                    Rule::not_kw => n_not += 1,
                    _ => inner = Some(build_expr(text, p)?),
                }
            }
            let mut e = inner.ok_or_else(|| internal("not without operand"))?;
            for _ in 0..n_not {
                e = Expr::Not(Box::new(e));
            }
            Ok(e)
        }
        Rule::group => {
            let inner = pair.into_inner().find(|p| p.as_rule() == Rule::expr).ok_or_else(|| internal("empty group"))?;
            build_expr(text, inner)
        }
        Rule::check => build_check(pair).map(Expr::Check),
        r => Err(internal(&format!("unexpected {r:?}"))),
    }
}

fn build_check(pair: Pair<'_, Rule>) -> Result<Check, FilterError> {
    let offset = pair.as_span().start();
    let mut inner = pair.into_inner();
    let field = inner.next().ok_or_else(|| internal("check without field"))?.as_str().to_string();
    let op = inner.next().ok_or_else(|| internal("check without operator"))?;
    let test = match op.as_rule() {
        Rule::exists_op => Test::Exists,
        Rule::list_op => {
            let lop = match op.as_str() {
                "in" => ListOp::In,
                "intersects" => ListOp::Intersects,
                _ => ListOp::Pmatch,
            };
            let list = inner.next().ok_or_else(|| internal("list operator without list"))?;
            let values = list.into_inner().filter(|v| v.as_rule() == Rule::list_value).map(value_bytes).collect();
            Test::List(lop, values)
        }
        _ => {
            let cop = CmpOp::from_text(op.as_str()).ok_or_else(|| internal("unknown operator"))?;
            let value = inner.next().map(value_bytes).unwrap_or_default();
            Test::Cmp(cop, value)
        }
    };
    Ok(Check { field, test, offset })
}

/// The bytes a value stands for, escapes resolved.
fn value_bytes(pair: Pair<'_, Rule>) -> Vec<u8> {
    let raw = match pair.as_rule() {
        Rule::value | Rule::list_value | Rule::quoted => match pair.clone().into_inner().next() {
            Some(inner) => return value_bytes(inner),
            None => "",
        },
        _ => pair.as_str(),
    };
    unescape(raw)
}

/// Resolves `\\`, `\"`, `\'` and `\xHH`; any other backslash stays as written (as in sysdig).
pub fn unescape(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 1 < b.len() {
            match b[i + 1] {
                c @ (b'\\' | b'"' | b'\'') => {
                    out.push(c);
                    i += 2;
                    continue;
                }
                b'x' if i + 3 < b.len() && b[i + 2].is_ascii_hexdigit() && b[i + 3].is_ascii_hexdigit() => {
                    let hex = |c: u8| (c as char).to_digit(16).unwrap_or(0) as u8;
                    out.push(hex(b[i + 2]) * 16 + hex(b[i + 3]));
                    i += 4;
                    continue;
                }
                _ => {}
            }
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

/// Turns a pest error into a one-line message naming the column and what was expected.
fn syntax_error(text: &str, e: pest::error::Error<Rule>) -> FilterError {
    let pos = match e.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let column = text[..pos.min(text.len())].chars().count() + 1;
    if let Some(q @ ('"' | '\'')) = text[pos.min(text.len())..].chars().next() {
        if !closes(&text[pos + 1..], q) {
            return FilterError::Syntax {
                column: text.chars().count() + 1,
                expected: format!("a closing {q} for the quote at column {column}"),
                found: "end of filter".into(),
            };
        }
    }
    let found = match text[pos.min(text.len())..].chars().next() {
        None => "end of filter".to_string(),
        Some(_) => {
            let rest = &text[pos..];
            let word: String = rest.chars().take_while(|c| !c.is_whitespace()).take(20).collect();
            format!("'{}'", if word.is_empty() { rest.chars().take(1).collect() } else { word })
        }
    };
    let expected = match &e.variant {
        ErrorVariant::ParsingError { positives, .. } => describe(positives),
        ErrorVariant::CustomError { message } => message.clone(),
    };
    FilterError::Syntax { column, expected, found }
}

/// Whether an unescaped `q` occurs in `rest`.
fn closes(rest: &str, q: char) -> bool {
    let mut escaped = false;
    for c in rest.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            c if c == q && !escaped => return true,
            _ => escaped = false,
        }
    }
    false
}

/// Names the rules pest expected, in words.
fn describe(rules: &[Rule]) -> String {
    let mut words: Vec<&str> = Vec::new();
    for r in rules {
        let w = match r {
            Rule::field | Rule::check | Rule::not_expr | Rule::expr | Rule::and_expr => "a field name",
            Rule::group | Rule::open_paren => "'('",
            Rule::close_paren => "')'",
            Rule::comma => "','",
            Rule::not_kw => "'not'",
            Rule::and_kw => "'and'",
            Rule::or_kw => "'or'",
            Rule::EOI => "end of filter",
            Rule::exists_op | Rule::list_op | Rule::cmp_op => "an operator",
            Rule::value | Rule::bare | Rule::quoted => "a value",
            Rule::list => "a list '(a, b, ...)'",
            Rule::list_value | Rule::list_bare => "a list value",
            _ => "more",
        };
        if !words.contains(&w) {
            words.push(w);
        }
    }
    match words.len() {
        0 => "something else".into(),
        1 => words[0].into(),
        n => format!("{} or {}", words[..n - 1].join(", "), words[n - 1]),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn check(text: &str, expected: &str) {
        match parse(text) {
            Ok(e) => assert_eq!(e.to_string(), expected, "{text}"),
            Err(err) => assert_eq!(err.to_string(), expected, "{text}"),
        }
    }

    #[test]
    fn comparisons() {
        check("evt.type=open", r#"evt.type = "open""#);
        check("evt.type = open", r#"evt.type = "open""#);
        check("evt.type==open", r#"evt.type = "open""#);
        check("proc.name!=cat", r#"proc.name != "cat""#);
        check("evt.num>=10", r#"evt.num >= "10""#);
        check("fd.name=/a=b", r#"fd.name = "/a=b""#);
        check("fd.net=10.0.0.0/8", r#"fd.net = "10.0.0.0/8""#);
        check("proc.name contains 'a b'", r#"proc.name contains "a b""#);
        check(r#"proc.name icontains "x\"y""#, r#"proc.name icontains "x\"y""#);
        check("proc.name=", r#"proc.name = """#);
        check("proc.aname[2]=bash", r#"proc.aname[2] = "bash""#);
        check("evt.arg.fd exists", "evt.arg.fd exists");
        check(r"fd.name=a\x41\\", r#"fd.name = "aA\\""#);
    }

    #[test]
    fn lists() {
        check("evt.type in (open,close)", r#"evt.type in ("open", "close")"#);
        check("evt.type in(open , 'close' )", r#"evt.type in ("open", "close")"#);
        check("fd.name pmatch (/etc)", r#"fd.name pmatch ("/etc")"#);
        check("evt.type in ()", "evt.type in ()");
    }

    #[test]
    fn precedence() {
        check("(a=1 and b=2) or c=3", r#"(a = "1" and b = "2") or c = "3""#);
        check("a=1 or (b=2 and c=3)", r#"a = "1" or (b = "2" and c = "3")"#);
        check("a=1 or b=2 or c=3", r#"a = "1" or b = "2" or c = "3""#);
        check("not a=1 and b=2", r#"not a = "1" and b = "2""#);
        check("not (a=1 and b=2)", r#"not (a = "1" and b = "2")"#);
        check("not not a=1", r#"not not a = "1""#);
        check("evt.type=open and not proc.name contains x", r#"evt.type = "open" and not proc.name contains "x""#);
        check("(a=1)", r#"a = "1""#);
        check("a=1 and(b=2)", r#"a = "1" and b = "2""#);
        check("not(a=1)", r#"not a = "1""#);
        check("(a=1 and b=2) and c=3", r#"(a = "1" and b = "2") and c = "3""#);
    }

    #[test]
    fn and_and_or_do_not_mix_without_brackets() {
        let mixed =
            |c: usize| format!("column {c}: the expression mixes 'and' and 'or' without brackets; group them with ( )");
        check("a=1 and b=2 or c=3", &mixed(13));
        check("a=1 or b=2 and c=3", &mixed(12));
        check("(a=1 or b=2 and c=3)", &mixed(13));
        check("x=0 and (a=1 or b=2 and c=3)", &mixed(21));
        check("a=1 and not b=2 or c=3", &mixed(17));
        check("not a=1 or not (b=2 and c=3) or d=4", r#"not a = "1" or not (b = "2" and c = "3") or d = "4""#);
    }

    #[test]
    fn syntax_errors_name_the_column() {
        check("evt.type=open and", "syntax error at column 18: expected a field name, found end of filter");
        check("proc.name", "syntax error at column 10: expected an operator, found end of filter");
        check(
            "proc.name=\"cat",
            "syntax error at column 15: expected a closing \" for the quote at column 11, found end of filter",
        );
        check("(proc.name=cat", "syntax error at column 15: expected ')', 'or' or 'and', found end of filter");
        check("proc.name in (a b)", "syntax error at column 17: expected ')' or ',', found 'b)'");
        check("", "syntax error at column 1: expected a field name, found end of filter");
    }
}
