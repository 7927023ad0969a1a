#!/usr/bin/env bash
# Builds the codejudge image and smoke-tests a container of it (docs/DEPLOY.md, "Building and
# checking the image"). Run as root from anywhere; needs podman (or ENGINE=docker with a running
# daemon) and, to build the local base image, debootstrap: apt-get install podman debootstrap.
#
#   docker/build-and-smoke.sh            base image (once), image, container, smoke test
#   docker/build-and-smoke.sh --no-build smoke-test the image already built
#
# Steps: 1. a Debian bookworm base image from Debian's own packages (debootstrap, imported into
# the engine), skipped when BASE_IMAGE exists or is a registry image; 2. docker/Dockerfile on it;
# 3. a container with the documented flags on 127.0.0.1:PORT; 4. docker/smoke_test.py against
# it (health, a judged submission per language, hostile programs contained, `codejudge doctor`
# inside, a SIGTERM drain that lets an in-flight request finish and exits 0); 5. the compose
# file and Kubernetes manifests checked, and the Deployment's pod run by `podman play kube`.
#
# Environment: ENGINE (podman), BASE_IMAGE (localhost/codejudge-base:bookworm; on a host that
# reaches a registry, debian:bookworm-slim, and no base is built), IMAGE
# (localhost/codejudge:latest), MIRROR (http://deb.debian.org/debian), JOBS (2, compile jobs of
# the image build), PORT (18080), RUN_FLAGS (the container's privileges; default below),
# KEEP=1 (leave the container running after the smoke test).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ENGINE="${ENGINE:-podman}"
BASE_IMAGE="${BASE_IMAGE:-localhost/codejudge-base:bookworm}"
IMAGE="${IMAGE:-localhost/codejudge:latest}"
MIRROR="${MIRROR:-http://deb.debian.org/debian}"
JOBS="${JOBS:-2}"
PORT="${PORT:-18080}"
CONTAINER="codejudge-smoke-$$"
# What the sandbox needs inside the container (docs/DEPLOY.md, "Privileges"): all of them at
# once is --privileged; the narrower set that also works is in docs/DEPLOY.md.
read -r -a RUN_FLAGS <<<"${RUN_FLAGS:---privileged --cgroupns=private}"

log() { printf '== %s\n' "$*" >&2; }
die() { printf 'build-and-smoke: %s\n' "$*" >&2; exit 1; }

# Engine flags for hosts like our CI machines: no systemd (cgroupfs manager, events to a file),
# a hybrid cgroup v1 hierarchy whose v2 side holds a controller (crun refuses it, runc does
# not), and no CAP_SYS_RESOURCE (the runtime cannot raise rlimits above the caller's, so the
# container gets the caller's own).
ENGINE_FLAGS=()
BUILD_FLAGS=()
LIMIT_FLAGS=()
if [ "$ENGINE" = podman ]; then
  if [ ! -d /run/systemd/system ]; then
    ENGINE_FLAGS+=(--cgroup-manager cgroupfs --events-backend file)
  fi
  if [ -n "$(cat /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null)" ]; then
    command -v runc >/dev/null || die "hybrid cgroup hierarchy: crun refuses it; apt-get install runc"
    ENGINE_FLAGS+=(--runtime runc)
    BUILD_FLAGS+=(--runtime runc)  # podman build does not take the global flag
  fi
