#!/usr/bin/env bash
# The package as a user gets it: npm pack, install the tarball into an empty project, run the
# installed `readiness` (check on an example, generate), and require exit 0 and nothing on stderr
# (no warning, no "bundle" note). Called by .ci/run and .github/workflows/ci.yml.
# Usage: scripts/tarball-smoke.sh [--no-build]   (--no-build: pack the dist/ already built)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d "${TMPDIR:-/tmp}/readiness-smoke-XXXXXX")
trap 'rm -rf "$work"' EXIT

pack_args=(--pack-destination "$work" --silent)
if [ "${1:-}" = "--no-build" ]; then pack_args+=(--ignore-scripts); fi
tarball=$(npm pack "${pack_args[@]}" | tail -1)
echo "tarball-smoke: packed $tarball ($(du -k "$work/$tarball" | cut -f1) KiB)"

mkdir "$work/project"
cd "$work/project"
printf '{ "name": "smoke", "private": true }\n' > package.json
# --foreground-scripts: the postinstall (the code cache) runs as a user's install runs it
npm install --no-audit --no-fund --save-dev --foreground-scripts "$work/$tarball" > "$work/install.log" 2>&1 || { cat "$work/install.log"; exit 1; }

fail=0
# run NAME CMD...: exit 0 and an empty stderr, else print both
run() {
  local name=$1; shift
  local code=0
  "$@" > "$work/$name.out" 2> "$work/$name.err" || code=$?
  if [ "$code" != 0 ] || [ -s "$work/$name.err" ]; then
    echo "tarball-smoke: FAIL $name: exit $code; stderr:"; cat "$work/$name.err"; fail=1
  else
    echo "tarball-smoke: ok   $name"
  fi
}
example=node_modules/operator-readiness/templates/examples/compliant.yaml
[ -f node_modules/operator-readiness/dist/src/cli/readiness.cjs.v8cache ] || { echo "tarball-smoke: FAIL the postinstall made no code cache"; fail=1; }
run check npx --no-install readiness check "$example"
run generate npx --no-install readiness generate "$example" --out-dir out
run version npx --no-install operator-readiness --version
# the README's library example, as written, on the example manifest
awk '/^```js$/{f=1;next} /^```$/{f=0} f' "$root/README.md" | sed "s#'readiness.yaml'#'$example'#" > library.mjs
run library node library.mjs
for f in alerts/readiness.rules.yml alerts/RUNBOOK.md gateway/litellm.config.yaml gateway/portkey.config.json audit/audit-record.schema.json; do
  [ -s "out/$f" ] || { echo "tarball-smoke: FAIL generate wrote no out/$f"; fail=1; }
done
grep -q "Gate PASSED" "$work/library.out" || { echo "tarball-smoke: FAIL the README's library example did not report"; fail=1; }
grep -q "Gate PASSED" "$work/check.out" || { echo "tarball-smoke: FAIL check did not pass the compliant example"; fail=1; }
[ "$(cat "$work/version.out")" = "$(node -p "require('$root/package.json').version")" ] || { echo "tarball-smoke: FAIL --version"; fail=1; }
[ "$fail" = 0 ] && echo "tarball-smoke: PASSED"
exit "$fail"
