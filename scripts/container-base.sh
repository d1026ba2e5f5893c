#!/usr/bin/env bash
# Makes the container tooling and base image available on this machine, once:
#   - podman, runc and debootstrap (Debian packages) when missing;
#   - a local stand-in for the keeper Dockerfile's pinned base image
#     (node:22.23.0-bookworm-slim), because no image registry is reachable here:
#     Debian bookworm (debootstrap, minbase), the Node 22 binary bootstrap installed
#     from the npm registry, npm, a `node` user (uid 1000), and this machine's CA
#     bundle so `npm ci` inside a build reaches the registry through its proxy.
#     Tagged with the official name, so the Dockerfile stays unmodified. Keep it out
#     of anything published: it carries this machine's CA.
# See /work/shared/notes/containers.md for why each flag is there.
set -euo pipefail
source "$(dirname "$0")/env.sh"

need=()
for pkg in podman runc debootstrap; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >&2
fi

# Our own image store (vfs, under the cache): independent of any other podman use here.
export PODMAN="podman --root $TRIBUTARY_CACHE/containers/storage --runroot /run/tributary-containers --storage-driver=vfs --runtime runc --cgroup-manager=cgroupfs"
export PODMAN_LIMITS="--ulimit nofile=1024:1024 --ulimit nproc=1024:1024"
BASE_IMAGE="docker.io/library/node:22.23.0-bookworm-slim"
export BASE_IMAGE

if $PODMAN image exists "$BASE_IMAGE"; then
  return 0 2>/dev/null || exit 0
fi

node_bin="$(readlink -f "$(command -v node)")"
npm_dir="$(dirname "$(readlink -f "$(command -v npm)")")/.."
mirror="$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)"
mirror="${mirror:-http://deb.debian.org/debian}"
root="$TRIBUTARY_CACHE/container/base-rootfs"
log "building the stand-in base image $BASE_IMAGE (debootstrap from $mirror)"
if [ ! -f "$root/.debootstrapped" ]; then
  rm -rf "$root"
  mkdir -p "$root"
  debootstrap --variant=minbase bookworm "$root" "$mirror" >&2
  touch "$root/.debootstrapped"
fi
install -m 0755 "$node_bin" "$root/usr/local/bin/node"
mkdir -p "$root/usr/local/lib/node_modules"
cp -a "$(readlink -f "$npm_dir")" "$root/usr/local/lib/node_modules/npm"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
chroot "$root" id -u node >/dev/null 2>&1 || chroot "$root" useradd -m -u 1000 node
mkdir -p "$root/etc/ssl/certs"
cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
rm -rf "$root/var/cache/apt/archives/"*.deb "$root/var/lib/apt/lists/"*
tar -C "$root" --exclude=./.debootstrapped -c . | $PODMAN import \
  --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  - "$BASE_IMAGE" >&2
rm -rf "$root"
log "base image ready"
