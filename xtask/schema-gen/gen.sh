#!/bin/sh
# Regenerates common/src/schema/generated.rs from the installed libscap
# (Debian's libfalcosecurity0 and libfalcosecurity0-dev, the libraries sysdig 0.29.3 uses).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../../common/src/schema/generated.rs"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cc -O0 -o "$tmp/dump" "$here/dump_schema.c" -ldl -Wl,--no-as-needed /usr/lib/x86_64-linux-gnu/libscap.so.0.1.1dev+git20220316.e5c53d64
"$tmp/dump" > "$tmp/gen.rs"
{
  cat "$tmp/gen.rs"
  echo
  echo "/// Event type numbers by their libscap names (PPME_ prefix dropped)."
  echo "pub mod ev {"
  sed -n '/^enum ppm_event_type {/,/^};/p' /usr/include/falcosecurity-libs/driver/ppm_events_public.h |
    sed -n 's/^[[:space:]]*PPME_\([A-Z0-9_]*\)[[:space:]]*=[[:space:]]*\([0-9]*\).*/    pub const \1: u16 = \2;/p'
  echo "}"
} > "$out"
rustfmt --edition 2021 "$out" 2>/dev/null || true
echo "wrote $out"
