//! Shell wildcard matching as fnmatch(3) does it with no flags, which is what sysdig's `glob` uses:
//! `*` matches any run of bytes (slashes and leading dots included), `?` one byte, `[...]` a set
//! (`!` or `^` negates; ranges; `[:alpha:]`-style classes), and `\` quotes the next byte.

/// Whether `text` matches `pattern`.
pub fn glob_match(pattern: &[u8], text: &[u8]) -> bool {
    // Iterative matching with one backtrack point for the last `*`: linear in practice.
    let (mut p, mut t) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() {
            match pattern[p] {
                b'*' => {
                    star = Some((p, t));
                    p += 1;
                    continue;
                }
                b'?' => {
                    p += 1;
                    t += 1;
                    continue;
                }
                b'[' => {
                    if let Some((matched, next)) = bracket(pattern, p, text[t]) {
                        if matched {
                            p = next;
                            t += 1;
                            continue;
                        }
                    } else if text[t] == b'[' {
                        // An unclosed bracket is a literal '['.
                        p += 1;
                        t += 1;
                        continue;
                    }
                }
                b'\\' if p + 1 < pattern.len() => {
                    if pattern[p + 1] == text[t] {
                        p += 2;
                        t += 1;
                        continue;
                    }
                }
                c => {
                    if c == text[t] {
                        p += 1;
                        t += 1;
                        continue;
                    }
                }
            }
        }
        match star {
            Some((sp, st)) => {
                p = sp + 1;
                t = st + 1;
                star = Some((sp, st + 1));
            }
            None => return false,
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}

/// Matches one byte against the bracket expression starting at `pattern[start] == '['`.
/// Returns whether it matched and where the pattern continues, or `None` if the bracket is unclosed.
fn bracket(pattern: &[u8], start: usize, c: u8) -> Option<(bool, usize)> {
    let mut i = start + 1;
    let negate = matches!(pattern.get(i), Some(b'!') | Some(b'^'));
    if negate {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    loop {
        let &b = pattern.get(i)?;
        if b == b']' && !first {
            i += 1;
            break;
        }
        first = false;
        if b == b'[' && pattern.get(i + 1) == Some(&b':') {
            let rest = &pattern[i + 2..];
            if let Some(end) = rest.windows(2).position(|w| w == b":]") {
                let class = &rest[..end];
                if class_matches(class, c) {
                    matched = true;
                }
                i += 2 + end + 2;
                continue;
            }
        }
        let (lo, after) = if b == b'\\' && i + 1 < pattern.len() { (pattern[i + 1], i + 2) } else { (b, i + 1) };
        if pattern.get(after) == Some(&b'-') && pattern.get(after + 1).is_some_and(|&x| x != b']') {
            let hi_idx = after + 1;
            let (hi, next) = if pattern[hi_idx] == b'\\' && hi_idx + 1 < pattern.len() {
                (pattern[hi_idx + 1], hi_idx + 2)
            } else {
                (pattern[hi_idx], hi_idx + 1)
            };
            if lo <= c && c <= hi {
                matched = true;
            }
            i = next;
        } else {
            if lo == c {
                matched = true;
            }
            i = after;
        }
    }
    Some((matched != negate, i))
}

fn class_matches(class: &[u8], c: u8) -> bool {
    match class {
        b"alpha" => c.is_ascii_alphabetic(),
        b"digit" => c.is_ascii_digit(),
        b"alnum" => c.is_ascii_alphanumeric(),
        b"upper" => c.is_ascii_uppercase(),
        b"lower" => c.is_ascii_lowercase(),
        b"space" => matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c),
        b"blank" => c == b' ' || c == b'\t',
        b"punct" => c.is_ascii_punctuation(),
        b"print" => (0x20..0x7f).contains(&c),
        b"graph" => c.is_ascii_graphic(),
        b"cntrl" => c.is_ascii_control(),
        b"xdigit" => c.is_ascii_hexdigit(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    fn check(p: &str, t: &str, expected: bool) {
        assert_eq!(glob_match(p.as_bytes(), t.as_bytes()), expected, "{p} vs {t}");
    }

    #[test]
    fn wildcards() {
        check("*", "", true);
        check("*", "/etc/passwd", true);
        check("/etc/*", "/etc/a/b", true);
        check("*.so", "libc.so", true);
        check("*.so", "libc.so.6", false);
        check("*.so*", "libc.so.6", true);
        check("?at", "cat", true);
        check("?at", "at", false);
        check("a*b*c", "aXbYc", true);
        check("a*b*c", "aXbYd", false);
        check("", "", true);
        check("", "a", false);
    }

    #[test]
    fn brackets() {
        check("[ch]at", "cat", true);
        check("[ch]at", "bat", false);
        check("[!ch]at", "bat", true);
        check("[^ch]at", "cat", false);
        check("[a-c]x", "bx", true);
        check("[]]", "]", true);
        check("[[:digit:]]*", "7up", true);
        check("[[:digit:]]*", "up", false);
        check("[abc", "[abc", true);
        check(r"\*", "*", true);
        check(r"\*", "a", false);
    }
}
