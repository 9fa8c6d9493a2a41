#!/usr/bin/env bash
# Installs the tools deploy/helm/check.sh runs, at the versions given (CI pins them in .ci/run):
# Helm from the Go module proxy, checkov and kubernetes-validate from PyPI, into .cache/helm-tools
# (bin/helm and a Python virtual environment). Tools already there at those versions are kept.
#
#   HELM_VERSION=v4.3.2 CHECKOV_VERSION=3.3.30 KUBERNETES_VALIDATE_VERSION=1.37.0 deploy/helm/install-tools.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

die() { echo "helm/install-tools.sh: $*" >&2; exit 1; }
for name in HELM_VERSION CHECKOV_VERSION KUBERNETES_VALIDATE_VERSION; do
  [[ -n "${!name:-}" ]] || die "set $name (the versions CI uses are in .ci/run)"
done

TOOLS="$PWD/.cache/helm-tools"
mkdir -p "$TOOLS/bin"

# `go version -m` names the module version a binary was built from (go install sets no
# version string of Helm's own, so `helm version` shows only major and minor).
if go version -m "$TOOLS/bin/helm" 2>/dev/null | grep -Eq "^[[:space:]]+mod[[:space:]]+helm.sh/helm/v4[[:space:]]+${HELM_VERSION}[[:space:]]"; then
  echo "helm/install-tools.sh: helm ${HELM_VERSION} already installed" >&2
else
  command -v go >/dev/null 2>&1 || die "go is needed to install Helm from the Go module proxy"
  echo "helm/install-tools.sh: go install helm.sh/helm/v4/cmd/helm@${HELM_VERSION}" >&2
  GOBIN="$TOOLS/bin" GOFLAGS=-mod=mod go install "helm.sh/helm/v4/cmd/helm@${HELM_VERSION}"
fi

if [[ ! -x "$TOOLS/venv/bin/python" ]]; then
  python3 -m venv "$TOOLS/venv"
fi
installed() { "$TOOLS/venv/bin/python" -m pip show "$1" 2>/dev/null | sed -n 's/^Version: //p'; }
if [[ "$(installed checkov)" == "$CHECKOV_VERSION" && "$(installed kubernetes-validate)" == "$KUBERNETES_VALIDATE_VERSION" ]]; then
  echo "helm/install-tools.sh: checkov ${CHECKOV_VERSION} and kubernetes-validate ${KUBERNETES_VALIDATE_VERSION} already installed" >&2
else
  echo "helm/install-tools.sh: pip install checkov==${CHECKOV_VERSION} kubernetes-validate==${KUBERNETES_VALIDATE_VERSION}" >&2
  "$TOOLS/venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    "checkov==${CHECKOV_VERSION}" "kubernetes-validate==${KUBERNETES_VALIDATE_VERSION}"
fi