fi
cap_eff="$(awk '/^CapEff:/ {print $2}' /proc/self/status)"
if (( ((16#$cap_eff) >> 24 & 1) == 0 )); then
  nofile="$(ulimit -Hn)"
  nproc="$(ulimit -Hu)"
  [ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ] && nproc=32768
  LIMIT_FLAGS=(--ulimit "nofile=$nofile:$nofile" --ulimit "nproc=$nproc:$nproc")
fi
engine() { "$ENGINE" "${ENGINE_FLAGS[@]}" "$@"; }

# 1. The base: Debian bookworm's minimal package set, as debian:bookworm-slim has it (apt
# sources for bookworm, its updates and security; no documentation).
build_base() {
  if engine image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
    log "base image $BASE_IMAGE exists"
    return
  fi
  [[ "$BASE_IMAGE" == localhost/* ]] || die "$BASE_IMAGE is not local: pull it, or unset BASE_IMAGE"
  command -v debootstrap >/dev/null || die "debootstrap missing: apt-get install debootstrap"
  local rootfs
  rootfs="$(mktemp -d /var/tmp/codejudge-base.XXXXXX)"
  log "debootstrap bookworm from $MIRROR into $rootfs"
  local started=$SECONDS
  debootstrap --variant=minbase bookworm "$rootfs" "$MIRROR" >"$rootfs.log" 2>&1 ||
    { tail -20 "$rootfs.log" >&2; die "debootstrap failed (log: $rootfs.log)"; }
  rm -f "$rootfs/etc/apt/sources.list"
  cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${MIRROR%/debian}/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  # Documentation is dead weight in a server image (copyright files stay).
  cat >"$rootfs/etc/dpkg/dpkg.cfg.d/no-docs" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
EOF
  find "$rootfs/usr/share/doc" -mindepth 2 ! -name copyright ! -type d -delete
  rm -rf "$rootfs/usr/share/man/"* "$rootfs/usr/share/info/"* "$rootfs/usr/share/locale/"* \
         "$rootfs/var/cache/apt/"*.bin "$rootfs/var/cache/apt/archives/"*.deb \
         "$rootfs/var/lib/apt/lists/"* "$rootfs/var/log/"*.log
  tar -C "$rootfs" -c . | engine import --change 'CMD ["bash"]' - "$BASE_IMAGE" >/dev/null
  rm -rf "$rootfs" "$rootfs.log"
  log "base image $BASE_IMAGE built in $((SECONDS - started)) s"
}

# 2. The image, compiled from scratch inside the build stage.
build_image() {
  log "building $IMAGE on $BASE_IMAGE (JOBS=$JOBS)"
  local started=$SECONDS
  engine build "${BUILD_FLAGS[@]}" "${LIMIT_FLAGS[@]}" -f "$ROOT/docker/Dockerfile" \
    --build-arg "BASE_IMAGE=$BASE_IMAGE" --build-arg "JOBS=$JOBS" -t "$IMAGE" "$ROOT"
  log "image $IMAGE built in $((SECONDS - started)) s"
}

cleanup() {
  if [ "${KEEP:-0}" = 1 ]; then
    log "container $CONTAINER left running on 127.0.0.1:$PORT"
  else
    engine rm -f -v "$CONTAINER" >/dev/null 2>&1 || true
  fi
}

# 3 and 4. The container, with the flags docs/DEPLOY.md documents, and the smoke test.
smoke() {
  trap cleanup EXIT
  log "starting $CONTAINER: $ENGINE run ${RUN_FLAGS[*]} -p 127.0.0.1:$PORT:8080 $IMAGE"
  engine run -d --name "$CONTAINER" "${LIMIT_FLAGS[@]}" "${RUN_FLAGS[@]}" \
    -p "127.0.0.1:$PORT:8080" "$IMAGE" >/dev/null
  python3 "$ROOT/docker/smoke_test.py" --url "http://127.0.0.1:$PORT" \
    --exec "$ENGINE ${ENGINE_FLAGS[*]} exec $CONTAINER" \
    --stop "$ENGINE ${ENGINE_FLAGS[*]} kill --signal TERM $CONTAINER" \
    --wait "$ENGINE ${ENGINE_FLAGS[*]} wait $CONTAINER" \
    --logs "$ENGINE ${ENGINE_FLAGS[*]} logs $CONTAINER"
}

# 5. The manifests: docker/check_manifests.py (also a ctest), then the Kubernetes Deployment's
# pod started by podman from the manifest itself (securityContext, env, args, volumes), with the
# image swapped for ours and the CPU request cut to this host's: doctor and /healthz inside.
check_manifests() {
  python3 "$ROOT/docker/check_manifests.py" >/dev/null || python3 "$ROOT/docker/check_manifests.py"
  log "manifests are consistent (docker/check_manifests.py)"
  [ "$ENGINE" = podman ] || return 0
  local manifest pod=codejudge-kube-$$
  manifest="$(mktemp /tmp/codejudge-kube.XXXXXX.yaml)"
  python3 - "$ROOT/docker/k8s/deployment.yaml" "$IMAGE" "$(nproc)" "$pod" >"$manifest" <<'PY'
import sys, yaml
path, image, cpus, name = sys.argv[1:]
doc = yaml.safe_load(open(path))
doc["metadata"]["name"] = name
container = doc["spec"]["template"]["spec"]["containers"][0]
container["image"] = image
container["resources"] = {"limits": {"cpu": cpus, "memory": "4Gi"}}
container["args"] = ["--workers", cpus]
doc["spec"]["replicas"] = 1  # podman would start them all, on one host port
for port in container["ports"]:  # podman publishes container ports: keep them off the host
    port.update(hostIP="127.0.0.1", hostPort=port["containerPort"] + 10000)
print(yaml.safe_dump(doc))
PY
  log "podman play kube docker/k8s/deployment.yaml (image $IMAGE, $(nproc) CPUs)"
  # play kube takes no --ulimit: the same limits go through a containers.conf of its own.
  local conf="${manifest%.yaml}.conf"
  if [ ${#LIMIT_FLAGS[@]} -gt 0 ]; then
    printf '[containers]\ndefault_ulimits = ["nofile=%s:%s", "nproc=%s:%s"]\n' \
      "$nofile" "$nofile" "$nproc" "$nproc" >"$conf"
    export CONTAINERS_CONF="$conf"
  fi
  # Without systemd podman cannot arm the image's HEALTHCHECK timer and says so in its exit
  # status; the pod runs all the same, which is what the checks below look at.
  engine play kube "$manifest" >/dev/null 2>&1 || true
  local container ok=0 doctor safe=0
  container="$(engine ps --format '{{.Names}}' | grep -x "$pod-pod-0-judge" || true)"
  [ -n "$container" ] || die "podman play kube started no judge container"
  local probe="import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=2)"
  for _ in $(seq 60); do
    if engine exec "$container" python3 -c "$probe" 2>/dev/null; then
      ok=1
      break
    fi
    sleep 1
  done
  doctor="$(engine exec "$container" codejudge doctor 2>&1)" && safe=1
  engine play kube --down "$manifest" >/dev/null 2>&1 || true
  rm -f "$manifest" "$conf"
  unset CONTAINERS_CONF
  [ "$ok" = 1 ] || die "the Deployment's pod never answered /healthz"
  if [ "$safe" = 0 ]; then
    local why
    why="$(printf '%s' "$doctor" |
      python3 -c 'import json, sys; print(json.load(sys.stdin).get("warnings"))' 2>/dev/null ||
      printf '%s' "$doctor")"
    die "codejudge doctor is unsafe in the Deployment's pod: $why"
  fi
  log "the Deployment's pod serves /healthz and passes codejudge doctor"
}

[ "$(id -u)" -eq 0 ] || die "run as root (the engine runs privileged containers)"
command -v "$ENGINE" >/dev/null || die "$ENGINE missing: apt-get install podman"
if [ "${1:-}" != "--no-build" ]; then
  build_base
  build_image
fi
smoke
check_manifests
