//! Socket addresses and tuples: from the probe's `scap_sock` items and raw user sockaddrs to
//! libscap's SOCKADDR and SOCKTUPLE parameter layouts.

use crate::abi::Sock;

const AF_UNIX: u16 = 1;
const AF_INET: u16 = 2;
const AF_INET6: u16 = 10;

/// A user `struct sockaddr` (as the program passed it) in libscap's SOCKADDR layout: family
/// byte, address, host-order port; unix sockets carry their NUL-terminated path.
pub fn sockaddr(raw: &[u8]) -> Vec<u8> {
    if raw.len() < 2 {
        return Vec::new();
    }
    let family = u16::from_le_bytes([raw[0], raw[1]]);
    match family {
        AF_INET if raw.len() >= 8 => {
            let mut v = vec![AF_INET as u8];
            v.extend_from_slice(&raw[4..8]);
            v.extend_from_slice(&u16::from_be_bytes([raw[2], raw[3]]).to_le_bytes());
            v
        }
        AF_INET6 if raw.len() >= 24 => {
            let mut v = vec![AF_INET6 as u8];
            v.extend_from_slice(&raw[8..24]);
            v.extend_from_slice(&u16::from_be_bytes([raw[2], raw[3]]).to_le_bytes());
            v
        }
        AF_UNIX => {
            let mut v = vec![AF_UNIX as u8];
            v.extend_from_slice(unix_path(&raw[2..]));
            v.push(0);
            v
        }
        _ => vec![family as u8],
    }
}

/// The path of a unix socket address: up to the first NUL, or `@name` for abstract sockets.
fn unix_path(p: &[u8]) -> &[u8] {
    let p = if p.first() == Some(&0) && p.len() > 1 { &p[1..] } else { p };
    let end = p.iter().position(|&c| c == 0).unwrap_or(p.len());
    &p[..end]
}

/// The address and host-order port of a user sockaddr, for filling in the remote end of an
/// unconnected socket.
fn addr_port(raw: &[u8]) -> Option<(Vec<u8>, u16)> {
    let family = u16::from_le_bytes([*raw.first()?, *raw.get(1)?]);
    match family {
        AF_INET if raw.len() >= 8 => Some((raw[4..8].to_vec(), u16::from_be_bytes([raw[2], raw[3]]))),
        AF_INET6 if raw.len() >= 24 => Some((raw[8..24].to_vec(), u16::from_be_bytes([raw[2], raw[3]]))),
        _ => None,
    }
}

/// A socket's tuple in libscap's SOCKTUPLE layout. `inbound` puts the peer first (accept,
/// receives), as libscap does; `user_addr` supplies the peer of an unconnected socket.
pub fn tuple(s: &Sock, unix_path_item: Option<&[u8]>, inbound: bool, user_addr: Option<&[u8]>) -> Vec<u8> {
    match s.family {
        AF_INET | AF_INET6 => {
            let w = if s.family == AF_INET { 4 } else { 16 };
            let local = (s.laddr[..w].to_vec(), s.lport);
            let mut remote = (s.raddr[..w].to_vec(), s.rport);
            if remote.1 == 0 {
                if let Some((a, p)) = user_addr.and_then(addr_port) {
                    if a.len() == w {
                        remote = (a, p);
                    }
                }
            }
            let (src, dst) = if inbound { (remote, local) } else { (local, remote) };
            let mut v = vec![s.family as u8];
            v.extend_from_slice(&src.0);
            v.extend_from_slice(&src.1.to_le_bytes());
            v.extend_from_slice(&dst.0);
            v.extend_from_slice(&dst.1.to_le_bytes());
            v
        }
        AF_UNIX => {
            let mut v = vec![AF_UNIX as u8];
            v.extend_from_slice(&s.sk.to_le_bytes());
            v.extend_from_slice(&s.peer.to_le_bytes());
            let path = unix_path_item.map(unix_path).unwrap_or_default();
            v.extend_from_slice(path);
            v.push(0);
            v
        }
        other => vec![other as u8],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inet_sockaddr_has_host_order_port() {
        // sockaddr_in for 127.0.0.1:8080
        let raw = [2, 0, 0x1f, 0x90, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(sockaddr(&raw), vec![2, 127, 0, 0, 1, 0x90, 0x1f]);
    }

    #[test]
    fn tuple_orders_by_direction() {
        let s = Sock {
            family: 2,
            lport: 40000,
            rport: 80,
            laddr: [127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            raddr: [127, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            ..Sock::default()
        };
        let out = tuple(&s, None, false, None);
        assert_eq!(out, [2, 127, 0, 0, 1, 0x40, 0x9c, 127, 0, 0, 2, 80, 0]);
        let inb = tuple(&s, None, true, None);
        assert_eq!(&inb[1..5], &[127, 0, 0, 2]);
    }

    #[test]
    fn unconnected_udp_takes_the_peer_from_the_user_address() {
        let s = Sock {
            family: 2,
            lport: 5000,
            laddr: [127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            ..Sock::default()
        };
        let user = [2, 0, 0x1f, 0x90, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0];
        let out = tuple(&s, None, false, Some(&user));
        assert_eq!(&out[7..], &[127, 0, 0, 1, 0x90, 0x1f]);
    }
}
