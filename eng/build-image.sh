#!/usr/bin/env bash
# Builds the reconciler's container image, homelab-reconciler:<Version of Directory.Build.props>,
# without any registry: no base image is pulled. The root filesystem is assembled here from a
# native (NativeAOT) publish of Homelab.Reconciler plus this machine's own shared libraries
# (found with ldd) and CA certificates, then imported with `podman import` or `docker import`.
# Needs a Linux x86-64 glibc machine with OpenSSL 3 (Debian 12, Ubuntu 22.04+, WSL2).
# Usage: eng/build-image.sh        progress on stderr; the last line of stdout is the image reference.
#        HOMELAB_CONTAINER_TOOL=docker eng/build-image.sh   to choose the tool (default: podman if present).
#        eng/build-image.sh --save FILE   also writes the image to FILE (a docker-archive) named
#            docker.io/library/homelab-reconciler:<version>, the name the published Deployment uses, for a
#            cluster that cannot see this machine's images (k3s, kubeadm with containerd):
#              sudo k3s ctr images import FILE        or        sudo ctr -n k8s.io images import FILE
set -euo pipefail

save=
while (($#)); do
  case "$1" in
    --save) [[ $# -ge 2 && -n "$2" ]] || { echo "build-image: --save needs a file" >&2; exit 2; }; save="$2"; shift 2 ;;
    *) echo "build-image: unknown argument $1 (usage: eng/build-image.sh [--save FILE])" >&2; exit 2 ;;
  esac
done

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
say() { echo "build-image: $*" >&2; }

tool="${HOMELAB_CONTAINER_TOOL:-}"
if [[ -z "$tool" ]]; then
  if command -v podman >/dev/null 2>&1; then tool=podman
  elif command -v docker >/dev/null 2>&1; then tool=docker
  else say "neither podman nor docker is installed (eng/setup-podman.sh installs podman)"; exit 2
  fi
fi
# The same podman settings as eng/setup-podman.sh (runc, no default ulimits).
[[ "$tool" == podman ]] && export CONTAINERS_CONF="${CONTAINERS_CONF:-$repo/eng/containers.conf}"

version="$(dotnet msbuild "$repo/Homelab.Reconciler" -getProperty:Version -nologo)"
# podman names a local image localhost/NAME; Docker Desktop's cluster sees the short name the manifests use.
name="homelab-reconciler:$version"
[[ "$tool" == podman ]] && name="localhost/$name"

work="$repo/artifacts/image"
rootfs="$work/rootfs"
rm -rf "$rootfs"
mkdir -p "$work"

# The NativeAOT executable and libgit2 beside it (eng/publish-native.sh; no .NET runtime in the image).
executable="$("$repo/eng/publish-native.sh")"
app="$(dirname "$executable")"

say "assembling the root filesystem"
mkdir -p "$rootfs"/{app,etc,tmp,home/app,var/lib/homelab,usr/lib/ssl}
cp -a "$app/." "$rootfs/app/"
chmod 1777 "$rootfs/tmp"
echo 'root:x:0:0:root:/root:/sbin/nologin' >"$rootfs/etc/passwd"
echo 'app:x:1654:1654:app:/home/app:/sbin/nologin' >>"$rootfs/etc/passwd"
printf 'root:x:0:\napp:x:1654:\n' >"$rootfs/etc/group"

# Shared libraries at the paths the loader expects: what the executable and libgit2 link (ldd), plus
# OpenSSL, which .NET's crypto code and libgit2 load with dlopen (so ldd cannot see it).
openssl=()
for lib in libssl.so.3 libcrypto.so.3; do
  path="$(ldconfig -p | awk -v l="$lib" '!found && $1 == l && /x86-64/ { print $NF; found = 1 }')"
  [[ -n "$path" ]] || { say "$lib not found: install libssl3"; exit 2; }
  openssl+=("$path")
done
libs="$(for f in "$app"/Homelab.Reconciler "$app"/*.so "${openssl[@]}"; do ldd "$f" 2>/dev/null || true; done \
  | grep -o '/[^ ]*' | grep -v "^$app/" | sort -u)"
for lib in $libs "${openssl[@]}"; do
  mkdir -p "$rootfs$(dirname "$lib")"
  cp -L "$lib" "$rootfs$lib"
done

# Debian's CA bundle and hashed certificates (https Git remotes), where OpenSSL looks by default.
mkdir -p "$rootfs/etc/ssl"
cp -rL /etc/ssl/certs "$rootfs/etc/ssl/certs"
ln -s /etc/ssl/certs "$rootfs/usr/lib/ssl/certs"
ln -s /etc/ssl/certs/ca-certificates.crt "$rootfs/usr/lib/ssl/cert.pem"

# Deterministic tar (names sorted, fixed times and owners) so an unchanged tree is recognised.
# HOME and the state directory belong to the app user; everything else to root.
tar -C "$rootfs" --sort=name --mtime=@0 --numeric-owner --owner=0 --group=0 \
  --exclude=./home/app --exclude=./var/lib/homelab -cf "$work/rootfs.tar" .
tar -C "$rootfs" --sort=name --mtime=@0 --numeric-owner --owner=1654 --group=1654 \
  -rf "$work/rootfs.tar" ./home/app ./var/lib/homelab
digest="$(sha256sum "$work/rootfs.tar" | cut -c1-64)"

current="$("$tool" image inspect --format '{{ index .Config.Labels "dev.homelab.rootfs" }}' "$name" 2>/dev/null || true)"
if [[ "$current" == "$digest" ]]; then
  say "$name is up to date"
else
  say "importing $name"
  previous="$("$tool" image inspect --format '{{ .Id }}' "$name" 2>/dev/null || true)"
  # One instruction per --change: import does not split several ENV or LABEL pairs.
  "$tool" import \
    --change 'ENTRYPOINT ["/app/Homelab.Reconciler"]' \
    --change 'CMD ["run"]' \
    --change 'USER 1654:1654' \
    --change 'WORKDIR /app' \
    --change 'ENV HOME=/home/app' \
    --change 'ENV DOTNET_RUNNING_IN_CONTAINER=true' \
    --change 'ENV ASPNETCORE_HTTP_PORTS=8080' \
    --change 'EXPOSE 8080' \
    --change "LABEL dev.homelab.rootfs=$digest" \
    --change "LABEL org.opencontainers.image.version=$version" \
    "$work/rootfs.tar" "$name" >/dev/null 2>&1
  # The replaced image would linger untagged.
  [[ -n "$previous" ]] && "$tool" image rm "$previous" >/dev/null 2>&1 || true
fi
rm -rf "$rootfs" "$work/rootfs.tar"
say "$name: $("$tool" image inspect --format '{{ .Size }}' "$name") bytes"

if [[ -n "$save" ]]; then
  # The full name: containerd (and so the kubelet) calls the short homelab-reconciler:<v> by it, and the
  # published Deployment says it, so the imported image is found without any pull.
  full="docker.io/library/homelab-reconciler:$version"
  "$tool" tag "$name" "$full"
  rm -f "$save"
  if [[ "$tool" == podman ]]; then
    podman save --quiet --format docker-archive -o "$save" "$full"
  else
    docker save -o "$save" "$full"
  fi
  say "saved $full to $save: import it on the node with \`sudo ctr -n k8s.io images import $save\` (k3s: \`sudo k3s ctr images import $save\`)"
fi
echo "$name"
