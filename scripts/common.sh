# Shared by scripts/test and scripts/serve: install missing Debian packages, then build.
# Sourced, not run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"

# Build tools and libraries, then the toolchains judged code runs on (all Debian packages).
PACKAGES=(
  build-essential cmake pkg-config git ca-certificates
  libseccomp-dev libboost1.81-dev nlohmann-json3-dev libgtest-dev libgmock-dev libssl-dev
  python3 openjdk-17-jdk-headless nodejs rustc golang-go
  libtorch-dev python3-torch
  # Debian's libtorch calls the system BLAS; without OpenBLAS that is the reference BLAS, about
  # 5x slower on the trainer's matrix products (docs/TRAINING.md).
  libopenblas0-pthread
  clang  # libFuzzer for the server's request fuzz target (tests/server/fuzz)
)

ensure_packages() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$p")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing packages (run as root to install): ${missing[*]}" >&2
    return 1
  fi
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

build() {
  local werror=OFF
  [ -n "${CI:-}" ] && werror=ON
  cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCODEJUDGE_WERROR="$werror" >/dev/null
  cmake --build "$BUILD_DIR" -j"$(nproc)"
}
