// The Helm that `npm run bench` times: v3.16.4, built from the Go module proxy with this
// machine's Go the first time, as Helm's own Makefile builds its releases, and kept in the
// user's cache for later runs. Only the bench needs it; CI's cluster build does not.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const HELM_VERSION = 'v3.16.4';

// What the Makefile of v3.16.4 passes for a release (`make build` with a tag): no debug
// information, the version, and the Kubernetes version of its client-go (v0.31.3) as the default
// of .Capabilities.KubeVersion.
const LDFLAGS = [
  '-w', '-s',
  `-X helm.sh/helm/v3/internal/version.version=${HELM_VERSION}`,
  '-X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1',
  '-X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=31',
  '-X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1',
  '-X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=31',
].join(' ');

/** Where the binary is kept: ${XDG_CACHE_HOME:-~/.cache}/cdk8s-voting-app/helm-v3.16.4/bin/helm. */
export function helmPath(): string {
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cache, 'cdk8s-voting-app', `helm-${HELM_VERSION}`, 'bin', 'helm');
}

/** The path of Helm v3.16.4, built first if the cache does not hold it (a few minutes, once). */
export function helmBinary(log: (line: string) => void): string {
  const helm = helmPath();
  if (versionOf(helm) === HELM_VERSION) {
    return helm;
  }
  log(`building Helm ${HELM_VERSION} from the Go module proxy into ${path.dirname(helm)} (once; a few minutes)`);
  // Built beside the cache and moved in whole, so an interrupted build leaves nothing half-written.
  const cache = path.dirname(path.dirname(path.dirname(helm)));
  fs.mkdirSync(cache, { recursive: true });
  const staging = fs.mkdtempSync(path.join(cache, `helm-${HELM_VERSION}-build-`));
  try {
    const r = spawnSync('go', ['install', '-trimpath', `-ldflags=${LDFLAGS}`, `helm.sh/helm/v3/cmd/helm@${HELM_VERSION}`], {
      env: { ...process.env, GOBIN: staging, GOFLAGS: '-mod=mod', CGO_ENABLED: '0' },
      encoding: 'utf-8',
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    if (r.error !== undefined || r.status !== 0) {
      throw new Error(`could not build Helm ${HELM_VERSION} with \`go install helm.sh/helm/v3/cmd/helm@${HELM_VERSION}\``
        + ` (Go 1.22 or later and the Go module proxy are needed):\n${r.error?.message ?? r.stderr}`);
    }
    fs.mkdirSync(path.dirname(helm), { recursive: true });
    fs.renameSync(path.join(staging, 'helm'), helm);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  const built = versionOf(helm);
  if (built !== HELM_VERSION) {
    throw new Error(`${helm} reports version ${built ?? '(none)'} after the build, not ${HELM_VERSION}`);
  }
  return helm;
}

/** What `helm version` says, or undefined when there is no working binary there. */
function versionOf(helm: string): string | undefined {
  if (!fs.existsSync(helm)) {
    return undefined;
  }
  const r = spawnSync(helm, ['version', '--template', '{{.Version}}'], { encoding: 'utf-8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}
