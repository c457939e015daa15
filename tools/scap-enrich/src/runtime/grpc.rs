//! A minimal gRPC client: one unary call per connection, over HTTP/2 with prior knowledge on a
//! unix socket, for the CRI API of containerd and CRI-O.
//!
//! Hand-written for the same reason as `http.rs`: the tool needs two calls of one API. The
//! request headers are sent as HPACK literals (no table, no Huffman coding); the response
//! headers are skipped without decoding, because the answer is in the DATA frames: a call that
//! fails comes back with trailers only, which `call` reports as `Ok(None)`.

use std::io::{self, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::{Duration, Instant};

use super::http::HttpError;

const PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
const DATA: u8 = 0;
const HEADERS: u8 = 1;
const RST_STREAM: u8 = 3;
const SETTINGS: u8 = 4;
const PING: u8 = 6;
const GOAWAY: u8 = 7;
const END_STREAM: u8 = 1;
const END_HEADERS: u8 = 4;
const ACK: u8 = 1;
/// The flow-control window we grant: answers are far smaller.
const WINDOW: u32 = 16 << 20;
/// Answers larger than this are refused.
const MAX_ANSWER: usize = 16 << 20;

fn frame(out: &mut Vec<u8>, kind: u8, flags: u8, stream: u32, payload: &[u8]) {
    let len = payload.len() as u32;
    out.extend_from_slice(&len.to_be_bytes()[1..]);
    out.push(kind);
    out.push(flags);
    out.extend_from_slice(&stream.to_be_bytes());
    out.extend_from_slice(payload);
}

/// An HPACK integer with an `n`-bit prefix whose high bits are `first`.
fn hpack_int(out: &mut Vec<u8>, first: u8, n: u8, mut v: usize) {
    let max = (1usize << n) - 1;
    if v < max {
        out.push(first | v as u8);
        return;
    }
    out.push(first | max as u8);
    v -= max;
    while v >= 128 {
        out.push((v % 128) as u8 | 0x80);
        v /= 128;
    }
    out.push(v as u8);
}

fn hpack_str(out: &mut Vec<u8>, s: &str) {
    hpack_int(out, 0, 7, s.len());
    out.extend_from_slice(s.as_bytes());
}

/// A header field as a literal without indexing, its name from the static table (`index`) or
/// given (`index` 0).
fn hpack_literal(out: &mut Vec<u8>, index: usize, name: &str, value: &str) {
    hpack_int(out, 0, 4, index);
    if index == 0 {
        hpack_str(out, name);
    }
    hpack_str(out, value);
}

/// The request: preface, settings, window, headers and the length-prefixed message.
fn request(path: &str, message: &[u8]) -> Vec<u8> {
    let mut out = PREFACE.to_vec();
    let mut settings = Vec::new();
    settings.extend_from_slice(&2u16.to_be_bytes()); // ENABLE_PUSH
    settings.extend_from_slice(&0u32.to_be_bytes());
    settings.extend_from_slice(&4u16.to_be_bytes()); // INITIAL_WINDOW_SIZE
    settings.extend_from_slice(&WINDOW.to_be_bytes());
    frame(&mut out, SETTINGS, 0, 0, &settings);
    frame(&mut out, 8, 0, 0, &(WINDOW - 65_535).to_be_bytes()); // WINDOW_UPDATE of the connection
    let mut block = vec![0x83, 0x86]; // :method POST, :scheme http (static table 3 and 6)
    hpack_literal(&mut block, 4, "", path); // :path
    hpack_literal(&mut block, 1, "", "localhost"); // :authority
    hpack_literal(&mut block, 31, "", "application/grpc"); // content-type
    hpack_literal(&mut block, 0, "te", "trailers");
    frame(&mut out, HEADERS, END_HEADERS, 1, &block);
    let mut body = vec![0];
    body.extend_from_slice(&(message.len() as u32).to_be_bytes());
    body.extend_from_slice(message);
    frame(&mut out, DATA, END_STREAM, 1, &body);
    out
}

/// Calls `path` (`/package.Service/Method`) with a serialized request message; the answer's
/// message, or `None` when the server answered with an error status.
pub fn call(socket: &Path, path: &str, message: &[u8], timeout: Duration) -> Result<Option<Vec<u8>>, HttpError> {
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
    let bad = |what: &str| HttpError::Protocol { path: name.clone(), what: what.to_string() };
    stream.set_write_timeout(Some(timeout)).map_err(io_err)?;
    stream.write_all(&request(path, message)).map_err(io_err)?;
    let mut data = Vec::new();
    let read_exact = |stream: &mut UnixStream, buf: &mut [u8]| -> Result<(), HttpError> {
        let mut got = 0;
        while got < buf.len() {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(HttpError::Timeout { path: name.clone(), ms: timeout.as_millis() });
            }
            stream.set_read_timeout(Some(left)).map_err(io_err)?;
            match stream.read(&mut buf[got..]) {
                Ok(0) => return Err(bad("connection closed before the answer ended")),
                Ok(n) => got += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(io_err(e)),
            }
        }
        Ok(())
    };
    loop {
        let mut head = [0u8; 9];
        read_exact(&mut stream, &mut head)?;
        let len = u32::from_be_bytes([0, head[0], head[1], head[2]]) as usize;
        let (kind, flags) = (head[3], head[4]);
        let stream_id = u32::from_be_bytes([head[5], head[6], head[7], head[8]]) & 0x7fff_ffff;
        if len > MAX_ANSWER {
            return Err(bad("frame too large"));
        }
        let mut payload = vec![0u8; len];
        read_exact(&mut stream, &mut payload)?;
        match kind {
            SETTINGS if flags & ACK == 0 => {
                let mut ack = Vec::new();
                frame(&mut ack, SETTINGS, ACK, 0, &[]);
                stream.write_all(&ack).map_err(io_err)?;
            }
            PING if flags & ACK == 0 => {
                let mut pong = Vec::new();
                frame(&mut pong, PING, ACK, 0, &payload);
                stream.write_all(&pong).map_err(io_err)?;
            }
            GOAWAY => return Err(bad("the server closed the connection (GOAWAY)")),
            RST_STREAM if stream_id == 1 => return Err(bad("the server reset the call")),
            DATA if stream_id == 1 => {
                let body = strip_padding(&payload, flags).ok_or_else(|| bad("bad DATA padding"))?;
                data.extend_from_slice(body);
                if data.len() > MAX_ANSWER {
                    return Err(bad("answer too large"));
                }
            }
            _ => {}
        }
        let ends = stream_id == 1 && matches!(kind, DATA | HEADERS) && flags & END_STREAM != 0;
        if ends {
            break;
        }
    }
    if data.is_empty() {
        return Ok(None);
    }
    if data.len() < 5 || data[0] != 0 {
        return Err(bad("compressed or malformed gRPC message"));
    }
    let n = u32::from_be_bytes([data[1], data[2], data[3], data[4]]) as usize;
    data.get(5..5 + n).map(|m| Some(m.to_vec())).ok_or_else(|| bad("gRPC message cut short"))
}

