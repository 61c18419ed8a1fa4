#!/usr/bin/env bash
# Builds the load generator of the load tier (__tests__/e2e/load.e2e.test.ts): vegeta, from the
# Go module proxy, with `go install` into the shared cache outside the repository:
#   ${CDK8S_VOTING_CACHE:-$HOME/.cache/cdk8s-voting-app}/load/vegeta-<version>/vegeta
# A warm run only prints that path. The go command checks the module against sum.golang.org
# (or GONOSUMDB/GOFLAGS as usual). Usage: build.sh   (last line: the path of the binary)
set -euo pipefail
VEGETA_MODULE=github.com/tsenart/vegeta/v12
VEGETA_VERSION=v12.13.0
DEST="${CDK8S_VOTING_CACHE:-$HOME/.cache/cdk8s-voting-app}/load/vegeta-$VEGETA_VERSION"
if [ ! -x "$DEST/vegeta" ]; then
  command -v go >/dev/null || { echo "the go command is needed to build vegeta" >&2; exit 1; }
  mkdir -p "$DEST"
  # One build at a time; a second caller waits and then finds the binary.
  exec 9>"$DEST.lock"
  flock 9
  if [ ! -x "$DEST/vegeta" ]; then
    echo "[load build] go install $VEGETA_MODULE@$VEGETA_VERSION" >&2
    (cd "$DEST" && GOBIN="$DEST/.tmp" go install "$VEGETA_MODULE@$VEGETA_VERSION" >&2)
    mv "$DEST/.tmp/vegeta" "$DEST/vegeta"
    rmdir "$DEST/.tmp"
  fi
fi
echo "$DEST/vegeta"
