#!/usr/bin/env bash
# Publishes the reconciler as a NativeAOT executable: artifacts/native/Homelab.Reconciler (plus libgit2's
# native library beside it). The image, the benchmark and the native tests all use this one build.
# Installs the native toolchain (clang, lld, zlib) with apt-get when it is missing.
# Usage: eng/publish-native.sh     progress on stderr; the last line of stdout is the executable's path.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
say() { echo "publish-native: $*" >&2; }

need=()
command -v clang >/dev/null 2>&1 || need+=(clang)
command -v ld.lld >/dev/null 2>&1 || need+=(lld)
[[ -e /usr/include/zlib.h ]] || need+=(zlib1g-dev)
if ((${#need[@]})); then
  say "installing ${need[*]} (NativeAOT's compiler and linker)"
  "$repo/eng/apt-install.sh" "${need[@]}"
fi

out="$repo/artifacts/native"
rm -rf "$out"
say "publishing Homelab.Reconciler as a native executable (minutes on 2 cores; unchanged sources are quick)"
# Its own artifacts path keeps this publish-only restore (the linux-x64 runtime packs) away from the solution's obj/ folders.
dotnet publish "$repo/Homelab.Reconciler" -nologo -v quiet -c Release -r linux-x64 \
  --artifacts-path "$repo/artifacts/native-build" -o "$out" \
  -p:GenerateDocumentationFile=false >&2
# Symbols stay in the build folder; the executable is what ships.
rm -f "$out"/*.dbg "$out"/*.pdb
echo "$out/Homelab.Reconciler"
