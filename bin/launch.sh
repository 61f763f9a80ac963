# Shared by bin/berth and bin/berthd (sourced, not run): finds a module's jar and picks its AOT cache.
#   launch_setup MODULE PROGRAM CACHE   sets: java_home, target, jar, aot (an array of JVM flags)
# BERTH_AOT_TRAIN=FILE turns a run into a training run that writes an AOT cache at exit (scripts/aot-cache.sh).

launch_setup() {
  local module="$1" program="$2" cache="$3"
  local repo
  repo="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
  java_home="${BERTH_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
  target="$repo/$module/target"
  jar="$(ls "$target/$module"-*.jar 2>/dev/null | head -n1 || true)"
  if [[ -z "$jar" ]]; then
    echo "$program: not built yet; run: scripts/setup.sh (or scripts/build.sh)" >&2
    exit 1
  fi
  aot=()
  if [[ -n "${BERTH_AOT_TRAIN:-}" ]]; then
    aot=(-XX:AOTCacheOutput="$BERTH_AOT_TRAIN" -Xlog:aot=off -Xlog:cds=off)
  elif [[ -f "$target/$cache" ]] && cache_is_current "$target/$cache"; then
    aot=(-XX:AOTCache="$target/$cache" -Xlog:aot=off -Xlog:cds=off)
  fi
}

# JDK 25 accepted a cache made from older jars and then mixed cached classes with rebuilt ones (NoSuchMethodError),
# so a cache older than any jar on the class path is left unused (scripts/aot-cache.sh makes a fresh one).
cache_is_current() {
  local f
  for f in "$jar" "$target"/lib/*.jar; do
    [[ "$f" -nt "$1" ]] && return 1
  done
  return 0
}
