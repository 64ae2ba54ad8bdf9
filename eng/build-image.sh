#!/usr/bin/env bash
# Builds the reconciler's container image, homelab-reconciler:<Version of Directory.Build.props>, for linux/amd64 and
# linux/arm64, without any registry: no base image is pulled. Each architecture's root filesystem is assembled here
# from a native (NativeAOT) publish of Homelab.Reconciler (arm64 cross-compiled, eng/publish-native.sh) plus the shared
# libraries it loads, taken from Debian's packages of that architecture (amd64: this machine's own; arm64: the
# :arm64 multiarch packages), and CA certificates.
# With podman (the default when installed) the result is
#   - a manifest list (an OCI index, one image per platform) in podman's store: localhost/homelab-reconciler:<version>
#     (the images of the platforms: localhost/homelab-reconciler:<version>-amd64 and -arm64);
#   - an OCI archive, artifacts/image/homelab-reconciler-<version>.tar: the index named with the published Deployment's
#     image, docker.io/library/homelab-reconciler:<version> (annotations io.containerd.image.name and
#     org.opencontainers.image.ref.name), plus Docker's manifest.json for the amd64 image. It loads with
#       ctr -n k8s.io images import FILE   |   sudo k3s ctr images import FILE   |   docker load -i FILE
#       kind load image-archive FILE       |   podman manifest push --all localhost/homelab-reconciler:<v> docker://REGISTRY/…
# With Docker (HOMELAB_CONTAINER_TOOL=docker) the amd64 image is imported as homelab-reconciler:<version> (Docker's
# own store holds one platform per name); the multi-platform index and the archive need podman.
# Needs a Debian (12) x86-64 machine; missing packages are installed with apt-get.
# Usage: eng/build-image.sh [--arch amd64|arm64] [--save FILE]
#          progress on stderr; the last line of stdout is the image reference.
#        --arch ARCH   builds that architecture only (a faster local loop); default: both.
#        --save FILE   also copies the OCI archive to FILE (with Docker: docker save of the amd64 image).
set -euo pipefail

