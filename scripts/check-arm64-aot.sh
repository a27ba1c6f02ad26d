#!/usr/bin/env bash
# Cross-compiles the Native AOT release for linux-arm64 (clang, lld and an arm64 sysroot from Debian's
# packages) with ./build-arm64.sh --aot, fails on any trim or AOT warning, checks the binary is an
# aarch64 ELF and the .deb holds it, then runs it under qemu-user: the Text stage and one utterance of
# the built-in voice to a WAV file. (ONNX Runtime's CPU detection does not run under qemu, so the
# ONNX voices are checked on the x64 AOT build, by check-aot.sh.)
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "check-arm64-aot: $*" >&2; exit 1; }

packages=(clang lld llvm qemu-user-static libc6-dev:arm64 libgcc-12-dev:arm64 zlib1g-dev:arm64 libicu72:arm64 libespeak-ng1:arm64)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || fail "the arm64 cross build needs: sudo dpkg --add-architecture arm64 && sudo apt-get update && sudo apt-get install ${missing[*]}"
  dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || fail "could not install ${missing[*]}"
fi

log=$(mktemp)
./build-arm64.sh --aot >"$log" 2>&1 || { cat "$log"; fail "the arm64 AOT build failed"; }
if grep -E ': warning [A-Z]+[0-9]+' "$log" | sort -u | grep .; then
  fail "the arm64 AOT build has warnings (above)"
fi
deb=$(tail -n 1 "$log")
binary=artifacts/publish/linux-arm64-aot/edgevoice
machine=$(od -An -t u2 -j 18 -N 2 "$binary" | tr -d ' ')
[ "$machine" = 183 ] || fail "$binary is for ELF machine $machine, not aarch64 (183)"
contents=$(dpkg-deb -c "$deb")
grep -q ' ./opt/edgevoice/edgevoice$' <<<"$contents" || fail "$deb lacks the binary"
[ "$(dpkg-deb -f "$deb" Architecture)" = arm64 ] || fail "$deb is not for arm64"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
qemu-aarch64-static "$binary" text "It costs \$5 at 10:30." >"$work/text.jsonl" || fail "edgevoice text failed under qemu"
grep -q '"text":"It costs five dollars at ten thirty."' "$work/text.jsonl" || fail "the Text stage gave: $(cat "$work/text.jsonl")"
qemu-aarch64-static "$binary" say "The arm64 build speaks." --voices "$work/none" --out "$work/arm64.wav" 2>/dev/null || fail "edgevoice say failed under qemu"
[ "$(stat -c %s "$work/arm64.wav")" -gt 10000 ] || fail "edgevoice say wrote an almost empty WAV file"
echo "arm64 aot checked: $binary ($(( $(stat -c %s "$binary") / 1048576 )) MiB, no warnings), $deb; text and say run under qemu"
