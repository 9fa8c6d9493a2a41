#!/usr/bin/env bash
# Lints the contract and regenerates libs/contracts/src/gen from scratch.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

"$(dirname "${BASH_SOURCE[0]}")/lint.sh"
rm -rf "$GEN_DIR"
generate_into .
echo "generated $GEN_DIR"
