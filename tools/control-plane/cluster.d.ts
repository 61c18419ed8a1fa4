// Types of cluster.js (plain Node.js, so that `npm run cluster` needs no compile step).

export interface StartOptions {
  /** Simulated kwok nodes (4 CPU, 16Gi each), when realNodes is 0. Default 3. */
  nodes?: number;
  /**
   * Real nodes (containerd, kubelet, kube-proxy, kube-router in namespaces of their own),
   * with cluster DNS, a local registry of the stand-in images and static volumes. Default 0:
   * kwok's simulated nodes.
   */
  realNodes?: number;
  /** Progress lines; default: stderr. */
  log?: (line: string) => void;
  /** Time allowed for each start-up wait, in ms. Default 180000. */
  timeoutMs?: number;
  /** Folder of the built binaries; default: `build.sh --print-bin-dir`. */
  binDir?: string;
  /** Parent of the temporary folder; default: the OS temporary folder. */
  dir?: string;
  /** Keep the temporary folder after stop (also: CONTROL_PLANE_KEEP=1). */
  keepDir?: boolean;
}

export interface Cluster {
  dir: string;
  kubeconfig: string;
  server: string;
  nodes: string[];
  ports: { etcd: number; etcdPeer: number; apiserver: number; controllerManager: number; scheduler: number };
  logs: Record<string, string>;
  logTail(name: string, lines?: number): string;
  logTails(lines?: number): string;
  pids(): Record<string, number | null>;
  exited(): string[];
  /** Stops every component (reverse order, SIGTERM then SIGKILL) and removes the folder. */
  stop(): Promise<void>;
  /** Stops the named components in that order, then starts them again (e.g. kubelet-node-1). */
  restart(...names: string[]): Promise<void>;
  /** True when the nodes are real. */
  real: boolean;
  /** The lan network namespace file of real nodes (where node IPs are reachable). */
  netns?: string;
  /** Runs a command where the node IPs are reachable (the lan namespace), returns its output. */
  inLan(cmd: string, args: string[]): string;
  /**
   * The command line that runs `cmd args` in the lan namespace, for spawning a long-running
   * process there (a load generator): `spawn(c.cmd, c.args)`. On simulated nodes: unchanged.
   */
  lanCommand(cmd: string, args: string[]): { cmd: string; args: string[] };
  /** The range MetalLB gives LoadBalancer Services on real nodes (on the lan bridge); else undefined. */
  loadBalancerPool?: { first: string; last: string };
  /** Cgroups, mounts and processes of the real nodes still on the machine (after stop: none). */
  leftovers(): string[];
}

export function startCluster(options?: StartOptions): Promise<Cluster>;
export function lockFile(): string;
export function cacheRoot(): string;
export function binDir(): string;
