#!/usr/bin/env bash
# Makes sure the Debian/Ubuntu packages EdgeVoice needs are present.
#   scripts/deps.sh run    what the daemon needs: libespeak-ng1, espeak-ng-data, libasound2 (and ICU)
#   scripts/deps.sh test   the same, plus mosquitto and openssl for the integration tests
# As root it installs what is missing; otherwise it names the packages and exits 1.
set -euo pipefail

want=(libespeak-ng1 espeak-ng-data)
# Ubuntu 24.04 renamed libasound2 to libasound2t64; either provides libasound.so.2.
if dpkg-query -W -f='${Status}' libasound2t64 2>/dev/null | grep -q "ok installed"; then
  want+=(libasound2t64)
elif apt-cache show libasound2t64 >/dev/null 2>&1 && ! apt-cache show libasound2 2>/dev/null | grep -q '^Version'; then
  want+=(libasound2t64)
else
  want+=(libasound2)
fi
# ICU (Unicode normalisation for the voices' phonemes): libicu72 on Debian 12, libicu74 on Ubuntu 24.04, ...
if ! ldconfig -p 2>/dev/null | grep -q 'libicuuc\.so\.[0-9]'; then
  icu=$(apt-cache search --names-only '^libicu[0-9]+$' 2>/dev/null | awk '{print $1}' | sort -V | tail -n 1)
  want+=("${icu:-libicu72}")
fi
if [ "${1:-run}" = test ]; then
  want+=(mosquitto openssl)  # openssl makes the TLS test's certificates
fi

missing=()
for package in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  echo "Installing ${missing[*]} ..." >&2
  apt-get update -qq
  # A policy that stops package scripts from starting services: installing mosquitto for the
  # tests must not leave a broker running on port 1883.
  policy=/usr/sbin/policy-rc.d
  created_policy=no
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && created_policy=yes
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  if [ "$created_policy" = yes ]; then
    rm -f "$policy"
  fi
else
  echo "EdgeVoice needs these packages: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
