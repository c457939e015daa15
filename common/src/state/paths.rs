//! Path joining as libsinsp does it, quirks included, so resolved names match sysdig's.
//!
//! A relative path is appended to a base directory; then `..`, `.` and repeated `/` are folded
//! while copying, unprintable bytes become `.`, and a trailing `/` is dropped. The folding looks at
//! the bytes being copied, not at path components, exactly like libsinsp's copier: `a../b` rewinds.

/// The buffer size libsinsp joins paths into (`SCAP_MAX_PATH_SIZE`).
pub const MAX_PATH: usize = 1024;

/// Joins `path` (a C string: it ends at its first NUL) to `base`. Returns the joined path and
/// whether `path` was relative (libsinsp returns false for absolute or empty paths, and callers
/// that show a "resolved" path then show nothing).
pub fn concatenate(base: &[u8], path: &[u8]) -> (Vec<u8>, bool) {
    concatenate_limited(base, path, usize::MAX)
}

/// `concatenate` into a buffer of `limit` bytes: if base, path and a NUL do not fit, the result
/// is `/PATH_TOO_LONG`, as libsinsp writes.
pub fn concatenate_limited(base: &[u8], path: &[u8], limit: usize) -> (Vec<u8>, bool) {
    if limit < base.len() + path.len() + 1 {
        return (b"/PATH_TOO_LONG".to_vec(), false);
    }
    let cpath = until_nul(path);
    let mut out = Vec::with_capacity(base.len() + cpath.len());
    if !path.is_empty() && path[0] != b'/' {
        out.extend_from_slice(base);
        let start = out.len();
        copy_and_fold(&mut out, start, cpath);
        (out, true)
    } else {
        copy_and_fold(&mut out, 0, cpath);
        (out, false)
    }
}

/// The bytes of a C string up to its first NUL.
pub fn until_nul(b: &[u8]) -> &[u8] {
    match find_nul(b) {
        Some(n) => &b[..n],
        None => b,
    }
}

/// The position of the first NUL byte, eight bytes at a time (a byte loop with an early exit
/// is not vectorized, and names and printed values are looked through on every event).
#[inline]
pub fn find_nul(s: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let mut chunks = s.chunks_exact(8);
    let mut at = 0;
    for c in &mut chunks {
        let v = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        // Some byte of v is zero exactly when this is nonzero.
        if v.wrapping_sub(ONES) & !v & HIGHS != 0 {
            return c.iter().position(|&b| b == 0).map(|p| at + p);
        }
        at += 8;
    }
    chunks.remainder().iter().position(|&b| b == 0).map(|p| at + p)
}

fn is_print(c: u8) -> bool {
    (0x20..0x7f).contains(&c)
}

/// Removes the last byte, then bytes up to (not including) the previous `/`.
fn rewind(out: &mut Vec<u8>) {
    if out.len() <= 1 {
        return;
    }
    out.pop();
    while !out.is_empty() && out[out.len() - 1] != b'/' {
        out.pop();
    }
}

fn copy_and_fold(out: &mut Vec<u8>, _start: usize, path: &[u8]) {
    let at = |i: usize| path.get(i).copied().unwrap_or(0);
    let mut i = 0;
    loop {
        let c = at(i);
        if c == 0 {
            if out.len() > 1 && out[out.len() - 1] == b'/' {
                out.pop();
            }
            return;
        }
        if !is_print(c) {
            out.push(b'.');
            i += 1;
        } else if c == b'.' && at(i + 1) == b'.' && at(i + 2) == b'/' {
            rewind(out);
            i += 3;
        } else if c == b'.' && at(i + 1) == b'.' {
            if at(i + 2) == 0 {
                rewind(out);
                i += 2;
            } else {
                out.extend_from_slice(b"..");
                i += 2;
            }
        } else if c == b'.' && at(i + 1) == b'/' {
            i += 2;
        } else if c == b'.' {
            if at(i + 1) != 0 {
                out.push(b'.');
            }
            i += 1;
        } else if c == b'/' {
            if out.last() != Some(&b'/') {
                out.push(b'/');
            }
            i += 1;
        } else {
            out.push(c);
            i += 1;
        }
    }
}

/// Removes every byte outside printable ASCII (libsinsp's `sanitize_string`).
pub fn sanitize(b: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    if b.iter().all(|&c| is_print(c)) {
        std::borrow::Cow::Borrowed(b)
    } else {
        std::borrow::Cow::Owned(b.iter().copied().filter(|&c| is_print(c)).collect())
    }
}

/// Appends `b` without the bytes `sanitize` removes.
pub fn push_sanitized(out: &mut Vec<u8>, b: &[u8]) {
    if b.iter().all(|&c| is_print(c)) {
        out.extend_from_slice(b);
    } else {
        out.extend(b.iter().copied().filter(|&c| is_print(c)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn join(base: &str, path: &str) -> String {
        String::from_utf8(concatenate(base.as_bytes(), path.as_bytes()).0).expect("utf8")
    }

    #[test]
    fn joins_like_libsinsp() {
        assert_eq!(join("/home/u/", "a.txt\0"), "/home/u/a.txt");
        assert_eq!(join("/home/u/", "../x/./y\0"), "/home/x/y");
        assert_eq!(join("/home/u/", "/etc//passwd\0"), "/etc/passwd");
        assert_eq!(join("/", "..\0"), "/");
        assert_eq!(join("/tmp/", "\0"), "/tmp");
        assert_eq!(join("/a/b/", "dir/\0"), "/a/b/dir");
        assert_eq!(join("", "/x\u{1}y\0"), "/x.y");
    }

    #[test]
    fn absolute_paths_are_not_relative() {
        assert!(!concatenate(b"/cwd/", b"/etc\0").1);
        assert!(concatenate(b"/cwd/", b"etc\0").1);
        assert_eq!(concatenate_limited(b"/a/", b"bcd\0", 6).0, b"/PATH_TOO_LONG");
    }
}
