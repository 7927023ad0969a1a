# Shared by scripts/test, scripts/serve and docker/Dockerfile: the Debian packages, and one
# configuration of one build tree (CMakePresets.json), so that switching between the scripts
# neither reconfigures nor rebuilds. Sourced, not run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
# The configure preset: ci (warnings are errors) when CI is set, else dev.
if [ -z "${PRESET:-}" ]; then
  case "${CI:-}" in
    "" | false | 0) PRESET=dev ;;
    *) PRESET=ci ;;
  esac
fi

# The compilers and runtimes judged code runs on (the compile cache keys on their versions).
TOOLCHAIN_PACKAGES=(gcc g++ libc6-dev python3 openjdk-17-jdk-headless nodejs rustc golang-go)
# What configuring and building needs (GoogleTest too: the dev and ci presets configure the tests).
BUILD_PACKAGES=(
  build-essential cmake pkg-config git ca-certificates
  libseccomp-dev libboost1.81-dev nlohmann-json3-dev libgtest-dev libgmock-dev libssl-dev
)
# Only for the tests: the trainer (LibTorch; python3-torch for reference values), clang's libFuzzer
# (the server's request fuzz target), curl (README.md's examples) and python3-yaml
# (docker/check_manifests.py). Serving does without them. Debian's libtorch calls the system
# BLAS; without OpenBLAS that is the reference BLAS, about 5x slower on the trainer's matrix
# products (docs/TRAINING.md).
TEST_PACKAGES=(libtorch-dev python3-torch libopenblas0-pthread clang curl python3-yaml)

# ensure_packages PKG...: installs those not installed yet. Returns 0; sets INSTALLED=1 when it
# installed something (a new library may change what the configure step finds).
INSTALLED=0
ensure_packages() {
  local missing=() p status
  local -A installed=()
  # One dpkg-query for all: this runs before every start of scripts/serve.
  while read -r p status; do
    [ "$status" = "install ok installed" ] && installed[$p]=1
  done < <(dpkg-query -W -f='${Package} ${Status}\n' "$@" 2>/dev/null || true)
  for p in "$@"; do
    [ -n "${installed[$p]:-}" ] || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing packages (run as root to install): ${missing[*]}" >&2
    return 1
  fi
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  local log
  log="$(mktemp)"
  if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } \
       >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    rm -f "$log"
    echo "apt-get could not install: ${missing[*]}" >&2
    return 1
  fi
  rm -f "$log"
  INSTALLED=1
}

# Configures $BUILD_DIR with $PRESET unless it already is: the preset's name is in the cache,
# the cache is newer than CMakePresets.json, and no package came in since. Anything else that
# needs a reconfigure (a changed CMakeLists.txt) the build step notices by itself.
configure() {
  local cache="$BUILD_DIR/CMakeCache.txt"
  if [ "$INSTALLED" = 0 ] && [ -f "$cache" ] && [ "$cache" -nt "$ROOT/CMakePresets.json" ] &&
     grep -qx "CODEJUDGE_PRESET:[A-Z]*=$PRESET" "$cache"; then
    return 0
  fi
  echo "configuring $BUILD_DIR (preset $PRESET)"
  cmake -S "$ROOT" --preset "$PRESET" -B "$BUILD_DIR" >/dev/null
}

# build [TARGET...]: configures if needed, then builds those targets (default: all).
build() {
  configure
  local targets=()
  [ $# -gt 0 ] && targets=(--target "$@")
  cmake --build "$BUILD_DIR" -j"$(nproc)" "${targets[@]}"
}
