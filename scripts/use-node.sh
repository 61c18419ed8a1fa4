# Sourced by .ci/run (bash): puts a Node.js LTS first on PATH, from the npm registry's platform
# package node-linux-<arch>, which carries bin/node and has no install script (the `node`
# wrapper package only runs one that fetches it, and trails the platform package's releases).
# Cached in ~/.cache/cdk8s-voting-app/node-<version>; idempotent. npm stays the machine's.
# Usage: . scripts/use-node.sh [22|24]   (the LTS line, default 24; CVA_NODE_VERSION picks any version)
case "${1:-24}" in
  22) node_default=22.23.5 ;;
  24) node_default=24.22.3 ;;
  *) echo "use-node: no pinned version for Node.js ${1}; the LTS lines are 22 and 24" >&2; return 1 ;;
esac
node_version="${CVA_NODE_VERSION:-$node_default}"
case "$(uname -m)" in
  x86_64) node_arch=x64 ;;
  aarch64|arm64) node_arch=arm64 ;;
  *) echo "use-node: no node-linux-* package for $(uname -m)" >&2; return 1 ;;
esac
node_pkg="node-linux-$node_arch"
node_home="${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-voting-app/node-$node_version"
node_bin="$node_home/node_modules/$node_pkg/bin"
# npm reads its global npmrc from <prefix>/etc/npmrc and derives the prefix from the node that
# runs it: keep the machine's (it may set the registry's CA file) before switching node.
export npm_config_globalconfig="${npm_config_globalconfig:-$(npm config get globalconfig)}"
if [ ! -f "$node_home/.installed" ] || [ "$("$node_bin/node" -v 2>/dev/null)" != "v$node_version" ]; then
  rm -rf "$node_home" "$node_home.tmp"
  mkdir -p "$node_home.tmp"
  npm install --prefix "$node_home.tmp" --no-save --no-audit --no-fund --ignore-scripts \
    --loglevel=error "$node_pkg@$node_version"
  [ "$("$node_home.tmp/node_modules/$node_pkg/bin/node" -v)" = "v$node_version" ] || {
    echo "use-node: $node_pkg@$node_version gave no working node" >&2; return 1; }
  mv "$node_home.tmp" "$node_home"
  touch "$node_home/.installed"
fi
export PATH="$node_bin:$PATH"
# Native addons, if any, are built against this node's headers, not the machine's.
export npm_config_nodedir="$node_home/node_modules/$node_pkg"
