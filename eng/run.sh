#!/usr/bin/env bash
# The run command: starts the AppHost (dashboard, Navidrome, Syncthing, reconciler).
# With a working Docker engine (Docker Desktop) this is just `dotnet run --project Homelab.AppHost`.
# Without one, it prepares podman and a local Syncthing image first (eng/setup-podman.sh).
# Secret parameters: the AppHost itself reads secrets/homelab.sops.yaml with your age key, found as sops finds it
# (SOPS_AGE_KEY_FILE, SOPS_AGE_KEY, ~/.config/sops/age/keys.txt); without a key it says so and uses user secrets.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ -z "${ASPIRE_CONTAINER_RUNTIME:-}" ]] && ! docker info >/dev/null 2>&1; then
  echo "run: no Docker engine answers; using podman (eng/setup-podman.sh)" >&2
  # Assigned first: a failing setup stops here (set -e does not see a failure inside eval "$(…)").
  podman_env="$(eng/setup-podman.sh)"
  eval "$podman_env"
  # No registry may be reachable: Syncthing runs from the image built from Debian's package.
  export Homelab__Syncthing__Image="${Homelab__Syncthing__Image:-localhost/homelab-syncthing}"
  export Homelab__Syncthing__Tag="${Homelab__Syncthing__Tag:-1.19.2}"
fi
exec dotnet run --project Homelab.AppHost "$@"
