#!/usr/bin/env bash
# Builds JDK 25 AOT caches (JEP 483/514/515) for the CLI: class loading and linking done once at install time
# instead of at every start. A cache is tied to the exact JDK build and class path, so it is made here, not in git.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
java_home="${BERTH_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
cli="$repo/berth-cli/target"
jar="$(ls "$cli"/berth-cli-*.jar | head -n1)"
rm -f "$cli/berth-cli.aot"
# Training run: parse a few commands and print help, with no daemon needed.
"$java_home/bin/java" -XX:AOTCacheOutput="$cli/berth-cli.aot" -Xlog:aot=off -Xlog:cds=off -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
  -cp "$jar:$cli/lib/*" dev.berth.cli.Main ps --help >/dev/null 2>&1 || true
[[ -f "$cli/berth-cli.aot" ]]
