#!/bin/sh
# Installs what building and testing scap tools needs on a fresh Debian machine of this kind
# (run as root; safe to run again). The Rust toolchain is expected to be installed already.
set -eu
export DEBIAN_FRONTEND=noninteractive
pkgs="sysdig libfalcosecurity0-dev clang bpftool libbpf-dev busybox-static tshark tmux openssh-server openssh-client hyperfine"
missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  apt-get update -qq
  # --no-install-recommends: sysdig otherwise pulls a kernel-module build that fails here.
  apt-get install -y -qq --no-install-recommends $missing
fi

# The container tests (scap-enrich) need the Docker engine. This machine kind starts it before
# the session; start it here if it is installed but not running, and say so if it is missing.
if ! docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
  if command -v dockerd >/dev/null 2>&1; then
    echo "setup.sh: starting dockerd" >&2
    nohup dockerd >/var/log/scap-setup-dockerd.log 2>&1 &
    i=0
    while [ $i -lt 30 ] && ! docker version >/dev/null 2>&1; do sleep 1; i=$((i + 1)); done
  fi
  docker version --format '{{.Server.Version}}' >/dev/null 2>&1 \
    || echo "setup.sh: the Docker daemon is not reachable; container tests will fail under CI=true" >&2
fi
