//! Finding the local time zone the way the C library does: `TZ` names a zone file (absolute, or
//! under /usr/share/zoneinfo) or a POSIX rule; without `TZ`, /etc/localtime; UTC otherwise.

use std::path::{Path, PathBuf};

use scap_common::fields::Tz;

const ZONEINFO: &str = "/usr/share/zoneinfo";

/// The local time zone for a `TZ` value (`None`: the variable is unset).
pub fn local(tz_env: Option<&str>) -> Tz {
    match tz_env {
        None => load(Path::new("/etc/localtime")).unwrap_or_else(Tz::utc),
        Some("") => Tz::utc(),
        Some(v) => {
            let name = v.strip_prefix(':').unwrap_or(v);
            let path = if name.starts_with('/') { PathBuf::from(name) } else { Path::new(ZONEINFO).join(name) };
            if !name.contains("..") {
                if let Some(tz) = load(&path) {
                    return tz;
                }
            }
            Tz::from_posix(name).unwrap_or_else(Tz::utc)
        }
    }
}

fn load(path: &Path) -> Option<Tz> {
    let bytes = std::fs::read(path).ok()?;
    Tz::from_tzif(&bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_names() {
        assert_eq!(local(Some("")), Tz::utc());
        assert_eq!(local(Some("UTC0")).offset_at(0), 0);
    }
}
