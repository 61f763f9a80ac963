#!/usr/bin/env bash
# Builds every module on JDK 25 (Maven's own default JVM is older) without running tests.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export JAVA_HOME="${BERTH_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
# Debian's Maven bundles a Guava that JDK 25 warns about at every start; the warning is noise, not a problem.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
cd "$repo"
mvn -B -q -DskipTests package "$@"
