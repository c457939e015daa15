//! A small HTTP/1.1 client over a unix socket: enough for the Docker, Podman and CRI-O APIs.
//!
//! Hand-written rather than a dependency because the needs are narrow: one `GET` per connection,
//! `Connection: close`, bodies framed by `Content-Length`, chunked encoding or EOF. Every read and
//! write has a deadline, so an unresponsive runtime costs a lookup worker at most `timeout`.

use std::io::{self, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::{Duration, Instant};

/// Bodies larger than this are refused: no container description comes near it.
const MAX_BODY: usize = 32 << 20;

/// A response: status code and body (de-chunked).
#[derive(Debug)]
pub struct Response {
    /// HTTP status code.
    pub status: u16,
    /// The body.
    pub body: Vec<u8>,
}

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// The socket could not be reached (absent, refused, permission denied).
    #[error("cannot connect to {path}: {source}")]
    Connect {
        /// The socket path.
        path: String,
        /// The cause.
        source: io::Error,
    },
    /// The runtime did not answer in time.
    #[error("no answer from {path} within {ms} ms")]
    Timeout {
        /// The socket path.
        path: String,
        /// The deadline that passed.
        ms: u128,
    },
    /// The connection failed after it was made.
    #[error("talking to {path}: {source}")]
    Io {
        /// The socket path.
        path: String,
        /// The cause.
        source: io::Error,
    },
    /// The answer is not HTTP/1.x as expected.
    #[error("bad answer from {path}: {what}")]
    Protocol {
        /// The socket path.
        path: String,
        /// What is wrong.
        what: String,
    },
}

impl HttpError {
    /// Whether the runtime is not there at all (as opposed to answering badly or slowly).
    pub fn is_unreachable(&self) -> bool {
        matches!(self, HttpError::Connect { .. })
    }
}

/// Sends `GET path` to the HTTP server on the unix socket `socket` and reads the whole answer.
pub fn get(socket: &Path, path: &str, timeout: Duration) -> Result<Response, HttpError> {
    let name = socket.display().to_string();
    let deadline = Instant::now() + timeout;
    let mut stream = UnixStream::connect(socket).map_err(|source| HttpError::Connect { path: name.clone(), source })?;
    let io_err = |source: io::Error| {
        if matches!(source.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) {
            HttpError::Timeout { path: name.clone(), ms: timeout.as_millis() }
        } else {
            HttpError::Io { path: name.clone(), source }
        }
    };
    stream.set_write_timeout(Some(timeout)).map_err(io_err)?;
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nUser-Agent: scap-enrich\r\nAccept: application/json\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).map_err(io_err)?;
    let mut raw = Vec::with_capacity(8192);
    let mut buf = [0u8; 16384];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(HttpError::Timeout { path: name.clone(), ms: timeout.as_millis() });
        }
        stream.set_read_timeout(Some(left)).map_err(io_err)?;
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                raw.extend_from_slice(&buf[..n]);
                if raw.len() > MAX_BODY {
                    return Err(HttpError::Protocol { path: name, what: "answer too large".into() });
                }
                // A server that keeps the connection open despite `Connection: close` is done
                // once the framing says so.
                if let Some(Ok(resp)) = parse(&raw, false) {
                    return Ok(resp);
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(io_err(e)),
        }
    }
    match parse(&raw, true) {
        Some(Ok(resp)) => Ok(resp),
        Some(Err(what)) => Err(HttpError::Protocol { path: name, what }),
        None => Err(HttpError::Protocol { path: name, what: "answer cut short".into() }),
    }
}

/// Parses a complete response; `None` when more bytes are needed (unless `at_eof`, where a body
/// without length ends at EOF).
fn parse(raw: &[u8], at_eof: bool) -> Option<Result<Response, String>> {
    let head_end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = match std::str::from_utf8(&raw[..head_end]) {
        Ok(h) => h,
        Err(_) => return Some(Err("header is not text".into())),
    };
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let mut parts = status_line.splitn(3, ' ');
    let version = parts.next().unwrap_or_default();
    if !version.starts_with("HTTP/1.") {
        return Some(Err(format!("status line {status_line:?}")));
    }
    let Some(status) = parts.next().and_then(|s| s.parse::<u16>().ok()) else {
        return Some(Err(format!("status line {status_line:?}")));
    };
    let mut content_length = None;
    let mut chunked = false;
    for line in lines {
        let Some((k, v)) = line.split_once(':') else { continue };
        let v = v.trim();
        if k.eq_ignore_ascii_case("content-length") {
            content_length = v.parse::<usize>().ok();
        } else if k.eq_ignore_ascii_case("transfer-encoding") && v.to_ascii_lowercase().contains("chunked") {
            chunked = true;
        }
    }
    let body = &raw[head_end + 4..];
    if chunked {
        return match dechunk(body) {
            Some(Ok(b)) => Some(Ok(Response { status, body: b })),
            Some(Err(e)) => Some(Err(e)),
            None if at_eof => Some(Err("chunked body cut short".into())),
            None => None,
        };
    }
    match content_length {
        Some(n) if body.len() >= n => Some(Ok(Response { status, body: body[..n].to_vec() })),
        Some(_) if at_eof => Some(Err("body shorter than its Content-Length".into())),
        Some(_) => None,
        None if at_eof || status == 204 || status == 304 => Some(Ok(Response { status, body: body.to_vec() })),
        None => None,
    }
}

/// Decodes a chunked body; `None` when incomplete.
fn dechunk(mut b: &[u8]) -> Option<Result<Vec<u8>, String>> {
    let mut out = Vec::new();
    loop {
        let line_end = b.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&b[..line_end]).unwrap_or("");
        let size_text = size_text.split(';').next().unwrap_or("").trim();
        let Ok(size) = usize::from_str_radix(size_text, 16) else {
            return Some(Err(format!("bad chunk size {size_text:?}")));
        };
        b = &b[line_end + 2..];
        if size == 0 {
            return Some(Ok(out));
        }
        if b.len() < size + 2 {
            return None;
        }
        out.extend_from_slice(&b[..size]);
        b = &b[size + 2..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(raw: &str, expected: Option<(u16, &str)>) {
        let got =
            parse(raw.as_bytes(), true).map(|r| r.map(|r| (r.status, String::from_utf8_lossy(&r.body).into_owned())));
        assert_eq!(got.map(|r| r.map_err(|_| ())), expected.map(|(s, b)| Ok((s, b.to_string()))), "{raw:?}");
    }

    #[test]
    fn framing() {
        check("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}", Some((200, "{}")));
        check(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n",
            Some((200, "abcde")),
        );
        check("HTTP/1.0 404 Not Found\r\nServer: x\r\n\r\nno such container", Some((404, "no such container")));
    }

    #[test]
    fn incomplete_answers_wait_for_more() {
        assert!(parse(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab", false).is_none());
        assert!(parse(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nab", false).is_none());
        assert!(parse(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab", true).is_some_and(|r| r.is_err()));
    }

    #[test]
    fn garbage_is_an_error() {
        assert!(parse(b"SSH-2.0-OpenSSH\r\n\r\n", true).is_some_and(|r| r.is_err()));
    }
}
