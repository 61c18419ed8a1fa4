#!/usr/bin/env bash
# Builds the local Kubernetes control plane from package registries:
#   etcd                        go.etcd.io/etcd/server/v3        (wrapper module ./etcd)
#   kube-apiserver, kube-controller-manager, kube-scheduler
#                               k8s.io/kubernetes                (wrapper module ./kube)
#   kwok                        sigs.k8s.io/kwok/cmd/kwok        (wrapper module ./kwok)
#   kubelet, kube-proxy         k8s.io/kubernetes                (wrapper module ./kube)
# the real nodes' programs (wrapper modules in ../nodes):
#   coredns                     github.com/coredns/coredns       (../nodes/coredns)
#   kube-router                 github.com/cloudnativelabs/kube-router/v2 (../nodes/kube-router)
#   crane                       github.com/google/go-containerregistry (../nodes/crane)
#   http-echo                   github.com/hashicorp/http-echo   (../nodes/http-echo)
#   pause                       our own                          (../nodes/pause)
#   metallb-controller, metallb-speaker
#                               go.universe.tf/metallb           (../nodes/metallb)
# plus kwok's stage file (simulated node and pod lifecycle), copied from the kwok module, and
# MetalLB's own manifest (CRDs, RBAC, controller, speaker, webhooks), copied from its module.
#
# The result goes to a cache OUTSIDE the repository, keyed by the versions, the Go version and
# a hash of the wrapper modules, so a warm run returns at once:
#   ${CDK8S_VOTING_CACHE:-$HOME/.cache/cdk8s-voting-app}/control-plane/<key>/bin
#
# Usage: build.sh              build if needed, print progress, last line is the bin folder
#        build.sh --print-bin-dir   print the bin folder if it is built, else fail (no build)
#        build.sh --force           rebuild even if cached
# Environment: CDK8S_VOTING_CACHE (cache root), CONTROL_PLANE_BUILD_JOBS (go build -p,
#        default: number of cores), GOFLAGS/GOPROXY as usual for the go command.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$HERE/versions.env"

# Bump when the build recipe (flags, file layout) changes, so old caches are not reused.
RECIPE=3

START=$SECONDS
elapsed() { local s=$((SECONDS - START)); printf '%dm%02ds' $((s / 60)) $((s % 60)); }
step() { printf '[control-plane build %s] %s\n' "$(elapsed)" "$*" >&2; }
die() { printf '[control-plane build] ERROR: %s\n' "$*" >&2; exit 1; }

MODE=build
case "${1:-}" in
  --print-bin-dir) MODE=print ;;
  --force) MODE=force ;;
  "") ;;
  -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
  *) die "unknown argument: $1 (see --help)" ;;
esac

command -v go >/dev/null || die "the go command is needed (Go >= $GO_MIN); install Go first"
GOVERSION="$(go env GOVERSION)"
go_ok() { # is $1 (go1.X.Y) >= GO_MIN?
  local v="${1#go}"; v="${v%%[-+ ]*}"
  [ "$(printf '%s\n%s\n' "$GO_MIN" "$v" | sort -V | sed -n 1p)" = "$GO_MIN" ]
}
go_ok "$GOVERSION" || die "Go $GOVERSION is older than $GO_MIN; set GOTOOLCHAIN=go${GO_MIN}.0 to let the go command fetch a toolchain from the module proxy"

# Check that versions.env and the wrapper modules agree.
requires() { grep -qE "^[[:space:]]*(require[[:space:]]+)?$2 $3([[:space:]]|\$)" "$HERE/$1/go.mod"; }
requires kube k8s.io/kubernetes "$KUBE_VERSION" || die "kube/go.mod does not require k8s.io/kubernetes $KUBE_VERSION (versions.env)"
grep -qE "=> k8s.io/api v0\.${KUBE_VERSION#v1.}\$" "$HERE/kube/go.mod" || die "kube/go.mod does not replace the staging modules with v0.${KUBE_VERSION#v1.}"
requires etcd go.etcd.io/etcd/server/v3 "$ETCD_VERSION" || die "etcd/go.mod does not require etcd $ETCD_VERSION (versions.env)"
requires kwok sigs.k8s.io/kwok "$KWOK_VERSION" || die "kwok/go.mod does not require kwok $KWOK_VERSION (versions.env)"

