#!/usr/bin/env bash
# `npm run test:python`: builds the library's Python wheel with jsii-pacmak
# (its `npm pack` runs prepack, `npm run build`: the jsii compile), installs it beside cdk8s, cdk8s-plus-28 and
# constructs from PyPI (examples/python/requirements.txt) in a virtualenv
# cached under ~/.cache/cdk8s-voting-app, and runs the Python suite
# (__tests__/python), which drives the Python proof app in examples/python.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS

npm run -s package:python >/dev/null
wheel="$(ls build/packages/python/cdk8s_voting_app-*.whl)"
echo "built $wheel ($((SECONDS - start)) s)"

python="${PYTHON:-python3}"
requirements=examples/python/requirements.txt
key="$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')-$(sha256sum "$requirements" | cut -c1-12)"
venv="${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-voting-app/python-venv-$key"
if [ ! -f "$venv/.installed" ]; then
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps -r "$requirements"
  touch "$venv/.installed"
fi
# The wheel changes with every build: installed afresh, its dependencies already are.
"$venv/bin/pip" install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheel"
# Every requirement of the wheel and of the pinned packages is met: all were installed without
# their dependencies, so a requirement that requirements.txt does not pin fails here.
"$venv/bin/pip" check --disable-pip-version-check
echo "installed into $venv ($((SECONDS - start)) s)"

CVA_PYTHON="$venv/bin/python" npx jest --config jest.python.config.js
echo "Python suite done ($((SECONDS - start)) s)"
