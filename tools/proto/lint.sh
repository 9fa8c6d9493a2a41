#!/usr/bin/env bash
# Lints the contract (buf STANDARD rules, see proto/buf.yaml) and checks its formatting.
# Fix formatting with: npx buf format -w proto
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

"$BUF" lint "$PROTO_DIR"
if ! "$BUF" format --diff --exit-code "$PROTO_DIR"; then
  echo "proto files are not buf-formatted; run: npx buf format -w proto" >&2
  exit 1
fi
