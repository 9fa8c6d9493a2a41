#!/usr/bin/env bash
# Fails (exit 1, printing the diff) when libs/contracts/src/gen is not exactly what the
# current proto/ and ts-proto produce, i.e. someone edited generated code or forgot to
# regenerate after changing the contract.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

generate_into "$tmp"
if ! diff -ru "$GEN_DIR" "$tmp/$GEN_DIR"; then
  echo "$GEN_DIR is out of date with proto/; run tools/proto/generate.sh" >&2
  exit 1
fi
echo "$GEN_DIR is up to date"
