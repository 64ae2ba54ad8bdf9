#!/usr/bin/env bash
# Installs the independent implementations the interop tests run against: for the secrets tests (Homelab.Tests/Secrets)
# Debian's `age` and `age-keygen` (the age reference CLI), and npm's `sops-age` (a SOPS + age decoder) pinned by
# eng/interop/sops-age/package-lock.json (the sops CLI itself is not packaged for Debian 12); for the status page's
# tests (Homelab.Tests/Reconciler/StatusPage) a real browser, Debian's `chromium`, run headless.
# Usage: eng/install-interop.sh   (idempotent; progress on stderr)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
say() { echo "install-interop: $*" >&2; }

need=()
command -v age >/dev/null 2>&1 || need+=(age)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
[[ -x /usr/bin/chromium ]] || need+=(chromium)
if ((${#need[@]})); then
  say "installing ${need[*]}"
  "$repo/eng/apt-install.sh" "${need[@]}"
fi

# npm ci from the lock file: the exact versions, reinstalled only when the lock file changed.
interop="$repo/eng/interop/sops-age"
if ! cmp -s "$interop/package-lock.json" "$interop/node_modules/.package-lock.json.installed" 2>/dev/null; then
  say "npm ci in eng/interop/sops-age"
  (cd "$interop" && npm ci --no-audit --no-fund --loglevel=error >&2)
  cp "$interop/package-lock.json" "$interop/node_modules/.package-lock.json.installed"
fi
