#!/usr/bin/env bash
# Checks the Prometheus configuration and alert rules with promtool, and runs the rules' unit tests
# (alerts.test.yml). promtool is built from the Go module proxy at PROMETHEUS_VERSION into
# .cache/prometheus-tools; `go install …@version` refuses the prometheus module (its go.mod has
# exclude directives), so it is built inside a throwaway module that requires it.
set -euo pipefail
cd "$(dirname "$0")/../.."

PROMETHEUS_VERSION="${PROMETHEUS_VERSION:-v0.307.3}"
TOOLS="$PWD/.cache/prometheus-tools"
PROMTOOL="$TOOLS/bin/promtool"

die() {
  echo "prometheus/check.sh: $*" >&2
  exit 1
}

if ! go version -m "$PROMTOOL" 2>/dev/null |
  grep -Eq "^[[:space:]]+(mod|dep)[[:space:]]+github.com/prometheus/prometheus[[:space:]]+${PROMETHEUS_VERSION}[[:space:]]"; then
  command -v go >/dev/null 2>&1 || die "go is needed to build promtool from the Go module proxy"
  echo "prometheus/check.sh: building promtool from github.com/prometheus/prometheus@${PROMETHEUS_VERSION}" >&2
  build="$TOOLS/build"
  rm -rf "$build"
  mkdir -p "$build" "$TOOLS/bin"
  printf 'module promtoolbuild\n\ngo 1.24\n' >"$build/go.mod"
  printf '//go:build tools\n\npackage tools\n\nimport _ "github.com/prometheus/prometheus/cmd/promtool"\n' >"$build/tools.go"
  (
    cd "$build"
    go get "github.com/prometheus/prometheus/cmd/promtool@${PROMETHEUS_VERSION}"
    go build -o "$PROMTOOL" github.com/prometheus/prometheus/cmd/promtool
  )
fi

"$PROMTOOL" check config deploy/prometheus/prometheus.yml
"$PROMTOOL" check rules deploy/prometheus/alerts.yml
"$PROMTOOL" test rules deploy/prometheus/alerts.test.yml
