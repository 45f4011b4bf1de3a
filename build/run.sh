#!/usr/bin/env bash
# Runs the glcmmae tool from source after making sure its prerequisites are installed.
# Usage: build/run.sh COMMAND [ARGS...]   e.g. build/run.sh quickstart
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/build/setup.sh" --for run
dotnet build "$root/trainer/GlcmMae.Trainer/GlcmMae.Trainer.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly >&2
exec dotnet "$root/trainer/GlcmMae.Trainer/bin/Release/net10.0/glcmmae.dll" "$@"
