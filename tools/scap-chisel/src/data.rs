//! Lua files as data: runs a chunk in a bare Lua state and hands back one of its globals as
//! plain JSON-like data, for programs that keep definitions in Lua (csysdig's view files for
//! scap-top) without depending on Lua themselves.
//!
//! A Lua table whose keys are exactly 1..n becomes an array, any other table an object (keys as
//! text); numbers, strings and booleans map to themselves; functions and other values become
//! `null`.

use mlua::{Lua, Table, Value as LuaValue};
use serde_json::{Map, Number, Value};

/// Runs `source` (named `chunk` in error messages) and returns global `global` as data, or
/// `None` when the chunk does not set it. Errors are one line: the Lua error with its position.
pub fn eval_global(source: &str, chunk: &str, global: &str) -> Result<Option<Value>, String> {
    let lua = Lua::new();
    lua.load(source).set_name(format!("@{chunk}")).exec().map_err(|e| crate::chisel::lua_error_line(&e))?;
    let v: LuaValue = lua.globals().get(global).map_err(|e| crate::chisel::lua_error_line(&e))?;
    if v.is_nil() {
        return Ok(None);
    }
    Ok(Some(to_data(&v, 0)?))
}

/// Tables nested deeper than this are refused (a table that contains itself).
const MAX_DEPTH: usize = 64;

fn to_data(v: &LuaValue, depth: usize) -> Result<Value, String> {
    Ok(match v {
        LuaValue::Nil => Value::Null,
        LuaValue::Boolean(b) => Value::Bool(*b),
        LuaValue::Integer(i) => Value::Number((*i).into()),
        LuaValue::Number(n) => Number::from_f64(*n).map_or(Value::Null, Value::Number),
        LuaValue::String(s) => Value::String(s.to_string_lossy()),
        LuaValue::Table(t) => {
            if depth >= MAX_DEPTH {
                return Err("tables nested too deep (does a table contain itself?)".into());
            }
            table_to_data(t, depth + 1)?
        }
        _ => Value::Null,
    })
}

fn table_to_data(t: &Table, depth: usize) -> Result<Value, String> {
    let mut pairs = Vec::new();
    for pair in t.pairs::<LuaValue, LuaValue>() {
        let (k, v) = pair.map_err(|e| crate::chisel::lua_error_line(&e))?;
        pairs.push((k, v));
    }
    let n = pairs.len();
    let index = |k: &LuaValue| match k {
        LuaValue::Integer(i) if *i >= 1 && (*i as usize) <= n => Some(*i as usize - 1),
        LuaValue::Number(f) if f.fract() == 0.0 && *f >= 1.0 && (*f as usize) <= n => Some(*f as usize - 1),
        _ => None,
    };
    if n > 0 && pairs.iter().all(|(k, _)| index(k).is_some()) {
        let mut items = vec![Value::Null; n];
        for (k, v) in &pairs {
            if let Some(i) = index(k) {
                items[i] = to_data(v, depth)?;
            }
        }
        return Ok(Value::Array(items));
    }
    let mut map = Map::new();
    for (k, v) in &pairs {
        let key = match k {
            LuaValue::String(s) => s.to_string_lossy(),
            LuaValue::Integer(i) => i.to_string(),
            LuaValue::Number(f) => f.to_string(),
            LuaValue::Boolean(b) => b.to_string(),
            _ => continue,
        };
        map.insert(key, to_data(v, depth)?);
    }
    Ok(Value::Object(map))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tables_become_arrays_and_objects() {
        let src = r#"
            local n = 2
            view_info = { id = "x", size = n * 4, ratio = 0.5, ok = true,
                          cols = { { name = "A" }, { name = "B", tags = {"t"} } }, f = print }
        "#;
        let v = eval_global(src, "v.lua", "view_info").expect("runs").expect("defined");
        assert_eq!(
            v,
            json!({"id": "x", "size": 8, "ratio": 0.5, "ok": true, "f": null,
                   "cols": [{"name": "A"}, {"name": "B", "tags": ["t"]}]})
        );
    }

    #[test]
    fn missing_globals_and_errors() {
        assert_eq!(eval_global("x = 1", "a.lua", "view_info"), Ok(None));
        let e = eval_global("view_info = {", "bad.lua", "view_info").expect_err("syntax error");
        assert!(e.contains("bad.lua"), "{e}");
        let e = eval_global("t = {}; t.me = t; view_info = t", "loop.lua", "view_info").expect_err("cycle");
        assert!(e.contains("too deep"), "{e}");
    }
}
