#!/usr/bin/env bash
# Builds every module on JDK 25 (Maven's own default JVM is older) without running tests.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export JAVA_HOME="${BERTH_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
cd "$repo"
mvn -B -q -DskipTests package "$@"