NODES="$(cd "$HERE/../nodes" && pwd)"
NODE_MODULES=(coredns kube-router crane http-echo pause metallb)
HASH="$( { echo "recipe=$RECIPE"; cat "$HERE"/kube/go.mod "$HERE"/kube/go.sum "$HERE"/etcd/go.mod "$HERE"/etcd/go.sum "$HERE"/etcd/main.go "$HERE"/kwok/go.mod "$HERE"/kwok/go.sum;
  for m in "${NODE_MODULES[@]}"; do cat "$NODES/$m"/go.mod "$NODES/$m"/*.go "$NODES/$m"/go.sum 2>/dev/null || true; done; } | sha256sum | cut -c1-12)"
KEY="kube-${KUBE_VERSION}_etcd-${ETCD_VERSION}_kwok-${KWOK_VERSION}_${GOVERSION}_${HASH}"
CACHE_ROOT="${CDK8S_VOTING_CACHE:-$HOME/.cache/cdk8s-voting-app}/control-plane"
DEST="$CACHE_ROOT/$KEY"
BINARIES=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok kubelet kube-proxy coredns kube-router crane http-echo pause
  metallb-controller metallb-speaker)

is_complete() {
  [ -f "$DEST/COMPLETE" ] || return 1
  local b
  for b in "${BINARIES[@]}"; do [ -x "$DEST/bin/$b" ] || return 1; done
  [ -f "$DEST/share/kwok-stages.yaml" ] && [ -f "$DEST/share/metallb-native.yaml" ]
}

if [ "$MODE" = print ]; then
  is_complete || die "control plane binaries are not built for $KEY; run: bash tools/control-plane/build.sh (or npm run control-plane:build)"
  echo "$DEST/bin"
  exit 0
fi

mkdir -p "$CACHE_ROOT"
# One build at a time per cache (a second caller waits, then finds the cache warm).
exec 9>"$CACHE_ROOT/.build.lock"
if ! flock -n 9; then
  step "another build is running (lock $CACHE_ROOT/.build.lock); waiting for it"
  flock 9
fi

# The real nodes' Debian packages: containerd, runc, the CNI plugins, mmdebstrap (the stand-in
# images' root filesystem), iptables and ipset (kube-proxy, kube-router), socat (the API
# forwarder), curl, and chromium (the browser of the e2e suite). Installed when missing (root).
NODE_PACKAGES=(containerd runc containernetworking-plugins mmdebstrap iptables ipset socat conntrack curl chromium)
NODE_COMMANDS=(containerd runc /usr/lib/cni/ptp mmdebstrap iptables ipset socat conntrack curl chromium)
missing_node_packages() {
  local i
  for i in "${!NODE_PACKAGES[@]}"; do command -v "${NODE_COMMANDS[$i]}" >/dev/null || echo "${NODE_PACKAGES[$i]}"; done
}
install_node_packages() {
  local missing
  missing="$(missing_node_packages | tr '\n' ' ')"
  [ -z "${missing// /}" ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    step "installing with apt-get: $missing"
    apt-get update -qq >&2
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >&2
  else
    die "the real nodes need these Debian packages: $missing (apt-get install as root)"
  fi
}

# The stand-in images (tools/images, cached by their own key); needs the Go binaries above.
build_images() {
  install_node_packages
  node "$HERE/../images/build.js" --bin-dir "$DEST/bin" >/dev/null
}

if [ "$MODE" = build ] && is_complete; then
  step "cache hit: $DEST (nothing to build)"
  build_images
  echo "$DEST/bin"
  exit 0
fi

step "building $KEY"
step "cache folder: $DEST"

# openssl makes the cluster's certificates at start; install it if missing (Debian, as root).
if ! command -v openssl >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    step "installing openssl with apt-get"
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl >&2
  else
    die "openssl is needed (apt-get install openssl)"
  fi
fi
command -v kubectl >/dev/null || step "warning: kubectl is not on PATH; the cluster needs it to create nodes and the e2e suite to apply manifests"

WORK="$(mktemp -d "$CACHE_ROOT/.tmp-$KEY.XXXXXX")"
BG_PID=""
cleanup() {
  if [ -n "$BG_PID" ] && kill -0 "$BG_PID" 2>/dev/null; then
    kill -TERM -- "-$BG_PID" 2>/dev/null || kill -TERM "$BG_PID" 2>/dev/null || true
    wait "$BG_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'step "interrupted"; exit 130' INT TERM
mkdir -p "$WORK/bin" "$WORK/share" "$WORK/logs"

export GOFLAGS="-buildvcs=false -mod=readonly"
export CGO_ENABLED=0
JOBS="${CONTROL_PLANE_BUILD_JOBS:-$(nproc 2>/dev/null || echo 2)}"

# run_with_progress LABEL LOG TOTAL cmd...: runs cmd in the background (its own process group),
# printing every 20 s how long it has run and, when TOTAL > 0, how many lines (packages, for
# go build -v) it has written out of TOTAL.
run_with_progress() {
  local label="$1" log="$2" total="$3"; shift 3
  local t0=$SECONDS last=$SECONDS n
  set -m
  "$@" >"$log" 2>&1 &
  BG_PID=$!
  set +m
  while kill -0 "$BG_PID" 2>/dev/null; do
    sleep 1
    if [ $((SECONDS - last)) -ge 20 ]; then
      last=$SECONDS
      if [ "$total" -gt 0 ]; then
        n=$(grep -vc '^#\|: ' "$log" || true)
        step "  $label: $((SECONDS - t0))s, ~$n of at most $total packages compiled"
      else
        step "  $label: $((SECONDS - t0))s"
      fi
    fi
  done
  if ! wait "$BG_PID"; then
    BG_PID=""
    tail -n 60 "$log" >&2
    die "$label failed after $((SECONDS - t0))s (full log above is the tail of $log)"
  fi
  BG_PID=""
  step "  $label: done in $((SECONDS - t0))s"
}

build_module() { # DIR ldflags pkgs...
  local dir="$1" ldflags="$2"; shift 2
  local name total
  name="$(basename "$dir")"
  step "[$name] downloading modules (go list -deps via the module proxy)"
  run_with_progress "$name download" "$WORK/logs/$name-list.log" 0 go -C "$dir" list -deps "$@"
  total=$(grep -vc '^go: \|^$' "$WORK/logs/$name-list.log" || true)
  step "[$name] compiling $* ($total packages incl. std, -p $JOBS)"
  run_with_progress "$name build" "$WORK/logs/$name-build.log" "$total" \
    go -C "$dir" build -p "$JOBS" -v -trimpath -ldflags "-s -w $ldflags" -o "$WORK/bin/" "$@"
}

# etcd first: smallest, proves the toolchain works.
build_module "$HERE/etcd" "" .
# (`go build -o dir/ .` names the binary after the module path's last element: etcd.)

build_module "$HERE/kwok" "" sigs.k8s.io/kwok/cmd/kwok

KV="${KUBE_VERSION#v}"
KUBE_DATE="$(cd "$HERE/kube" && go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" | sed -n 's/.*"Info": "\(.*\)",/\1/p' | xargs cat | sed -n 's/.*"Time": *"\([^"]*\)".*/\1/p')"
KUBE_LDFLAGS="-X k8s.io/component-base/version.gitVersion=$KUBE_VERSION"
KUBE_LDFLAGS+=" -X k8s.io/component-base/version.gitMajor=${KV%%.*}"
KV_MINOR="${KV#*.}"; KUBE_LDFLAGS+=" -X k8s.io/component-base/version.gitMinor=${KV_MINOR%%.*}"
KUBE_LDFLAGS+=" -X k8s.io/component-base/version.gitTreeState=clean"
KUBE_LDFLAGS+=" -X k8s.io/component-base/version.gitCommit="
KUBE_LDFLAGS+=" -X k8s.io/component-base/version.buildDate=${KUBE_DATE:-1970-01-01T00:00:00Z}"
build_module "$HERE/kube" "$KUBE_LDFLAGS" \
  k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler \
  k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kube-proxy