archs=(amd64 arm64)
save=
while (($#)); do
  case "$1" in
    --save) [[ $# -ge 2 && -n "$2" ]] || { echo "build-image: --save needs a file" >&2; exit 2; }; save="$2"; shift 2 ;;
    --arch) [[ "${2:-}" == amd64 || "${2:-}" == arm64 ]] || { echo "build-image: --arch takes amd64 or arm64" >&2; exit 2; }; archs=("$2"); shift 2 ;;
    *) echo "build-image: unknown argument $1 (usage: eng/build-image.sh [--arch amd64|arm64] [--save FILE])" >&2; exit 2 ;;
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
# Docker's store holds one platform per name: the amd64 image.
[[ "$tool" == docker ]] && archs=(amd64)
# readelf lists what each binary links; jq edits the archive's index.
need=()
command -v readelf >/dev/null 2>&1 || need+=(binutils)
command -v jq >/dev/null 2>&1 || need+=(jq)
((${#need[@]} == 0)) || "$repo/eng/apt-install.sh" "${need[@]}"

version="$(dotnet msbuild "$repo/Homelab.Reconciler" -getProperty:Version -nologo)"
# podman names a local image localhost/NAME; Docker Desktop's cluster sees the short name the manifests use.
name="homelab-reconciler:$version"
[[ "$tool" == podman ]] && name="localhost/$name"
# The name the published Deployment uses (Homelab.AppHost/Publishing/PublishSettings.cs, ReconcilerImage): what
# containerd (and so the kubelet) and Docker call the short homelab-reconciler:<version>, so an imported image is
# found without any pull. The image tests check that the two agree.
published="docker.io/library/homelab-reconciler:$version"

work="$repo/artifacts/image"
mkdir -p "$work"

# The shared libraries a binary needs, resolved in that architecture's Debian multiarch folders: readelf reads any
# architecture's ELF (ldd would have to run the binary's own loader). Prints absolute paths, each once.
libraries() {
  local triple="$1"; shift
  local -A seen=()
  local queue=("$@") file lib found
  while ((${#queue[@]})); do
    file="${queue[0]}"; queue=("${queue[@]:1}")
    for lib in $(readelf -d "$file" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
      [[ -n "${seen[$lib]:-}" ]] && continue
      seen[$lib]=1
      found=
      for dir in "/lib/$triple" "/usr/lib/$triple"; do
        [[ -e "$dir/$lib" ]] && { found="$dir/$lib"; break; }
      done
      # A library beside the executable (libgit2) ships in /app already.
      [[ -z "$found" && -e "$(dirname "$1")/$lib" ]] && continue
      [[ -n "$found" ]] || { say "$lib (needed by $file) is not in /lib/$triple or /usr/lib/$triple"; return 2; }
      echo "$found"
      queue+=("$found")
    done
  done
}

# Builds one architecture's root filesystem as a deterministic tar: $work/<arch>/rootfs.tar.
assemble() {
  local arch="$1" triple executable app rootfs lib interpreter libs
  case "$arch" in
    amd64) triple=x86_64-linux-gnu ;;
    arm64) triple=aarch64-linux-gnu ;;
  esac
  # The NativeAOT executable and libgit2 beside it (no .NET runtime in the image); for arm64 this also installs
  # Debian's arm64 libraries the root filesystem takes below.
  executable="$("$repo/eng/publish-native.sh" --arch "$arch")"
  app="$(dirname "$executable")"
  rootfs="$work/$arch/rootfs"
  rm -rf "$rootfs"
  say "assembling the $arch root filesystem"
  mkdir -p "$rootfs"/{app,etc,tmp,home/app,var/lib/homelab,usr/lib/ssl}
  cp -a "$app/." "$rootfs/app/"
  chmod 1777 "$rootfs/tmp"
  echo 'root:x:0:0:root:/root:/sbin/nologin' >"$rootfs/etc/passwd"
  echo 'app:x:1654:1654:app:/home/app:/sbin/nologin' >>"$rootfs/etc/passwd"
  printf 'root:x:0:\napp:x:1654:\n' >"$rootfs/etc/group"

  # The program interpreter at the path the executable names, and the shared libraries at the loader's default
  # search path: what the executable and libgit2 link, plus OpenSSL, which .NET's crypto code and libgit2 load with
  # dlopen (so no ELF header names it).
  interpreter="$(readelf -l "$executable" | sed -n 's/.*Requesting program interpreter: \(.*\)\]/\1/p')"
  [[ -n "$interpreter" ]] || { say "$executable names no program interpreter"; exit 2; }
  mkdir -p "$rootfs$(dirname "$interpreter")"
  cp -L "/usr/lib/$triple/$(basename "$interpreter")" "$rootfs$interpreter"
  for lib in libssl.so.3 libcrypto.so.3; do
    [[ -e "/usr/lib/$triple/$lib" ]] || { say "/usr/lib/$triple/$lib not found: install libssl3 ($arch)"; exit 2; }
  done
  libs="$(libraries "$triple" "$executable" "$app"/*.so "/usr/lib/$triple/libssl.so.3" "/usr/lib/$triple/libcrypto.so.3")"
  mkdir -p "$rootfs/lib/$triple"
  for lib in $libs "/usr/lib/$triple/libssl.so.3" "/usr/lib/$triple/libcrypto.so.3"; do
    # The loader itself is in place already.
    [[ "$(basename "$lib")" == "$(basename "$interpreter")" ]] && continue
    cp -L "$lib" "$rootfs/lib/$triple/$(basename "$lib")"
  done

  # Debian's CA bundle and hashed certificates (https Git remotes), where OpenSSL looks by default.
  mkdir -p "$rootfs/etc/ssl"
  cp -rL /etc/ssl/certs "$rootfs/etc/ssl/certs"
  ln -s /etc/ssl/certs "$rootfs/usr/lib/ssl/certs"
  ln -s /etc/ssl/certs/ca-certificates.crt "$rootfs/usr/lib/ssl/cert.pem"

  # Deterministic tar (names sorted, fixed times and owners) so an unchanged tree is recognised.
  # HOME and the state directory belong to the app user; everything else to root.
  tar -C "$rootfs" --sort=name --mtime=@0 --numeric-owner --owner=0 --group=0 \
    --exclude=./home/app --exclude=./var/lib/homelab -cf "$work/$arch/rootfs.tar" .
  tar -C "$rootfs" --sort=name --mtime=@0 --numeric-owner --owner=1654 --group=1654 \
    -rf "$work/$arch/rootfs.tar" ./home/app ./var/lib/homelab
  rm -rf "$rootfs"
}

# Imports one architecture's root filesystem as IMAGE unless IMAGE already holds that very tree.
import_image() {
  local arch="$1" image="$2" digest current previous
  digest="$(sha256sum "$work/$arch/rootfs.tar" | cut -c1-64)"
  current="$("$tool" image inspect --format '{{ index .Config.Labels "dev.homelab.rootfs" }}' "$image" 2>/dev/null || true)"
  if [[ "$current" == "$digest" ]]; then
    say "$image is up to date"
  else
    say "importing $image (linux/$arch)"
    previous="$("$tool" image inspect --format '{{ .Id }}' "$image" 2>/dev/null || true)"
    # One instruction per --change: import does not split several ENV or LABEL pairs.
    "$tool" import --os linux --arch "$arch" \
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
      "$work/$arch/rootfs.tar" "$image" >/dev/null 2>&1
    # The replaced image would linger untagged.
    [[ -n "$previous" ]] && "$tool" image rm "$previous" >/dev/null 2>&1 || true
  fi
  rm -f "$work/$arch/rootfs.tar"
  echo "$digest"
}

for arch in "${archs[@]}"; do
  assemble "$arch"
done

if [[ "$tool" == docker ]]; then
  import_image amd64 "$name" >/dev/null
  say "$name: $(docker image inspect --format '{{ .Size }}' "$name") bytes (linux/amd64)"
  if [[ -n "$save" ]]; then
    docker tag "$name" "$published"
    rm -f "$save"
    docker save -o "$save" "$published"
    say "saved $published to $save"
  fi
  echo "$name"
  exit 0
fi

# One image per platform, then the manifest list naming them all (rebuilt each time: it is only a manifest).
stamp=
for arch in "${archs[@]}"; do
  stamp+="$arch=$(import_image "$arch" "$name-$arch") "
done
if podman manifest exists "$name" 2>/dev/null; then
  podman manifest rm "$name" >/dev/null
elif podman image exists "$name"; then
  # An earlier build's single-platform image under the list's name.
  podman image rm "$name" >/dev/null 2>&1 || podman untag "$name" "$name" >/dev/null
fi
podman manifest create "$name" >/dev/null
for arch in "${archs[@]}"; do
  podman manifest add "$name" "containers-storage:$name-$arch" >/dev/null
done

# The OCI archive, rewritten only when a platform's tree changed.
archive="$work/homelab-reconciler-$version.tar"
if [[ -f "$archive" && -f "$archive.stamp" && "$(cat "$archive.stamp")" == "$stamp" ]]; then
  say "$archive is up to date"
else
  say "writing $archive"
  layout="$work/oci"
  rm -rf "$layout" "$archive" "$archive.stamp"
  # The layout's index.json gets one entry, the list (an OCI image index), with the published name as its ref name.
  podman manifest push --quiet --all --format oci "$name" "oci:$layout:$published" >/dev/null
  list="$(jq -r '.manifests[0].digest' "$layout/index.json" | cut -d: -f2)"
  # containerd (ctr, k3s, kind, Docker's containerd store) names an imported index by io.containerd.image.name.
  jq -c --arg name "$published" '.mediaType = "application/vnd.oci.image.index.v1+json"
    | .manifests[0].annotations = {"io.containerd.image.name": $name, "org.opencontainers.image.ref.name": $name}' \
    "$layout/index.json" >"$layout/index.json.new"
  mv "$layout/index.json.new" "$layout/index.json"
  # Docker's own store (no containerd) reads manifest.json and keeps one platform per name: the amd64 image
  # (containerd prefers index.json when both are present, so it still gets every platform).
  docker_arch=amd64
  [[ " ${archs[*]} " == *" amd64 "* ]] || docker_arch="${archs[0]}"
  manifest="$(jq -r --arg arch "$docker_arch" '.manifests[] | select(.platform.architecture == $arch) | .digest' "$layout/blobs/sha256/$list" | cut -d: -f2)"
  jq -c --arg name "$published" '[{Config: ("blobs/sha256/" + (.config.digest | split(":")[1])), RepoTags: [$name],
    Layers: [.layers[].digest | "blobs/sha256/" + split(":")[1]]}]' "$layout/blobs/sha256/$manifest" >"$layout/manifest.json"
  tar -C "$layout" --sort=name --mtime=@0 --numeric-owner --owner=0 --group=0 -cf "$archive.partial" oci-layout index.json manifest.json blobs
  mv "$archive.partial" "$archive"
  echo "$stamp" >"$archive.stamp"
  rm -rf "$layout"
fi

# What each platform weighs unpacked (the image tests measure the archive's layers too).
for arch in "${archs[@]}"; do
  say "$name-$arch: $(podman image inspect --format '{{ .Size }}' "$name-$arch") bytes unpacked (linux/$arch)"
done
say "$archive: $(stat -c %s "$archive") bytes, platforms ${archs[*]}, named $published"

if [[ -n "$save" ]]; then
  rm -f "$save"
  cp "$archive" "$save"
  say "saved $published to $save: import it on the node with \`sudo ctr -n k8s.io images import $save\` (k3s: \`sudo k3s ctr images import $save\`)"
fi
echo "$name"
