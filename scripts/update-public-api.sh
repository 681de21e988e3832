#!/usr/bin/env bash
# Records new public API in PublicAPI.Unshipped.txt (RS0016/RS0017 fixes) for the shipped assemblies.
# Review the diff: every line is a promise to users.
set -euo pipefail
cd "$(dirname "$0")/.."
for project in src/Kait.Sdk/Kait.Sdk.csproj generators/Kait.Sdk.Config/Kait.Sdk.Config.csproj "$@"; do
  dotnet format analyzers "$project" --diagnostics RS0016 RS0017 --severity info
done
git diff --stat -- '*PublicAPI*.txt'
