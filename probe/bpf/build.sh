#!/bin/sh
# Builds the probe object reproducibly: sh build.sh OUT.o (run from this directory).
# The same command writes the committed probe.bpf.o; CI checks that it is current.
set -eu
cd "$(dirname "$0")"
out="${1:-probe.bpf.o}"
"${BPF_CLANG:-clang}" -target bpf -O2 -g -mcpu=v3 -D__TARGET_ARCH_x86 -Wall -Werror \
    -fdebug-prefix-map="$(pwd)"=. -fdebug-compilation-dir=. \
    -I . -c probe.bpf.c -o "$out"
