#!/usr/bin/env bash
# Builds everything with warnings as errors and runs every test; exits non-zero on any failure.
# Usage: build/test.sh [extra dotnet test arguments]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

build/setup.sh --for test

results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

dotnet build GlcmMae.Serverless.sln -c Release -warnaserror -nologo -v quiet -clp:"ErrorsOnly;Summary"
dotnet format GlcmMae.Serverless.sln --verify-no-changes --no-restore

status=0
for project in tests/*.Tests/*.Tests.csproj; do
    name=$(basename "$project" .csproj)
    dotnet test "$project" -c Release --no-build --nologo \
        --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
        --results-directory "$results" "$@" || status=$?
done

# The functions image ships ONNX Runtime's CUDA build (-p:OnnxRuntimeBackend=cuda). Build that variant apart (its own
# obj/ and bin/ under artifacts/) and run the inference and pipeline tests on it: on a machine without a GPU they prove
# that its CUDA failures (no libraries, no device) leave the model on the CPU with the cause.
dotnet test tests/GlcmMae.Shared.Tests/GlcmMae.Shared.Tests.csproj -c Release -warnaserror --nologo -v quiet \
    -p:OnnxRuntimeBackend=cuda --artifacts-path "$root/artifacts/onnxruntime-cuda" \
    --filter "FullyQualifiedName~GlcmMae.Shared.Tests.Inference|FullyQualifiedName~GlcmMae.Shared.Tests.Pipeline" \
    --logger "trx;LogFileName=GlcmMae.Shared.Tests.onnxruntime-cuda.trx" --logger "console;verbosity=minimal" \
    --results-directory "$results" "$@" || status=$?

# One plain closing line over all test projects, read from the TRX files.
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
    [ -f "$trx" ] || continue
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
    value() { printf '%s' "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
    passed=$((passed + $(value passed)))
    failed=$((failed + $(value failed)))
    skipped=$((skipped + $(value notExecuted)))
done
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then
    echo "test.sh: no test ran" >&2
    exit 1
fi
exit "$status"
