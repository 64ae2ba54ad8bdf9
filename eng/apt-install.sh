#!/usr/bin/env bash
# Installs Debian packages, waiting while another apt process holds the lock (a fresh machine often runs
# unattended upgrades at boot) rather than failing the build.
# A package of another architecture (NAME:arm64) first adds that architecture to dpkg (once), as Debian's multiarch
# needs before apt-get update can list it.
# Usage: eng/apt-install.sh PACKAGE...   (progress on stderr)
set -euo pipefail

for package in "$@"; do
  [[ "$package" == *:* ]] || continue
  foreign="${package##*:}"
  if [[ "$foreign" != "$(dpkg --print-architecture)" ]] && ! dpkg --print-foreign-architectures | grep -qx "$foreign"; then
    echo "apt-install: adding the $foreign architecture (dpkg --add-architecture $foreign)" >&2
    dpkg --add-architecture "$foreign"
  fi
done

for attempt in $(seq 1 30); do
  if { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"; } >/dev/null 2>&1; then
    exit 0
  fi
  echo "apt-install: apt-get failed (attempt $attempt; another apt may hold the lock); retrying in 10 s" >&2
  sleep 10
done
echo "apt-install: could not install $*" >&2
exit 1
