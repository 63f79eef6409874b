#!/usr/bin/env bash
# The consumer test: what a tool builder does with our packages, outside this repository.
#  1. Packs the libraries, the model packages and the CLI tool into a folder feed (a unique pre-release version, so
#     no stale copy in the NuGet cache can stand in for them); the tool as its pointer package, this platform's
#     ReadyToRun package and the portable one.
#  2. Creates fresh console apps (net10.0, and net8.0 built only: no net8.0 runtime is needed to prove it restores and
#     compiles), adds the packages by id and version with `dotnet add package` and nothing else, and runs the README's
#     example (tests/Consumer/App) on a copy of tests/Fixtures/Mixed: a C# solution plus a Python folder, the default
#     model, one query. The top hit is asserted.
#  3. Installs the CLI with `dotnet tool install` and runs `index` and `search` on the same fixture.
# Prints the package and installed sizes. Needs the solution built in Release first (as .ci/run does).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
version="0.1.0-ci.$(date +%s)"
feed="$work/feed"
query="how is the late fee of an overdue invoice computed"
expected="Ledger/LateFeePolicy.cs"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "consumer: packing $version"
# The libraries from the Release build. The tool is packed on its own: its ReadyToRun package for each platform is
# compiled at pack time, here for this machine's platform, with the portable package ("any") beside it.
for project in "$repo"/src/*/*.csproj; do
  grep -q "<IsPackable>true</IsPackable>" "$project" || continue
  dotnet pack "$project" -c Release --no-build -p:PackageVersion="$version" -o "$feed" -v quiet -nologo >> "$work/pack.log" \
    || { cat "$work/pack.log"; exit 1; }
done
rid="$(dotnet --info | sed -n 's/^ *RID: *//p' | head -n1)"
dotnet pack "$repo/samples/StructuralChunking.Cli" -c Release -p:PackageVersion="$version" -p:StructchunkToolRuntimeIdentifiers="$rid" \
  -o "$feed" -v quiet -nologo >> "$work/pack.log" || { cat "$work/pack.log"; exit 1; }
[ -f "$feed/StructuralChunking.Cli.$rid.$version.nupkg" ] && [ -f "$feed/StructuralChunking.Cli.any.$version.nupkg" ] \
  || { echo "consumer: FAILED: no $rid and portable tool packages" >&2; ls "$feed" >&2; exit 1; }

# The feed first, then the sources this machine already uses.
cat > "$work/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="structchunk-local" value="$feed" />
  </packageSources>
</configuration>
XML

fixture() {
  local target="$1"
  mkdir -p "$target"
  (cd "$repo/tests/Fixtures/Mixed" && tar --exclude=bin --exclude=obj --exclude=.structchunk -cf - .) | (cd "$target" && tar xf -)
}

new_app() {
  local dir="$1" framework="$2"
  # The SDK's template offers only its own framework; an older one is set in the project it wrote.
  dotnet new console -o "$dir" > /dev/null
  sed -i "s|<TargetFramework>[^<]*</TargetFramework>|<TargetFramework>$framework</TargetFramework>|" "$dir/"*.csproj
  rm -f "$dir/Program.cs"
  cp "$repo/tests/Consumer/App/"*.cs "$dir/"
  for package in StructuralChunking.Roslyn StructuralChunking.TreeSitter StructuralChunking.Models.MiniLM; do
    dotnet add "$dir" package "$package" --version "$version" > "$work/add.log" || { cat "$work/add.log"; exit 1; }
  done
}

echo "consumer: net10.0 app"
new_app "$work/app" net10.0
dotnet build "$work/app" -c Release -v quiet -nologo > "$work/build.log" || { cat "$work/build.log"; exit 1; }
fixture "$work/repo-app"
dotnet "$work/app/bin/Release/net10.0/app.dll" "$work/repo-app" "$query" --trust-build | tee "$work/app.out"
first=$(grep -m1 '^1\. ' "$work/app.out" || true)
case "$first" in
  *"$expected"*) echo "consumer: top hit is $expected" ;;
  *) echo "consumer: FAILED: expected $expected first, got: ${first:-nothing}" >&2; exit 1 ;;
esac
grep -qx "use admin jwt validation middleware" "$work/app.out" || { echo "consumer: FAILED: the low-level example printed no split" >&2; exit 1; }
grep -q "^chunk scripts/reminders.py" "$work/app.out" || { echo "consumer: FAILED: the low-level example chunked no Python" >&2; exit 1; }
grep -q "^trusted load: MSBuild, 3 documents" "$work/app.out" || { echo "consumer: FAILED: MSBuild could not open the solution (build host missing?)" >&2; exit 1; }

echo "consumer: net8.0 app (restore and build)"
new_app "$work/app8" net8.0
dotnet build "$work/app8" -c Release -v quiet -nologo > "$work/build8.log" || { cat "$work/build8.log"; exit 1; }

echo "consumer: dotnet tool install"
dotnet tool install StructuralChunking.Cli --version "$version" --add-source "$feed" --tool-path "$work/tool" > /dev/null
# The platform's package, ReadyToRun-compiled, is the one installed.
find "$work/tool/.store" -iname "structuralchunking.cli.$rid*.nupkg" | grep -q . \
  || { echo "consumer: FAILED: the installed tool is not the $rid package" >&2; exit 1; }
fixture "$work/repo-tool"
"$work/tool/structchunk" index "$work/repo-tool"
"$work/tool/structchunk" search "$query" --index "$work/repo-tool/.structchunk/index.scidx" --top 3 | tee "$work/tool.out"
case "$(head -n1 "$work/tool.out")" in
  *"$expected"*) echo "consumer: tool's top hit is $expected" ;;
  *) echo "consumer: FAILED: the installed tool did not find $expected first" >&2; exit 1 ;;
esac

echo "consumer: sizes"
for package in "$feed"/*.nupkg; do
  printf '  %-60s %s\n' "$(basename "$package")" "$(du -h "$package" | cut -f1)"
done
printf '  %-60s %s\n' "net10.0 app build output" "$(du -sh "$work/app/bin/Release/net10.0" | cut -f1)"
printf '  %-60s %s\n' "installed tool" "$(du -sh "$work/tool" | cut -f1)"
echo "consumer: passed"
