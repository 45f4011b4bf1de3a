#!/usr/bin/env bash
# Makes TorchSharp's native glue (libLibTorchSharp.so) load on hosts whose libstdc++ predates GCC 13.
# Usage: patch.sh TARGET_DIR WORK_DIR
#   TARGET_DIR  a build or publish output; every libLibTorchSharp.so under it is patched in place
#   WORK_DIR    where the compiled helpers are cached between builds
# The library needs exactly one GLIBCXX_3.4.32 symbol, std::ios_base_library_init(). Where the host
# lacks that version we drop the symbol's version, mark the version requirement weak, and add a
# DT_NEEDED on a shim that defines the symbol; RUNPATH already holds $ORIGIN, so the shim is found
# beside the library. Hosts with a new enough libstdc++ are left untouched.
set -euo pipefail

target_dir=$1
work_dir=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
version=GLIBCXX_3.4.32
symbol=_ZSt21ios_base_library_initv
shim=libglcmmae_iosinit.so

host_libstdcxx() {
    local path
    path=$(/sbin/ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64|libstdc\+\+\.so\.6 .*AArch64/ {print $NF; exit}')
    if [ -z "$path" ] && command -v g++ >/dev/null 2>&1; then
        path=$(g++ -print-file-name=libstdc++.so.6)
    fi
    printf '%s' "$path"
}

mapfile -t libs < <(find "$target_dir" -name libLibTorchSharp.so -type f 2>/dev/null)
[ "${#libs[@]}" -gt 0 ] || exit 0

libstdcxx=$(host_libstdcxx)
if [ -n "$libstdcxx" ] && grep -qa "$version" "$libstdcxx"; then
    exit 0
fi

missing=()
for tool in g++ patchelf; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ "${#missing[@]}" -gt 0 ]; then
    echo "error GLCM0001: this host's libstdc++ lacks $version, which TorchSharp needs; the build can patch it but needs: ${missing[*]}. Install them (Debian/Ubuntu: apt-get install -y g++ patchelf) and build again." >&2
    exit 1
fi

mkdir -p "$work_dir"
if [ ! -x "$work_dir/elf_weaken_version" ] || [ "$here/elf_weaken_version.cpp" -nt "$work_dir/elf_weaken_version" ]; then
    g++ -std=c++17 -O2 -o "$work_dir/elf_weaken_version" "$here/elf_weaken_version.cpp"
fi
if [ ! -f "$work_dir/$shim" ] || [ "$here/ios_base_library_init.cpp" -nt "$work_dir/$shim" ]; then
    g++ -std=c++17 -O2 -shared -fPIC -o "$work_dir/$shim" "$here/ios_base_library_init.cpp"
fi

for lib in "${libs[@]}"; do
    dir=$(dirname "$lib")
    cp -f "$work_dir/$shim" "$dir/$shim"
    if patchelf --print-needed "$lib" | grep -qx "$shim"; then
        continue
    fi
    patchelf --clear-symbol-version "$symbol" "$lib"
    "$work_dir/elf_weaken_version" "$lib" "$version"
    patchelf --add-needed "$shim" "$lib"
    echo "torchsharp-compat: patched $lib for a libstdc++ without $version"
done
