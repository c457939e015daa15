//! Port names (`-R`): the services database (`/etc/services` format) and the rewriting of the
//! ports in socket names and tuples (`1.2.3.4:80->5.6.7.8:43210` to `...:http->...`).
//!
//! sysdig 0.29.3 resolves a port with the protocol of its socket when that is UDP and as TCP
//! otherwise (port 514 of a UDP socket shows as `syslog`, 514/tcp is `shell`; port 1 of an ICMP
//! socket shows as `tcpmux`); ports no service has stay numbers. The state keeps numbers: names
//! are applied where names and tuples are shown or compared (fd.name, evt.info).

use std::borrow::Cow;
use std::collections::HashMap;

/// Service names by port, for TCP and UDP.
#[derive(Debug, Default, Clone)]
pub struct PortNames {
    tcp: HashMap<u16, String>,
    udp: HashMap<u16, String>,
}

impl PortNames {
    /// Reads a services database: `name port/proto [aliases] [# comment]` lines; the first
    /// name given for a port and protocol wins, as with getservbyport(3).
    pub fn parse(text: &str) -> PortNames {
        let mut names = PortNames::default();
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or_default();
            let mut words = line.split_whitespace();
            let (Some(name), Some(port_proto)) = (words.next(), words.next()) else { continue };
            let Some((port, proto)) = port_proto.split_once('/') else { continue };
            let Ok(port) = port.parse::<u16>() else { continue };
            let table = match proto {
                "tcp" => &mut names.tcp,
                "udp" => &mut names.udp,
                _ => continue,
            };
            table.entry(port).or_insert_with(|| name.to_string());
        }
        names
    }

    /// The service name of a port.
    pub fn name(&self, port: u16, udp: bool) -> Option<&str> {
        if udp { &self.udp } else { &self.tcp }.get(&port).map(String::as_str)
    }

    /// How an fd's `name` is shown: for IP sockets with the ports named (by udp for UDP
    /// sockets, by tcp otherwise), other fds as they are.
    pub fn fd_name<'a>(&self, f: &super::Fd, name: &'a [u8]) -> Cow<'a, [u8]> {
        if f.is_ip() {
            self.rewrite(name, f.l4proto() == super::l4::UDP)
        } else {
            Cow::Borrowed(name)
        }
    }

    /// `text` (an `addr:port` endpoint or a `src->dst` tuple of them) with each port that has a
    /// service name replaced by it.
    pub fn rewrite<'a>(&self, text: &'a [u8], udp: bool) -> Cow<'a, [u8]> {
        let (first, second) = match text.windows(2).position(|w| w == b"->") {
            Some(arrow) => (&text[..arrow], Some(&text[arrow + 2..])),
            None => (text, None),
        };
        let a = self.endpoint(first, udp);
        let b = second.map(|s| self.endpoint(s, udp));
        if a.is_none() && b.as_ref().is_none_or(Option::is_none) {
            return Cow::Borrowed(text);
        }
        let mut out = a.unwrap_or_else(|| first.to_vec());
        if let Some(s) = second {
            out.extend_from_slice(b"->");
            out.extend_from_slice(&b.flatten().unwrap_or_else(|| s.to_vec()));
        }
        Cow::Owned(out)
    }

    /// `addr:name` for an `addr:port` endpoint whose port has a name.
    fn endpoint(&self, e: &[u8], udp: bool) -> Option<Vec<u8>> {
        let colon = e.iter().rposition(|&c| c == b':')?;
        let digits = &e[colon + 1..];
        if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let name = self.name(std::str::from_utf8(digits).ok()?.parse().ok()?, udp)?;
        let mut out = e[..=colon].to_vec();
        out.extend_from_slice(name.as_bytes());
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SERVICES: &str = "tcpmux\t\t1/tcp\t\t\t\t# TCP port service multiplexer\n\
        http\t\t80/tcp\t\twww\n\
        shell\t\t514/tcp\t\tcmd syslog\t# no passwords used\n\
        syslog\t\t514/udp\n\
        domain\t\t53/tcp\ndomain\t\t53/udp\n\
        rtmp\t\t1/ddp\n";

    #[test]
    fn ports_with_a_service_become_its_name() {
        let n = PortNames::parse(SERVICES);
        assert_eq!(n.rewrite(b"172.18.0.1:51910->172.18.0.2:80", false).as_ref(), b"172.18.0.1:51910->172.18.0.2:http");
        assert_eq!(n.rewrite(b"10.0.0.1:53->10.0.0.2:53", true).as_ref(), b"10.0.0.1:domain->10.0.0.2:domain");
        assert_eq!(n.rewrite(b"1.2.3.4:55441->5.6.7.8:514", true).as_ref(), b"1.2.3.4:55441->5.6.7.8:syslog");
        assert_eq!(n.rewrite(b"1.2.3.4:55441->5.6.7.8:514", false).as_ref(), b"1.2.3.4:55441->5.6.7.8:shell");
        assert_eq!(n.rewrite(b"0.0.0.0:1->128.32.41.1:0", false).as_ref(), b"0.0.0.0:tcpmux->128.32.41.1:0");
        assert_eq!(n.rewrite(b":::53", false).as_ref(), b":::domain");
        assert_eq!(
            n.rewrite(b"2600::1:40000->2607:f8b0::2004:80", false).as_ref(),
            b"2600::1:40000->2607:f8b0::2004:http"
        );
        assert_eq!(n.name(1, true), None, "1/ddp is not UDP");
    }

    #[test]
    fn other_text_is_left_alone() {
        let n = PortNames::parse(SERVICES);
        for t in [&b"NULL"[..], b"", b"/run/x", b"ffff88001234->0 /run/x", b"1.2.3.4:43210", b"a:->b:"] {
            assert!(matches!(n.rewrite(t, false), Cow::Borrowed(_)), "{}", String::from_utf8_lossy(t));
        }
    }
}
