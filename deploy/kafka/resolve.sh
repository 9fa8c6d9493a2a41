#!/usr/bin/env bash
# Copies the Kafka broker's runtime classpath (see pom.xml) into a cache directory and prints
# the directory that holds the jars. Safe to run repeatedly and concurrently: once the jars are
# there it returns at once, and a lock keeps parallel callers (jest workers, a developer's
# start.sh) from resolving twice.
#
#   KAFKA_CACHE_DIR  cache location (default: <repo>/.cache/kafka-<version>)
#   MVN              Maven executable (default: mvn)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$HERE/../.." && pwd)"
POM="$HERE/pom.xml"
# The cache dir is per version so switching branches between Kafka versions doesn't thrash it.
KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM")"
CACHE_DIR="${KAFKA_CACHE_DIR:-$REPO_ROOT/.cache/kafka-$KAFKA_VERSION}"
LIBS="$CACHE_DIR/libs"
MARKER="$CACHE_DIR/.resolved"
MVN="${MVN:-mvn}"

die() { echo "kafka/resolve.sh: $*" >&2; exit 1; }

# The marker records the POM it was resolved from, so editing pom.xml re-resolves.
want="$(sha256sum "$POM" | cut -d' ' -f1)"
is_resolved() { [[ -f "$MARKER" && "$(cat "$MARKER")" == "$want" ]] && compgen -G "$LIBS/kafka_2.13-*.jar" >/dev/null; }

if is_resolved; then
  echo "$LIBS"
  exit 0
fi

command -v java >/dev/null 2>&1 || die "java not found on PATH; the Kafka broker needs a JDK/JRE 17 (Debian: apt-get install openjdk-17-jre-headless)"
command -v "$MVN" >/dev/null 2>&1 || die "'$MVN' not found on PATH; resolving the broker jars needs Maven 3.6.3+ (Debian: apt-get install maven)"

mkdir -p "$CACHE_DIR"
exec 9>"$CACHE_DIR/.lock"
if command -v flock >/dev/null 2>&1; then
  flock -w 900 9 || die "timed out waiting for another resolve of $CACHE_DIR"
fi
# Another caller may have finished while we waited for the lock.
if is_resolved; then
  echo "$LIBS"
  exit 0
fi

echo "kafka/resolve.sh: resolving Kafka $KAFKA_VERSION jars into $LIBS (a cold Maven cache downloads ~50 MB)" >&2
staging="$CACHE_DIR/libs.partial"
rm -rf "$staging"
# stdout of mvn goes to stderr: callers read the jar directory from our stdout.
if ! "$MVN" -q -B -f "$POM" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$staging" >&2; then
  rm -rf "$staging"
  die "mvn dependency:copy-dependencies failed (see output above)"
fi
compgen -G "$staging/kafka_2.13-*.jar" >/dev/null || die "resolution produced no kafka_2.13 jar in $staging"

rm -rf "$LIBS"
mv "$staging" "$LIBS"
echo "$want" >"$MARKER"
echo "$LIBS"
