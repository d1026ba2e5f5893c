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
# Per worktree: other clones on this machine may build and check at the same time,
# sharing the image store (podman locks it) but not a tag or a log.
tag="check-$(printf '%s' "$ROOT" | sha256sum | cut -c1-8)"
IMAGE="localhost/tributary-keeper:$tag"
mkdir -p "$TRIBUTARY_CACHE/container"
build_log="$TRIBUTARY_CACHE/container/build-$tag.log"
log "building $IMAGE from keeper/Dockerfile"
start=$(date +%s)
# The layer cache makes a rebuild with unchanged sources take seconds.
$PODMAN build --network=host $PODMAN_LIMITS -f keeper/Dockerfile -t "$IMAGE" . >"$build_log" 2>&1 \
  || { tail -40 "$build_log" >&2; exit 1; }
size=$($PODMAN image inspect "$IMAGE" --format '{{.Size}}')
log "image built in $(( $(date +%s) - start )) s: $(( size / 1000000 )) MB ($size bytes)"
# No `image prune` here: the build stage's dangling images are the layer cache that makes
# the next build fast (and deleting vfs layers takes minutes).
KEEPER_IMAGE="$IMAGE" PODMAN="$PODMAN" vitest run --config keeper/test/container/vitest.config.ts
