#!/usr/bin/env bash
# The keeper's container, checked for real (run by `npm test`): builds the image
# from the unmodified keeper/Dockerfile with podman (installing podman and the
# stand-in base image first when missing: scripts/container-base.sh), reports its
# size, then runs keeper/test/container/container.check.ts against it: non-root,
# read-only root filesystem, secret from a mounted file, /healthz and /metrics,
# a run that settles on the devnet, a clean drain on SIGTERM.
# KEEPER_CONTAINER_CHECK=0 skips it (a machine without podman support).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
if [ "${KEEPER_CONTAINER_CHECK:-1}" = "0" ]; then
  log "container check skipped (KEEPER_CONTAINER_CHECK=0)"
  exit 0
fi
source scripts/container-base.sh
IMAGE="localhost/tributary-keeper:dev"
log "building $IMAGE from keeper/Dockerfile"
start=$(date +%s)
# The layer cache makes a rebuild with unchanged sources take seconds.
$PODMAN build --network=host $PODMAN_LIMITS -f keeper/Dockerfile -t "$IMAGE" . >"$TRIBUTARY_CACHE/container/build.log" 2>&1 \
  || { tail -40 "$TRIBUTARY_CACHE/container/build.log" >&2; exit 1; }
size=$($PODMAN image inspect "$IMAGE" --format '{{.Size}}')
log "image built in $(( $(date +%s) - start )) s: $(( size / 1000000 )) MB ($size bytes)"
# Dangling layers of earlier builds would fill the vfs store.
$PODMAN image prune -f >/dev/null 2>&1 || true
KEEPER_IMAGE="$IMAGE" PODMAN="$PODMAN" vitest run --config keeper/test/container/vitest.config.ts
