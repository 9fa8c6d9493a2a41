#!/usr/bin/env bash
# Checks proto/ for breaking changes (FILE rules, see proto/buf.yaml) against a git ref of
# this repository, default main. Breaking changes need a new package version (v2) instead.
# Usage: tools/proto/breaking.sh [git-ref]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ref="${1:-main}"
if ! git cat-file -e "${ref}:${PROTO_DIR}/buf.yaml" 2>/dev/null; then
  echo "${ref} has no ${PROTO_DIR}/buf.yaml yet; nothing to compare against"
  exit 0
fi
"$BUF" breaking "$PROTO_DIR" --against ".git#ref=${ref},subdir=${PROTO_DIR}"
