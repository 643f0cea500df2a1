#!/usr/bin/env bash
# Sourced by ./prune4j, scripts/*.sh and .ci/run: exports JAVA_HOME pointing at a JDK >= 21 with the Vector API,
# preferring the newest Temurin under /usr/lib/jvm. Fails with a clear message when none is found.
prune4j_java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}'; }

prune4j_find_java() {
  local best="" best_major=0 cand major
  for cand in "${PRUNE4J_JAVA_HOME:-}" /usr/lib/jvm/temurin-*-jdk* /usr/lib/jvm/* "${JAVA_HOME:-}"; do
    [ -n "$cand" ] && [ -x "$cand/bin/java" ] && [ -x "$cand/bin/javac" ] || continue
    major=$(prune4j_java_major "$cand")
    major=${major%%.*}
    [[ "$major" =~ ^[0-9]+$ ]] || continue
    if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then best="$cand"; best_major=$major; fi
    # an explicit PRUNE4J_JAVA_HOME wins when it qualifies
    if [ -n "${PRUNE4J_JAVA_HOME:-}" ] && [ "$cand" = "$PRUNE4J_JAVA_HOME" ] && [ "$major" -ge 21 ]; then best="$cand"; break; fi
  done
  if [ -z "$best" ]; then
    echo "prune4j needs a JDK 21 or newer (25 recommended, e.g. Temurin 25 under /usr/lib/jvm)." >&2
    echo "None was found in PRUNE4J_JAVA_HOME, /usr/lib/jvm or JAVA_HOME. Install one, e.g. 'apt-get install temurin-25-jdk'," >&2
    echo "or set PRUNE4J_JAVA_HOME to its directory." >&2
    return 1
  fi
  export JAVA_HOME="$best"
  export PATH="$JAVA_HOME/bin:$PATH"
}
prune4j_find_java
