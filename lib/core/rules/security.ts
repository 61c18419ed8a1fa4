// What the API server, the kubelet, the kernel and the container runtime
// accept in a pod's security settings: the one place each rule is written.
// Pure predicates only: how a problem is reported stays with the caller.
// Internal: not in lib/core/index.ts.
import { editDistance } from './names';

/**
 * The highest uid or gid the API server accepts in runAsUser, runAsGroup and
 * fsGroup (apimachinery's IsValidUserID / IsValidGroupID: 0 to MaxInt32).
 */
export const LINUX_ID_MAX = 2147483647;

/** Whether `id` is a uid or gid the API server accepts. */
export function isLinuxId(id: number): boolean {
  return Number.isInteger(id) && id >= 0 && id <= LINUX_ID_MAX;
}

/**
 * The Linux capabilities (capability.h, Linux 5.9 and later), named as a pod
 * names them: without `CAP_`, in upper case. The runtime adds the prefix
 * (containerd: `"CAP_" + strings.ToUpper(c)`) and runc ignores a name it does
 * not know, with only a warning in the node's log.
 */
export const LINUX_CAPABILITIES: readonly string[] = [
  'AUDIT_CONTROL', 'AUDIT_READ', 'AUDIT_WRITE', 'BLOCK_SUSPEND', 'BPF', 'CHECKPOINT_RESTORE', 'CHOWN',
  'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'IPC_LOCK', 'IPC_OWNER', 'KILL', 'LEASE',
  'LINUX_IMMUTABLE', 'MAC_ADMIN', 'MAC_OVERRIDE', 'MKNOD', 'NET_ADMIN', 'NET_BIND_SERVICE', 'NET_BROADCAST',
  'NET_RAW', 'PERFMON', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYSLOG', 'SYS_ADMIN', 'SYS_BOOT',
  'SYS_CHROOT', 'SYS_MODULE', 'SYS_NICE', 'SYS_PACCT', 'SYS_PTRACE', 'SYS_RAWIO', 'SYS_RESOURCE', 'SYS_TIME',
  'SYS_TTY_CONFIG', 'WAKE_ALARM',
];

const CAPABILITIES = new Set(LINUX_CAPABILITIES);

/**
 * What the node makes of a capability added to a container that drops ALL
 * (as every workload of this library does):
 * - `ok`: a capability name, as Kubernetes documents it;
 * - `all`: `ALL`, which containerd and CRI-O apply before `drop: [ALL]`, so the container gets none;
 * - `prefixed`: `CAP_X`, which containerd turns into `CAP_CAP_X`, a name runc ignores (`name` is X);
 * - `lower-case`: a name in lower case: the runtime upper-cases it, but Pod Security
 *   admission compares names exactly and refuses it at the baseline and restricted levels (`name` is the upper-case one);
 * - `unknown`: no capability at all, ignored by runc (`name` is the nearest capability).
 */
export type CapabilityVerdict =
  | { readonly kind: 'ok' }
  | { readonly kind: 'all' }
  | { readonly kind: 'prefixed' | 'lower-case' | 'unknown'; readonly name: string };

/** What the node makes of the added capability `name` (see {@link CapabilityVerdict}). */
export function capabilityVerdict(name: string): CapabilityVerdict {
  if (CAPABILITIES.has(name)) {
    return { kind: 'ok' };
  }
  const upper = name.toUpperCase();
  if (upper === 'ALL') {
    return { kind: 'all' };
  }
  if (upper.startsWith('CAP_') && CAPABILITIES.has(upper.slice(4))) {
    return { kind: 'prefixed', name: upper.slice(4) };
  }
  if (CAPABILITIES.has(upper)) {
    return { kind: 'lower-case', name: upper };
  }
  return { kind: 'unknown', name: nearestCapability(upper.replace(/^CAP_/, '').replace(/[^A-Z0-9]+/g, '_')) };
}

/** The capability a mistyped name most likely meant: the one it starts, else the one fewest edits away. */
function nearestCapability(name: string): string {
  const started = LINUX_CAPABILITIES.find(c => name.length >= 3 && c.startsWith(name));
  if (started !== undefined) {
    return started;
  }
  let best = LINUX_CAPABILITIES[0];
  let bestDistance = Infinity;
  for (const c of LINUX_CAPABILITIES) {
    const d = editDistance(name, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** The sysctl {@link isUnprivilegedPortStart} is about. */
export const UNPRIVILEGED_PORT_START_SYSCTL = 'net.ipv4.ip_unprivileged_port_start';

/**
 * The start of `net.ipv4.ip_local_port_range` in a pod's new network
 * namespace (the kernel's default, 32768-60999; the library sets no other).
 */
export const LOCAL_PORT_RANGE_START = 32768;

/**
 * Whether the kernel accepts `port` as `net.ipv4.ip_unprivileged_port_start`:
 * an integer from 0 to 65535 (proc_dointvec_minmax) that is not above the start
 * of `ip_local_port_range`, so the two ranges do not overlap
 * (net/ipv4/sysctl_net_ipv4.c, ipv4_privileged_ports: `if (range[0] < pports) ret = -EINVAL`).
 * Runc writes it when it creates the container, which then fails to start.
 */
export function isUnprivilegedPortStart(port: number): boolean {
  return Number.isInteger(port) && port >= 0 && port <= LOCAL_PORT_RANGE_START;
}

/**
 * Whether a probe that connects (httpGet, tcpSocket) can reach a container port
 * of `protocol`: the kubelet connects over TCP, so never a UDP port.
 */
export function probeCanReach(protocol: string): boolean {
  return protocol === 'TCP';
}
