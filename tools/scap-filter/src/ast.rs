//! The parsed filter expression, before fields are resolved, and its canonical text form.
//!
//! `Expr`'s `Display` prints a filter that parses back to the same `Expr`: groups keep their
//! brackets, values are always quoted.

use std::fmt;

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CmpOp {
    /// `=` or `==`.
    Eq,
    /// `!=`.
    Ne,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
    /// `contains`.
    Contains,
    /// `icontains`: ASCII case-insensitive `contains`.
    IContains,
    /// `startswith`.
    StartsWith,
    /// `endswith`.
    EndsWith,
    /// `glob`: shell wildcards, as fnmatch(3) without flags.
    Glob,
}

impl CmpOp {
    /// The operator as written.
    pub fn as_str(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::Contains => "contains",
            CmpOp::IContains => "icontains",
            CmpOp::StartsWith => "startswith",
            CmpOp::EndsWith => "endswith",
            CmpOp::Glob => "glob",
        }
    }

    /// The operator for its text, `==` included.
    pub fn from_text(s: &str) -> Option<CmpOp> {
        Some(match s {
            "=" | "==" => CmpOp::Eq,
            "!=" => CmpOp::Ne,
            "<" => CmpOp::Lt,
            "<=" => CmpOp::Le,
            ">" => CmpOp::Gt,
            ">=" => CmpOp::Ge,
            "contains" => CmpOp::Contains,
            "icontains" => CmpOp::IContains,
            "startswith" => CmpOp::StartsWith,
            "endswith" => CmpOp::EndsWith,
            "glob" => CmpOp::Glob,
            _ => return None,
        })
    }
}

/// An operator taking a list of values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ListOp {
    /// `in`: equal to one of the values.
    In,
    /// `intersects`: the same as `in` for fields with one value, as in sysdig.
    Intersects,
    /// `pmatch`: the path is under one of the values, compared by path components.
    Pmatch,
}

impl ListOp {
    /// The operator as written.
    pub fn as_str(self) -> &'static str {
        match self {
            ListOp::In => "in",
            ListOp::Intersects => "intersects",
            ListOp::Pmatch => "pmatch",
        }
    }
}

/// What a check tests.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Test {
    /// `field exists`: the field has a value for the event.
    Exists,
    /// `field OP value`.
    Cmp(CmpOp, Vec<u8>),
    /// `field OP (v1, v2, ...)`.
    List(ListOp, Vec<Vec<u8>>),
}

/// One comparison: a field and what it is tested against.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Check {
    /// The field as written, argument included (`proc.aname[2]`, `evt.arg.fd`).
    pub field: String,
    /// The test.
    pub test: Test,
    /// Byte offset of the field in the filter text, for error messages.
    pub offset: usize,
}

/// A filter expression.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Expr {
    /// All must hold (two or more).
    And(Vec<Expr>),
    /// One must hold (two or more).
    Or(Vec<Expr>),
    /// Negation.
    Not(Box<Expr>),
    /// A comparison.
    Check(Check),
}

impl Expr {
    /// The same expression with every check's offset set to 0, for comparing shapes.
    pub fn without_offsets(&self) -> Expr {
        match self {
            Expr::And(v) => Expr::And(v.iter().map(Expr::without_offsets).collect()),
            Expr::Or(v) => Expr::Or(v.iter().map(Expr::without_offsets).collect()),
            Expr::Not(e) => Expr::Not(Box::new(e.without_offsets())),
            Expr::Check(c) => Expr::Check(Check { offset: 0, ..c.clone() }),
        }
    }
}

/// Writes a value quoted, escaping what the parser unescapes.
fn write_quoted(f: &mut fmt::Formatter<'_>, v: &[u8]) -> fmt::Result {
    f.write_str("\"")?;
    for &b in v {
        match b {
            b'"' => f.write_str("\\\"")?,
            b'\\' => f.write_str("\\\\")?,
            0x20..=0x7e => write!(f, "{}", b as char)?,
            _ => write!(f, "\\x{b:02x}")?,
        }
    }
    f.write_str("\"")
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.field)?;
        match &self.test {
            Test::Exists => f.write_str(" exists"),
            Test::Cmp(op, v) => {
                write!(f, " {} ", op.as_str())?;
                write_quoted(f, v)
            }
            Test::List(op, vs) => {
                write!(f, " {} (", op.as_str())?;
                for (i, v) in vs.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write_quoted(f, v)?;
                }
                f.write_str(")")
            }
        }
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Sub-expressions that are themselves and/or lists are bracketed, so the printed text
        // groups exactly as the tree does.
        fn child(f: &mut fmt::Formatter<'_>, e: &Expr) -> fmt::Result {
            match e {
                Expr::And(_) | Expr::Or(_) => write!(f, "({e})"),
                _ => write!(f, "{e}"),
            }
        }
        match self {
            Expr::And(v) | Expr::Or(v) => {
                let kw = if matches!(self, Expr::And(_)) { " and " } else { " or " };
                for (i, e) in v.iter().enumerate() {
                    if i > 0 {
                        f.write_str(kw)?;
                    }
                    child(f, e)?;
                }
                Ok(())
            }
            Expr::Not(e) => {
                f.write_str("not ")?;
                child(f, e)
            }
            Expr::Check(c) => write!(f, "{c}"),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    fn field() -> impl Strategy<Value = String> {
        "[a-z][a-z0-9_]{0,5}(\\.[a-z0-9_]{1,5}){0,2}(\\[[0-9]{1,2}\\])?"
            .prop_filter("keywords", |f| !matches!(f.as_str(), "and" | "or" | "not"))
    }

    fn check() -> impl Strategy<Value = Expr> {
        let cmp = prop_oneof![
            Just(CmpOp::Eq),
            Just(CmpOp::Ne),
            Just(CmpOp::Lt),
            Just(CmpOp::Le),
            Just(CmpOp::Gt),
            Just(CmpOp::Ge),
            Just(CmpOp::Contains),
            Just(CmpOp::IContains),
            Just(CmpOp::StartsWith),
            Just(CmpOp::EndsWith),
            Just(CmpOp::Glob),
        ];
        let list = prop_oneof![Just(ListOp::In), Just(ListOp::Intersects), Just(ListOp::Pmatch)];
        let value = proptest::collection::vec(any::<u8>(), 0..12);
        let test = prop_oneof![
            Just(Test::Exists),
            (cmp, value.clone()).prop_map(|(o, v)| Test::Cmp(o, v)),
            (list, proptest::collection::vec(value, 0..4)).prop_map(|(o, v)| Test::List(o, v)),
        ];
        (field(), test).prop_map(|(field, test)| Expr::Check(Check { field, test, offset: 0 }))
    }

    fn expr() -> impl Strategy<Value = Expr> {
        check().prop_recursive(4, 24, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 2..4).prop_map(Expr::And),
                proptest::collection::vec(inner.clone(), 2..4).prop_map(Expr::Or),
                inner.prop_map(|e| Expr::Not(Box::new(e))),
            ]
        })
    }

    proptest! {
        #[test]
        fn printed_filters_parse_back_unchanged(e in expr()) {
            let text = e.to_string();
            let back = crate::parse::parse(&text).map_err(|err| TestCaseError::fail(format!("{text}: {err}")))?;
            prop_assert_eq!(back.without_offsets(), e, "{}", text);
        }
    }
}
