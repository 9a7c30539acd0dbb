#!/usr/bin/env bash
# Gives this machine a Docker-compatible container runtime for the testcontainers path, with
# no registry: podman's Docker API, runc, postgres/redis images built locally from Debian
# packages, and a Node image for `grade --sandbox`. Images already built are reused. Needs root (CI runs as root).
#   bash .ci/containers/setup.sh          install + build images (idempotent)
# Then start the API with .ci/containers/service.sh start (and stop it with ... stop).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=${WORKBOOK_CONTAINERS_WORKDIR:-/var/tmp/workbook-containers}

need=()
for pkg in podman runc debootstrap; do dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg"); done
if ((${#need[@]})); then
  echo "installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

# The sandbox cannot grant podman's default rlimits, and crun does not run on its hybrid
# cgroups: cap the limits at what we have and use runc with cgroupfs.
nofile=$(ulimit -Hn); nproc=$(ulimit -Hu)
[[ $nofile == unlimited ]] && nofile=1048576
[[ $nproc == unlimited || $nproc -gt 32768 ]] && nproc=32768
mkdir -p /etc/containers
cat > /etc/containers/containers.conf <<CONF
[containers]
default_ulimits = ["nofile=${nofile}:${nofile}", "nproc=${nproc}:${nproc}"]
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = "runc"
CONF

# One Debian root filesystem with both servers, imported once as the base of both images.
if ! podman image exists localhost/workbook-base:bookworm; then
  echo "building the base image (debootstrap, a few minutes, once per machine)"
  rootfs="$work/rootfs"
  rm -rf "$rootfs"; mkdir -p "$work"
  debootstrap --variant=minbase --include=postgresql-15,redis-server,ca-certificates bookworm "$rootfs" >/dev/null
  # The package's own cluster is not wanted: the entrypoint makes one in PGDATA.
  rm -rf "$rootfs"/var/lib/postgresql/15/main "$rootfs"/var/cache/apt/archives/*.deb \
         "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/*
  tar -C "$rootfs" --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' -c . \
    | podman import --change 'CMD ["/bin/bash"]' - localhost/workbook-base:bookworm >/dev/null
  rm -rf "$rootfs"
fi

for name in postgres redis; do
  image="localhost/workbook-$name:local"
  # Rebuilt only when its recipe changes (podman's layer cache makes an unchanged build cheap).
  podman build --pull=never -q -t "$image" "$here/$name" >/dev/null
  echo "image ready: $image"
done

# The image `grade --sandbox` runs learner code in: the base with the Node 24 build that CI's
# Node rows use (the official node image's stand-in, as the two above stand in for theirs).
node_dir=$(bash "$here/../node-build.sh" 24)
context=$(mktemp -d)
cp "$here/node/Containerfile" "$context/" && cp "$node_dir/bin/node" "$context/node"
podman build --pull=never -q -t localhost/workbook-node:local "$context" >/dev/null
rm -rf "$context"
echo "image ready: localhost/workbook-node:local"
