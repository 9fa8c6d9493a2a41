#!/usr/bin/env bash
# Checks the Helm chart deploy/helm/safecity, as CI does (.ci/run):
#   1. files/topics.json is the topic table of libs/contracts (`npm run -s topics -- list`);
#   2. `helm lint --strict` with the default values and with values-production.yaml;
#   3. `helm template` of both, validated against the Kubernetes schemas of the oldest and the
#      newest supported version (kubernetes-validate --strict); the only resources without a
#      schema there are the KEDA ScaledObjects and Strimzi KafkaTopics;
#   4. every env variable the chart (and docker-compose.yml) gives a service is read by that
#      service's config class;
#   5. a checkov scan of both renderings: no failed check, and every skip (an annotation in the
#      chart) carries its reason.
# Tools: .cache/helm-tools (deploy/helm/install-tools.sh), else helm, checkov and
# kubernetes-validate from PATH. Renderings are kept in .cache/helm-check for a look.
set -euo pipefail
cd "$(dirname "$0")/../.."

CHART=deploy/helm/safecity
PRODUCTION=deploy/helm/values-production.yaml
NAMESPACE=safecity
KUBE_VERSIONS=(1.29.0 1.37.0)
OUT=.cache/helm-check

die() { echo "helm/check.sh: $*" >&2; exit 1; }
step() { echo "helm/check.sh: $*" >&2; }

TOOLS="$PWD/.cache/helm-tools"
[[ -d "$TOOLS/bin" ]] && export PATH="$TOOLS/bin:$PATH"
[[ -d "$TOOLS/venv/bin" ]] && export PATH="$PATH:$TOOLS/venv/bin"
for tool in helm checkov kubernetes-validate; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found: run deploy/helm/install-tools.sh with the versions in .ci/run"
done
PYTHON="$(dirname "$(command -v checkov)")/python"
[[ -x "$PYTHON" ]] || PYTHON=python3

rm -rf "$OUT" && mkdir -p "$OUT"

step "1. the topic table is libs/contracts'"
node -r @swc-node/register tools/kafka-topics.ts list > "$OUT/topics.json"
diff -u "$CHART/files/topics.json" "$OUT/topics.json" ||
  die "$CHART/files/topics.json is stale: npm run -s topics -- list > $CHART/files/topics.json"

step "2. helm lint"
helm lint --strict "$CHART"
helm lint --strict "$CHART" -f "$PRODUCTION"

step "3. helm template, validated against the Kubernetes schemas"
helm template safecity "$CHART" -n "$NAMESPACE" --kube-version "${KUBE_VERSIONS[-1]}" > "$OUT/default.yaml"
helm template safecity "$CHART" -n "$NAMESPACE" --kube-version "${KUBE_VERSIONS[-1]}" -f "$PRODUCTION" > "$OUT/production.yaml"
for rendering in default production; do
  for version in "${KUBE_VERSIONS[@]}"; do
    kubernetes-validate --strict --quiet -k "$version" "$OUT/$rendering.yaml" > "$OUT/$rendering-$version.log" 2>&1 || {
      cat "$OUT/$rendering-$version.log" >&2
      die "the $rendering rendering does not validate against Kubernetes $version"
    }
    # Custom resources have no schema in kubernetes-validate; any other missing schema is a typo.
    if grep -v -E "Couldn't find schema for kind (ScaledObject with api version keda.sh/v1alpha1|KafkaTopic with api version kafka.strimzi.io/v1beta2) " "$OUT/$rendering-$version.log" | grep -q .; then
      cat "$OUT/$rendering-$version.log" >&2
      die "the $rendering rendering has warnings against Kubernetes $version"
    fi
  done
  echo "helm/check.sh: $rendering: $(grep -c '^kind: ' "$OUT/$rendering.yaml") resources valid for Kubernetes ${KUBE_VERSIONS[*]}" >&2
done

step "4. the env of every service is what its config class reads"
node -r @swc-node/register tools/service-env.ts > "$OUT/service-env.json"
"$PYTHON" - "$OUT/service-env.json" docker-compose.yml "$OUT/default.yaml" "$OUT/production.yaml" <<'PY'
import json, sys, yaml

reads = json.load(open(sys.argv[1]))
# Read by OpenTelemetry (OTEL_*), Node itself and the logger of libs/observability (LOG_LEVEL, in
# every process, also the console's, whose config class does not list it), or only there to be
# expanded into another value.
extra = {"NODE_OPTIONS", "POD_NAME", "POD_NAMESPACE", "LOG_LEVEL"}
problems, checked = [], 0

def check(where, service, names):
    global checked
    if service not in reads:
        problems.append(f"{where}: {service}, whose config class tools/service-env.ts does not know")
        return
    for name in names:
        checked += 1
        if name not in reads[service] and name not in extra and not name.startswith("OTEL_"):
            problems.append(f"{where}: {service} is given {name}, which its config class does not read")

# docker-compose.yml: the services built from the platform's Dockerfile (merge keys resolved).
for service, spec in yaml.safe_load(open(sys.argv[2]))["services"].items():
    if (spec.get("build") or {}).get("dockerfile") == "deploy/docker/service.Dockerfile":
        check(sys.argv[2], service, spec.get("environment") or {})
for path in sys.argv[3:]:
    for doc in yaml.safe_load_all(open(path)):
        if not doc or doc.get("kind") != "Deployment":
            continue
        service = doc["metadata"]["labels"]["app.kubernetes.io/component"]
        for container in doc["spec"]["template"]["spec"]["containers"]:
            check(path, service, [env["name"] for env in container.get("env", [])])
for problem in problems:
    print(problem, file=sys.stderr)
print(f"helm/check.sh: {checked} env entries checked, {len(problems)} unknown", file=sys.stderr)
sys.exit(1 if problems else 0)
PY

step "5. checkov"
for rendering in default production; do
  checkov -f "$OUT/$rendering.yaml" --framework kubernetes --skip-download --compact -o json \
    > "$OUT/checkov-$rendering.json" 2> "$OUT/checkov-$rendering.log" || true
  "$PYTHON" - "$rendering" "$OUT/checkov-$rendering.json" <<'PY'
import json, sys

rendering, path = sys.argv[1], sys.argv[2]
report = json.load(open(path))
if isinstance(report, list):
    report = next(r for r in report if r.get("check_type") == "kubernetes")
summary = report["summary"]
results = report.get("results", {})
failed = results.get("failed_checks", [])
skipped = results.get("skipped_checks", [])
for check in failed:
    print(f"FAILED {check['check_id']} {check['check_name']}: {check['resource']}", file=sys.stderr)
unexplained = [s for s in skipped if not (s.get("check_result", {}).get("suppress_comment") or "").strip()]
for check in unexplained:
    print(f"SKIPPED WITHOUT A REASON {check['check_id']}: {check['resource']}", file=sys.stderr)
reasons = sorted({(s["check_id"], s["check_result"]["suppress_comment"]) for s in skipped})
print(
    f"helm/check.sh: checkov, {rendering}: {summary['passed']} passed, {summary['failed']} failed, "
    f"{summary['skipped']} skipped ({summary['resource_count']} resources)",
    file=sys.stderr,
)
for check_id, reason in reasons:
    print(f"  skipped {check_id}: {reason}", file=sys.stderr)
sys.exit(1 if failed or unexplained or summary["parsing_errors"] else 0)
PY
done

step "the chart passed every check"