/// A DATA frame's payload without its padding (flag 0x8).
fn strip_padding(payload: &[u8], flags: u8) -> Option<&[u8]> {
    if flags & 0x8 == 0 {
        return Some(payload);
    }
    let pad = usize::from(*payload.first()?);
    payload.get(1..payload.len().checked_sub(pad)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hpack_integers() {
        let mut v = Vec::new();
        hpack_int(&mut v, 0, 5, 10);
        assert_eq!(v, [10]);
        v.clear();
        hpack_int(&mut v, 0, 5, 1337);
        assert_eq!(v, [31, 154, 10], "RFC 7541 C.1.2");
        v.clear();
        hpack_int(&mut v, 0, 4, 31);
        assert_eq!(v, [15, 16]);
    }

    #[test]
    fn request_layout() {
        let r = request("/runtime.v1.RuntimeService/Version", b"\x0a\x02v1");
        assert!(r.starts_with(PREFACE));
        // The last frame is DATA with END_STREAM on stream 1 holding the prefixed message.
        let tail = &r[r.len() - 9 - 9..];
        assert_eq!(&tail[..9], &[0, 0, 9, DATA, END_STREAM, 0, 0, 0, 1]);
        assert_eq!(&tail[9..], &[0, 0, 0, 0, 4, 0x0a, 2, b'v', b'1']);
    }
}
