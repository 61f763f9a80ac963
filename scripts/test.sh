#!/usr/bin/env bash
# Runs every test: unit tests, then the integration tests in berth-it, which start private daemons (their own
# sockets, data roots and exec roots) and drive them with the berth CLI and the real Docker CLI. Needs root.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export JAVA_HOME="${BERTH_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
# Debian's Maven bundles a Guava that JDK 25 warns about at every start; the warning is noise, not a problem.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
cd "$repo"
"$repo/scripts/install-deps.sh"
mvn -B verify "$@"
