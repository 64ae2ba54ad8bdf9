#!/usr/bin/env bash
# Prepares a Debian machine without Docker to run Homelab's containers on podman:
# installs podman + runc (+ Debian's syncthing and busybox, and containerd, into which the image tests import the
# reconciler image as a k3s or kubeadm node would), and builds a local Syncthing image
# (no registry is reachable here, so images cannot be pulled).
# Docker Desktop users need none of this.
# Usage: eval "$(eng/setup-podman.sh)"   (idempotent; prints the environment to export)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
image="${HOMELAB_SYNCTHING_IMAGE:-localhost/homelab-syncthing}"
tag="${HOMELAB_SYNCTHING_TAG:-1.19.2}"
# Bumped when the image's contents change, so a machine holding an older build gets a new one.
revision=3
export CONTAINERS_CONF="$here/containers.conf"

need=()
for cmd in podman runc syncthing containerd busybox; do
  command -v "$cmd" >/dev/null 2>&1 || need+=("$cmd")
done
if ((${#need[@]})); then
  echo "setup-podman: installing ${need[*]}" >&2
  "$here/apt-install.sh" podman runc syncthing containerd busybox
fi

if [ "$(podman image inspect --format '{{index .Labels "homelab.revision"}}' "$image:$tag" 2>/dev/null)" != "$revision" ]; then
  echo "setup-podman: building $image:$tag (revision $revision) from /usr/bin/syncthing" >&2
  podman rmi --force "$image:$tag" >/dev/null 2>&1 || true
  rootfs="$(mktemp -d)"
  trap 'rm -rf "$rootfs"' EXIT
  mkdir -p "$rootfs"/{bin,tmp,etc,var/syncthing/config,var/syncthing/data}
  cp /usr/bin/syncthing "$rootfs/bin/syncthing"
  # A POSIX shell, as the official image has (busybox): the init step pipes the GUI password to
  # `syncthing generate --gui-password -` instead of passing it as an argument.
  cp /bin/dash "$rootfs/bin/sh"
  # The tools the official image has from busybox, which the backup sidecar's loop uses (cp, date, ls, ...).
  cp /usr/bin/busybox "$rootfs/bin/busybox"
  for applet in cat chown cp date id ls mkdir mv rm sleep sort stat; do
    ln -s busybox "$rootfs/bin/$applet"
  done
  # The binaries' shared libraries, at the paths the loader expects.
  for binary in /usr/bin/syncthing /bin/dash /usr/bin/busybox; do
    for lib in $(ldd "$binary" | grep -o '/[^ ]*'); do
      mkdir -p "$rootfs$(dirname "$lib")"
      cp -L "$lib" "$rootfs$lib"
    done
  done
  echo 'root:x:0:0:root:/var/syncthing:/bin/syncthing' >"$rootfs/etc/passwd"
  echo 'root:x:0:' >"$rootfs/etc/group"
  chmod 1777 "$rootfs/tmp"
  tar -C "$rootfs" -cf "$rootfs.tar" .
  # Same entrypoint and home as the official image, so the AppHost passes the same arguments.
  podman import \
    --change 'ENTRYPOINT ["/bin/syncthing"]' \
    --change 'ENV HOME=/var/syncthing' \
    --change 'WORKDIR /var/syncthing' \
    --change "LABEL homelab.revision=$revision" \
    "$rootfs.tar" "$image:$tag" >/dev/null
  rm -f "$rootfs.tar"
fi

# The environment podman needs; eng/run.sh adds the image override for the AppHost.
cat <<ENV
export CONTAINERS_CONF=$CONTAINERS_CONF
export ASPIRE_CONTAINER_RUNTIME=podman
ENV
