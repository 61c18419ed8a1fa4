// Types of host.js, for the e2e suite (plain Node.js, like cluster.js).

export class Host {
  /** The short id that names the cgroups of the cluster in `dir`. */
  static idFor(dir: string): string;
  constructor(dir: string, id: string, nodeCount: number);
  /** Cgroups, mounts under the cluster folder and processes of this cluster still on the machine. */
  leftovers(): string[];
}

export const LAN_GATEWAY: string;
