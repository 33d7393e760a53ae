#!/usr/bin/env bash
# install-file.sh SOURCE DEST: puts SOURCE at DEST as a new file (copy beside DEST, then rename).
#
# A running php-fpm keeps the old library mapped (ffi.preload / opcache.preload); overwriting that
# file in place (`cp`) changes the pages under its feet and kills workers with SIGBUS/SIGILL.
# rename(2) leaves the old file's inode alive for whoever has it mapped; reload php-fpm afterwards.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 SOURCE DEST" >&2; exit 2; }
source=$1 dest=$2
mkdir -p "$(dirname "$dest")"
tmp=$(mktemp "$(dirname "$dest")/.$(basename "$dest").XXXXXX")
trap 'rm -f "$tmp"' EXIT
cp "$source" "$tmp"
chmod 0644 "$tmp"
mv -f "$tmp" "$dest"
trap - EXIT
