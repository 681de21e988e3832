#!/usr/bin/env bash
# Records new public API in PublicAPI.Unshipped.txt (RS0016 fixes through dotnet format) and removes entries of API
# that no longer exists (RS0017) for the shipped assemblies. Review the diff: every line is a promise to users.
set -euo pipefail
cd "$(dirname "$0")/.."
for project in src/Kait.Sdk/Kait.Sdk.csproj generators/Kait.Sdk.Config/Kait.Sdk.Config.csproj "$@"; do
  dir=$(dirname "$project")
  # Drop the lines RS0017 names (declared API that is gone).
  lines=$(dotnet build "$project" 2>&1 | grep -oE 'PublicAPI\.Unshipped\.txt\(([0-9]+),[0-9]+\): error RS0017' | grep -oE '\(([0-9]+)' | tr -d '(' | sort -rnu || true)
  for n in $lines; do sed -i "${n}d" "$dir/PublicAPI.Unshipped.txt"; done
  dotnet format analyzers "$project" --diagnostics RS0016 --severity info
done
git diff --stat -- '*PublicAPI*.txt'
