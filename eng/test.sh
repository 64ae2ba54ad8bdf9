#!/usr/bin/env bash
# The test command: prepares what the tests need (podman + the local Syncthing image, the native
# toolchain), builds with warnings as errors, publishes the native reconciler and builds its image, and
# runs the whole suite. DCP comes with the Aspire NuGet packages.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Assigned first: a failing setup stops here (set -e does not see a failure inside eval "$(…)").
podman_env="$(eng/setup-podman.sh)"
eval "$podman_env"
export ASPIRE_ALLOW_UNSECURED_TRANSPORT=true DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# The independent age and SOPS implementations the secrets interop tests compare against (age CLI, npm sops-age).
eng/install-interop.sh
dotnet build Homelab.sln -c Release -warnaserror -nologo -clp:ErrorsOnly
# The native reconciler (NativeAOT; installs clang, lld and zlib1g-dev when missing) that the native tests
# (Homelab.Tests/Native) and the image run: published once, before the suite, which then finds it up to date.
eng/publish-native.sh >/dev/null
# The reconciler image the image tests run (Homelab.Tests/Image): built before the suite so its publish
# does not compete with running tests; their fixture then finds it up to date.
eng/build-image.sh >/dev/null
log="$(mktemp)"
# Every temporary folder of the run (the tests' own, git's, kubectl's, DCP's) goes under one folder that is
# removed at the end: hundreds of repositories, state directories and corpus copies per run used to stay in /tmp.
TMPDIR="$(mktemp -d /tmp/homelab-tests.XXXXXX)"
export TMPDIR
trap 'rm -rf "$TMPDIR" || true' EXIT
set +e
dotnet test Homelab.sln -c Release --no-build --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One plain summary line: "N passed, N failed, N skipped": the runner's totals, summed over every test
# assembly (each prints its own "Total tests:" block; only the lines of those blocks are counted).
total() { awk -v key="$1:" '/^Total tests: [0-9]+/ { block = 4; next } block > 0 { block--; if ($1 == key) sum += $2 } END { print sum + 0 }' "$log"; }
if grep -qE '^Total tests: [0-9]+' "$log"; then
  echo "tests: $(total Passed) passed, $(total Failed) failed, $(total Skipped) skipped"
fi
rm -f "$log"
exit "$status"
