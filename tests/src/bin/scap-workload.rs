//! A small workload for the live capture tests: deterministic socket and thread activity that
//! the shell cannot produce portably.
//!
//! Usage: scap-workload tcp | udp | threads N | spin MS

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream, UdpSocket};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let result = match args.get(1).map(String::as_str) {
        Some("tcp") => tcp(),
        Some("udp") => udp(),
        Some("threads") => threads(args.get(2).and_then(|n| n.parse().ok()).unwrap_or(2)),
        Some("spin") => spin(args.get(2).and_then(|n| n.parse().ok()).unwrap_or(2000)),
        _ => Err(std::io::Error::other("usage: scap-workload tcp | udp | threads N | spin MS")),
    };
    if let Err(e) = result {
        eprintln!("scap-workload: {e}");
        std::process::exit(2);
    }
}

/// Burns CPU in user space for `ms` milliseconds, making no syscall while it does (the clock
/// is read through the vDSO).
fn spin(ms: u64) -> std::io::Result<()> {
    let end = std::time::Instant::now() + std::time::Duration::from_millis(ms);
    let mut x = 1u64;
    while std::time::Instant::now() < end {
        for _ in 0..10_000 {
            x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
        }
    }
    std::hint::black_box(x);
    Ok(())
}

/// Connects to a listener on loopback, exchanges "ping" and "pong", prints the two ports.
fn tcp() -> std::io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let server_port = listener.local_addr()?.port();
    let mut client = TcpStream::connect(("127.0.0.1", server_port))?;
    let (mut conn, peer) = listener.accept()?;
    client.write_all(b"ping")?;
    let mut buf = [0u8; 4];
    conn.read_exact(&mut buf)?;
    conn.write_all(b"pong")?;
    client.read_exact(&mut buf)?;
    println!("{} {}", peer.port(), server_port);
    Ok(())
}

/// Sends "hello" from one UDP socket to another on loopback, prints both ports.
fn udp() -> std::io::Result<()> {
    let a = UdpSocket::bind("127.0.0.1:0")?;
    let b = UdpSocket::bind("127.0.0.1:0")?;
    let b_port = b.local_addr()?.port();
    a.send_to(b"hello", ("127.0.0.1", b_port))?;
    let mut buf = [0u8; 16];
    let (n, from) = b.recv_from(&mut buf)?;
    assert_eq!(&buf[..n], b"hello");
    println!("{} {}", from.port(), b_port);
    Ok(())
}

/// Starts N threads; each writes "thread I" to /dev/null and ends.
fn threads(n: usize) -> std::io::Result<()> {
    let handles: Vec<_> = (0..n)
        .map(|i| {
            std::thread::spawn(move || -> std::io::Result<()> {
                let mut f = std::fs::OpenOptions::new().write(true).open("/dev/null")?;
                f.write_all(format!("thread {i}").as_bytes())
            })
        })
        .collect();
    for h in handles {
        h.join().map_err(|_| std::io::Error::other("thread panicked"))??;
    }
    Ok(())
}
