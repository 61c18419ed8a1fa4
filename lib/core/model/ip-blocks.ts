import { arr, JsonObject, str } from './json';

// Which NetworkPolicy ipBlocks may hold addresses inside the cluster. Manifests
// hold no pod addresses, so a block is judged by the ranges clusters use.

/** An IPv4 block as the first and last address, both included. */
interface Block {
  readonly first: number;
  readonly last: number;
}

/** `a.b.c.d/n`, else undefined (IPv6, or not a CIDR). */
function parseIpv4Cidr(cidr: string): Block | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr.trim());
  if (!m) {
    return undefined;
  }
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some(o => o > 255) || bits > 32) {
    return undefined;
  }
  const address = ((octets[0] * 256 + octets[1]) * 256 + octets[2]) * 256 + octets[3];
  const size = 2 ** (32 - bits);
  const first = Math.floor(address / size) * size;
  return { first, last: first + size - 1 };
}

/**
 * Where clusters put pods, Services and node-local listeners (such as
 * NodeLocal DNSCache): the private ranges, the shared range and link-local.
 */
const CLUSTER_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16']
  .map(cidr => parseIpv4Cidr(cidr) as Block);

/** Whether the blocks together cover every address from `first` to `last`. */
function covers(blocks: Block[], first: number, last: number): boolean {
  let next = first;
  for (const b of [...blocks].sort((x, y) => x.first - y.first)) {
    if (b.first > next) {
      return false;
    }
    next = Math.max(next, b.last + 1);
    if (next > last) {
      return true;
    }
  }
  return next > last;
}

/**
 * Whether an ipBlock (its `cidr` less its `except` blocks) may hold an
 * address inside the cluster. "Anywhere but the private ranges" may not; an
 * IPv6 block, or one that cannot be read, may.
 */
export function ipBlockMayHoldClusterAddresses(block: JsonObject): boolean {
  const cidr = parseIpv4Cidr(str(block.cidr) ?? '');
  if (cidr === undefined) {
    return true;
  }
  const except = arr(block.except).map(e => parseIpv4Cidr(String(e))).filter((b): b is Block => b !== undefined);
  return CLUSTER_RANGES.some(range => {
    const first = Math.max(range.first, cidr.first);
    const last = Math.min(range.last, cidr.last);
    return first <= last && !covers(except, first, last);
  });
}
