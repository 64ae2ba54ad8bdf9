#!/usr/bin/env bash
# Publishes the reconciler as a NativeAOT executable (plus libgit2's native library beside it) for linux/amd64
# (artifacts/native/Homelab.Reconciler) or, cross-compiled on an amd64 machine, linux/arm64
# (artifacts/native-arm64/Homelab.Reconciler). The image, the benchmark and the native tests all use this one build.
# Installs what is missing with apt-get: clang, lld and zlib; for arm64 also Microsoft's documented NativeAOT
# cross-compilation setup from Debian's packages (binutils-aarch64-linux-gnu, gcc-aarch64-linux-gnu, zlib1g-dev:arm64),
# the arm64 libraries the image's arm64 root filesystem is made of (libc6, libgcc-s1, libssl3: the :arm64 packages)
# and qemu-user-static, which runs the arm64 executable on this machine (the tests).
# Usage: eng/publish-native.sh [--arch amd64|arm64]   (default amd64) progress on stderr; the last line of stdout
#        is the executable's path.
set -euo pipefail

arch=amd64
while (($#)); do
  case "$1" in
    --arch) [[ "${2:-}" == amd64 || "${2:-}" == arm64 ]] || { echo "publish-native: --arch takes amd64 or arm64" >&2; exit 2; }; arch="$2"; shift 2 ;;
    *) echo "publish-native: unknown argument $1 (usage: eng/publish-native.sh [--arch amd64|arm64])" >&2; exit 2 ;;
  esac
done

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
say() { echo "publish-native: $*" >&2; }

need=()
command -v clang >/dev/null 2>&1 || need+=(clang)
command -v ld.lld >/dev/null 2>&1 || need+=(lld)
[[ -e /usr/include/zlib.h ]] || need+=(zlib1g-dev)
if [[ "$arch" == arm64 ]]; then
  command -v aarch64-linux-gnu-objcopy >/dev/null 2>&1 || need+=(binutils-aarch64-linux-gnu)
  command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 || need+=(gcc-aarch64-linux-gnu)
  command -v qemu-aarch64-static >/dev/null 2>&1 || need+=(qemu-user-static)
  for lib in libz.a libz.so.1 libssl.so.3 libcrypto.so.3 libgcc_s.so.1 libc.so.6 ld-linux-aarch64.so.1; do
    [[ -e "/usr/lib/aarch64-linux-gnu/$lib" ]] || { need+=(zlib1g-dev:arm64 libssl3:arm64 libgcc-s1:arm64 libc6:arm64); break; }
  done
fi
if ((${#need[@]})); then
  say "installing ${need[*]} (NativeAOT's compiler, linker and target libraries)"
  "$repo/eng/apt-install.sh" "${need[@]}"
fi

case "$arch" in
  amd64) rid=linux-x64; out="$repo/artifacts/native"; build="$repo/artifacts/native-build" ;;
  arm64) rid=linux-arm64; out="$repo/artifacts/native-arm64"; build="$repo/artifacts/native-build-arm64" ;;
esac
# One publish per architecture at a time (the test fixtures of the native executable and of the image both ask for
# it); the executable is replaced by rename, file by file, so whatever runs the previous one never finds it missing.
mkdir -p "$repo/artifacts"
exec 9>"$repo/artifacts/.publish-native-$arch.lock"
flock 9
staging="$out.staging"
rm -rf "$staging"
say "publishing Homelab.Reconciler for $rid as a native executable (minutes on 2 cores; unchanged sources are quick)"
# Its own artifacts path per architecture keeps this publish-only restore (the runtime packs of $rid) away from the
# solution's obj/ folders and from the other architecture's. Cross-compiling, the ILCompiler targets call clang with
# --target=aarch64-linux-gnu, which finds the C runtime and zlib of Debian's arm64 packages.
dotnet publish "$repo/Homelab.Reconciler" -nologo -v quiet -c Release -r "$rid" \
  --artifacts-path "$build" -o "$staging" \
  -p:GenerateDocumentationFile=false >&2 9>&-   # the lock is not handed to build servers that outlive this script
# Symbols stay in the build folder; the executable is what ships.
rm -f "$staging"/*.dbg "$staging"/*.pdb
mkdir -p "$out"
for file in "$staging"/*; do mv -f "$file" "$out/"; done
rmdir "$staging"
echo "$out/Homelab.Reconciler"
