# Shared by the proto scripts; sourced, not executed.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PROTO_DIR="proto"
TEMPLATE="proto/buf.gen.yaml"
GEN_DIR="libs/contracts/src/gen"
BUF="$REPO_ROOT/node_modules/.bin/buf"

cd "$REPO_ROOT"

if [[ ! -x "$BUF" || ! -x node_modules/.bin/protoc-gen-ts_proto ]]; then
  echo "buf or protoc-gen-ts_proto missing under node_modules/.bin; run npm ci first" >&2
  exit 2
fi

# Writes the generated TypeScript under <base>/$GEN_DIR. generate.sh and check.sh both go
# through here, so the committed tree and the one check.sh compares against are produced by
# exactly the same steps.
generate_into() {
  local base="$1"
  "$BUF" generate "$PROTO_DIR" --template "$TEMPLATE" --output "$base"
  cat >"$base/$GEN_DIR/README.md" <<'README'
# Generated code: do not edit

Everything in this directory is generated from `proto/` by `tools/proto/generate.sh`
(buf + ts-proto, options in `proto/buf.gen.yaml`). Change the `.proto` files and regenerate;
`tools/proto/check.sh` fails when this directory differs from what the contract produces.
README
}
