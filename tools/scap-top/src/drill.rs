//! Drill-down: the stack of selections made with Enter, and the filter it adds up to.
//!
//! Each level remembers the key field and value that was selected and the filter of the view it
//! was selected in (when that view propagates it). The filter of the whole stack is built the way
//! csysdig builds it, so that `-j` output reports the same `filterTemplate`:
//! `((view filter) and field=value) and (...)`.

use scap_common::schema::ParamType;

/// The placeholder csysdig puts where the selected value goes in `filterTemplate`.
pub const TEMPLATE_MAGIC: &str = "@#$f1CA^&;";

/// One drill-down step.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Level {
    /// The field filtered on (the key of the view the selection was made in).
    pub field: String,
    /// The value, ready to go after `=` (quoted when csysdig quotes it).
    pub value: String,
    /// The key column applies only to the view drilled into, not deeper ones.
    pub child_only: bool,
    /// The filter of the view the selection was made in, when it propagates.
    pub view_filter: String,
}

/// `a and b`, parenthesized, leaving out empty sides.
pub fn combine(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => b.to_string(),
        (false, true) => a.to_string(),
        (false, false) => format!("({a}) and ({b})"),
    }
}

/// The filter a stack of selections adds up to. With `templated`, the last value is replaced by
/// `TEMPLATE_MAGIC`.
pub fn stack_filter(levels: &[Level], templated: bool) -> String {
    let n = levels.len();
    let mut res = String::new();
    for (j, level) in levels.iter().enumerate() {
        let has_filter = !level.view_filter.is_empty();
        let before = res.len();
        if n > 1 {
            res.push('(');
        }
        if has_filter {
            res.push('(');
            res.push_str(&level.view_filter);
            res.push(')');
        }
        if !(level.field.is_empty() || level.child_only && j + 1 < n) {
            if has_filter {
                res.push_str(" and ");
            }
            res.push_str(&level.field);
            res.push('=');
            if templated && j + 1 == n {
                res.push('"');
                res.push_str(TEMPLATE_MAGIC);
                res.push('"');
            } else {
                res.push_str(&level.value);
            }
        }
        if res.len() != before {
            if n > 1 {
                res.push(')');
            }
            res.push_str(" and ");
            if res.ends_with("() and ") {
                res.truncate(res.len() - "() and ".len());
            }
        }
    }
    if res.ends_with(" and ") {
        res.truncate(res.len() - " and ".len());
    }
    res
}

/// A selected key value as it goes into a drill-down filter. csysdig quotes values whose type
/// shares a bit with `CHARBUF` in libscap's numbering (text, but also `UINT32`, `PID`, addresses
/// ...); quotes and backslashes inside are escaped so the filter parses.
pub fn filter_value(ptype: ParamType, value: &str) -> String {
    const CHARBUF: u32 = ParamType::Charbuf as u32;
    if (ptype as u32) & CHARBUF != 0 {
        let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
        format!("\"{escaped}\"")
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn level(field: &str, value: &str, view_filter: &str) -> Level {
        Level { field: field.into(), value: value.into(), child_only: false, view_filter: view_filter.into() }
    }

    #[test]
    fn one_level_as_csysdig_writes_it() {
        let l = [level("proc.pid", "1077", "evt.type!=switch")];
        assert_eq!(stack_filter(&l, false), "(evt.type!=switch) and proc.pid=1077");
        assert_eq!(stack_filter(&l, true), "(evt.type!=switch) and proc.pid=\"@#$f1CA^&;\"");
        let whole = combine(&stack_filter(&l, true), "evt.type!=switch");
        assert_eq!(whole, "((evt.type!=switch) and proc.pid=\"@#$f1CA^&;\") and (evt.type!=switch)");
    }

    #[test]
    fn several_levels_are_parenthesized() {
        let l = [level("proc.pid", "1", "evt.type!=switch"), level("thread.tid", "2", "")];
        assert_eq!(stack_filter(&l, false), "((evt.type!=switch) and proc.pid=1) and (thread.tid=2)");
        let empty = [level("", "", ""), level("fd.name", "\"/etc\"", "")];
        assert_eq!(stack_filter(&empty, false), "(fd.name=\"/etc\")");
    }

    #[test]
    fn child_only_keys_filter_only_the_next_view() {
        let mut a = level("span.rawparenttime", "5", "");
        a.child_only = true;
        let l = [a.clone(), level("span.id", "7", "")];
        assert_eq!(stack_filter(&l, false), "(span.id=7)");
        assert_eq!(stack_filter(&[a], false), "span.rawparenttime=5");
    }

    #[test]
    fn quoting_follows_csysdig() {
        assert_eq!(filter_value(ParamType::Charbuf, "open"), "\"open\"");
        assert_eq!(filter_value(ParamType::Int64, "42"), "42");
        assert_eq!(filter_value(ParamType::Port, "80"), "80");
        assert_eq!(filter_value(ParamType::Uint32, "3"), "\"3\"");
        assert_eq!(filter_value(ParamType::Charbuf, "a\"b"), "\"a\\\"b\"");
    }
}
