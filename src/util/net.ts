import { lookup as dnsLookup } from 'node:dns';
import { isIP } from 'node:net';

/** The eight 16-bit groups of an IPv6 address, or undefined when it is not one. */
function ipv6Groups(addr: string): number[] | undefined {
  if (isIP(addr) !== 6) return undefined;
  let a = addr.toLowerCase().replace(/%.*$/, '');
  // a trailing dotted IPv4 part (::ffff:127.0.0.1) becomes two groups
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(a);
  if (v4) {
    const [b0, b1, b2, b3] = v4.slice(1).map(Number);
    a = `${a.slice(0, v4.index)}${((b0 << 8) | b1).toString(16)}:${((b2 << 8) | b3).toString(16)}`;
  }
  const [head, tail] = a.includes('::') ? a.split('::') : [a, undefined];
  const h = head ? head.split(':') : [];
  const t = tail === undefined ? [] : tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array(8 - h.length - t.length).fill('0');
  const groups = [...h, ...fill, ...t].map((g) => Number.parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => g >= 0 && g <= 0xffff) ? groups : undefined;
}

/**
 * True for an IP address on this machine's loopback: 127.0.0.0/8, ::1, and IPv4-mapped loopback
 * (::ffff:127.x.y.z, which URLs serialise as ::ffff:7f00:1). A name is never loopback by itself:
 * resolve it first (resolveHost).
 */
export function isLoopbackAddress(address: string): boolean {
  const a = address.replace(/^\[|\]$/g, '');
  const v = isIP(a);
  if (v === 4) return a.startsWith('127.');
  const g = ipv6Groups(a);
  if (!g) return false;
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return true;
  // ::ffff:a.b.c.d
  return g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff && g[6] >> 8 === 127;
}

/**
 * True for a host that is a literal loopback address, or a name that stays on this machine by
 * definition when it is only *bound* (the mock provider's --host). For a host that traffic is sent
 * to, use resolveHost: a name such as x.localhost may resolve anywhere.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (isIP(h)) return isLoopbackAddress(h);
  return h === 'localhost';
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a name to every address (as dns.lookup with all: true does); injectable for tests. */
export type LookupAll = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemLookupAll: LookupAll = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addrs) => {
      if (err) reject(err);
      else resolve(addrs.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 })));
    });
  });

export interface HostResolution {
  /** every address the host resolved to (a literal address: itself) */
  addresses: ResolvedAddress[];
  /** true only when every address is loopback */
  loopback: boolean;
}

/** Resolves a URL host; a literal address is itself. Names are resolved, never trusted by their spelling. */
export async function resolveHost(host: string, lookupAll: LookupAll = systemLookupAll): Promise<HostResolution> {
  const h = host.replace(/^\[|\]$/g, '');
  const v = isIP(h);
  const addresses = v ? [{ address: h, family: v as 4 | 6 }] : await lookupAll(h);
  return { addresses, loopback: addresses.length > 0 && addresses.every((a) => isLoopbackAddress(a.address)) };
}

/**
 * A `lookup` for net.connect / undici's `connect.lookup` that answers only with the address that was
 * checked, whatever name it is asked: the connection goes where the guard looked, not where a second
 * resolution (DNS may answer differently the second time) would send it.
 */
export function pinnedLookup(pinned: ResolvedAddress) {
  return (
    _hostname: string,
    options: { all?: boolean } | number | undefined,
    callback: (err: NodeJS.ErrnoException | null, address: string | ResolvedAddress[], family?: number) => void,
  ): void => {
    const all = typeof options === 'object' && options?.all;
    if (all) callback(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
}

/** The hostname of a URL, or undefined when it is not a valid http(s) URL. */
export function httpHost(url: string): string | undefined {
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    return u.hostname;
  } catch {
    return undefined;
  }
}