# The real nodes' programs. `go build -o dir/` names each binary after its package's last
# path element (coredns, kube-router, crane, http-echo, pause).
build_module "$NODES/coredns" "" .
build_module "$NODES/kube-router" "" github.com/cloudnativelabs/kube-router/v2/cmd/kube-router
build_module "$NODES/crane" "" github.com/google/go-containerregistry/cmd/crane
build_module "$NODES/http-echo" "" github.com/hashicorp/http-echo
build_module "$NODES/pause" "" .
# MetalLB's two programs are named after their packages (controller, speaker): prefixed here.
build_module "$NODES/metallb" "" go.universe.tf/metallb/controller go.universe.tf/metallb/speaker
mv "$WORK/bin/controller" "$WORK/bin/metallb-controller"
mv "$WORK/bin/speaker" "$WORK/bin/metallb-speaker"

# kwok's stages: the "fast" set (kustomize/stage/fast = node/fast + node/heartbeat-with-lease +
# pod/fast) from the very kwok module version built above.
step "[kwok] writing stage file from the kwok module"
KWOK_DIR="$(cd "$HERE/kwok" && go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)"
{
  echo "# kwok stages from sigs.k8s.io/kwok@$KWOK_VERSION kustomize/stage/fast (node/fast, node/heartbeat-with-lease, pod/fast)"
  for f in node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
           pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml; do
    [ -f "$KWOK_DIR/kustomize/stage/$f" ] || die "kwok stage $f not found in $KWOK_DIR"
    echo "---"
    cat "$KWOK_DIR/kustomize/stage/$f"
  done
} >"$WORK/share/kwok-stages.yaml"

