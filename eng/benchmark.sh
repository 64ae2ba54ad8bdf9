#!/usr/bin/env bash
# The benchmark command: the reconciler against kubectl on a real API server (DCP, --server-only),
# fresh apply, no-op, idle poll, webhook and drift latency, resident memory.
# Markdown table on stdout, JSON in artifacts/benchmark.json.
# Usage: eng/benchmark.sh [--quick]   (--quick: reduced sizes for CI; proves it works, not the timings)
#        eng/benchmark.sh --soak N      (only the soak: N full cycles over 200 objects; a leak exits 1)
# Needs: .NET SDK, git, kubectl (v1.32 here). DCP comes with the Aspire NuGet package; the native
# reconciler is published first (eng/publish-native.sh, which installs clang, lld and zlib1g-dev if missing).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

for cmd in git kubectl dotnet; do
  command -v "$cmd" >/dev/null 2>&1 || { echo "benchmark: $cmd is required on PATH" >&2; exit 2; }
done

dotnet build Homelab.Benchmarks/Homelab.Benchmarks.csproj -c Release -warnaserror -nologo -clp:ErrorsOnly >&2
# The native executable the image ships: what the whole-process scenarios and the soak run.
HOMELAB_NATIVE_RECONCILER="$(eng/publish-native.sh)"
export HOMELAB_NATIVE_RECONCILER
exec dotnet Homelab.Benchmarks/bin/Release/net10.0/Homelab.Benchmarks.dll --output artifacts/benchmark.json "$@"
