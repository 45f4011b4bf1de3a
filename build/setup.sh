#!/usr/bin/env bash
# Installs what building, running and testing GlcmMae.Serverless needs on Debian/Ubuntu, idempotently:
#   g++ and patchelf  the TorchSharp libstdc++ compatibility step (build/torchsharp-compat)
#   codec libraries    JPEG (libjpeg-turbo), JPEG-LS (CharLS) and JPEG 2000 (OpenJPEG) DICOM frames; libdeflate
#                      (faster PNG image data, optional: zlib decodes the same bytes without it)
#   dcmtk, gdcm tools  DICOM corpus generation and cross-checks in the tests (and cjpeg/djpeg for JPEG files)
#   ShellCheck         lints the deployment script in the tests
#   Node tools         Azurite, pinned in tests/package-lock.json
# Usage: build/setup.sh [--for run|test]   (run: compiler tools and codec libraries; test: everything)
set -euo pipefail

purpose='test'
if [ "${1:-}" = "--for" ]; then
    purpose=${2:?usage: build/setup.sh [--for run|test]}
fi
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

if ! command -v dotnet >/dev/null 2>&1; then
    echo "setup: the .NET 10 SDK is required (https://learn.microsoft.com/dotnet/core/install/linux-debian)." >&2
    exit 1
fi

# Reading scans needs the codec libraries wherever glcmmae runs. libjpeg-turbo's TurboJPEG library is libturbojpeg0 on
# Debian and libturbojpeg on Ubuntu.
turbojpeg=libturbojpeg0
if grep -qsE '^(ID|ID_LIKE)=.*ubuntu' /etc/os-release; then
    turbojpeg=libturbojpeg
fi
packages=(g++ patchelf binutils "$turbojpeg" libcharls2 libopenjp2-7 libdeflate0)
if [ "$purpose" = test ]; then
    packages+=(dcmtk libgdcm-tools openjph-tools libjpeg-turbo-progs shellcheck nodejs npm)
fi

missing=()
for package in "${packages[@]}"; do
    if [ "$package" = nodejs ] || [ "$package" = npm ]; then
        # Node may come from elsewhere (nvm, NodeSource): only install it when the command is missing.
        command -v "${package/nodejs/node}" >/dev/null 2>&1 && continue
    fi
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if [ "${#missing[@]}" -gt 0 ]; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
        sudo=sudo
    fi
    echo "setup: installing ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "$purpose" = test ]; then
    lock="$root/tests/package-lock.json"
    stamp="$root/tests/node_modules/.package-lock.json"
    if [ ! -f "$stamp" ] || [ "$lock" -nt "$stamp" ]; then
        echo "setup: installing the pinned Node tools (npm ci)"
        (cd "$root/tests" && npm ci --no-audit --no-fund --loglevel=error)
    fi
fi