# MetalLB's manifest as its project publishes it (native mode: layer 2 and native BGP), from
# the very module version built above; tools/nodes/metallb.js applies it unchanged.
step "[metallb] copying config/manifests/metallb-native.yaml from the metallb module"
METALLB_DIR="$(cd "$NODES/metallb" && go list -m -f '{{.Dir}}' go.universe.tf/metallb)"
[ -f "$METALLB_DIR/config/manifests/metallb-native.yaml" ] || die "metallb-native.yaml not found in $METALLB_DIR"
cp "$METALLB_DIR/config/manifests/metallb-native.yaml" "$WORK/share/metallb-native.yaml"

step "checking the binaries"
"$WORK/bin/etcd" --version >&2
"$WORK/bin/kube-apiserver" --version >&2
"$WORK/bin/kube-controller-manager" --version >&2
"$WORK/bin/kube-scheduler" --version >&2
"$WORK/bin/kwok" --version >&2
"$WORK/bin/kubelet" --version >&2
"$WORK/bin/kube-proxy" --version >&2
"$WORK/bin/coredns" -version >&2
"$WORK/bin/crane" version >&2
"$WORK/bin/kubelet" --version | grep -qx "Kubernetes $KUBE_VERSION" || die "kubelet does not report $KUBE_VERSION"
"$WORK/bin/kube-apiserver" --version | grep -qx "Kubernetes $KUBE_VERSION" || die "kube-apiserver does not report $KUBE_VERSION"

{
  echo "key=$KEY"
  echo "built=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "seconds=$((SECONDS - START))"
  echo "go=$GOVERSION"
} >"$WORK/COMPLETE.tmp"
du -sh "$WORK/bin" >&2
rm -rf "$DEST"
mkdir -p "$DEST"
mv "$WORK/bin" "$WORK/share" "$DEST/"
mv "$WORK/COMPLETE.tmp" "$DEST/COMPLETE"
step "binaries done: $DEST/bin"
build_images
step "done"
echo "$DEST/bin"
