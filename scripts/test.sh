#!/usr/bin/env bash
# The project's test command (README and .ci/run): fetches the test assets when missing, then runs every test,
# including those on the fetched SmolLM2 and Gemma-3 models (Maven profile 'assets').
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/java-env.sh
scripts/fetch-assets.sh --models --data
./mvnw -B -Passets "$@" verify
