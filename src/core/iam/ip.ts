// IPv4 and IPv6 addresses and CIDR blocks for IpAddress / NotIpAddress ("The IP address must be
// in standard CIDR format", IAM User Guide, reference_policies_elements_condition_operators.html,
// "IP address condition operators"). A policy value without a prefix length is one address.

export interface Cidr {
  version: 4 | 6;
  /** The address as a bigint (32 or 128 bits). */
  address: bigint;
  prefix: number;
  /** The bits after the prefix, and the address without them (the block's network part). */
  shift: bigint;
  network: bigint;
}

function parseIpv4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseIpv6(text: string): bigint | null {
  let body = text;
  // An embedded IPv4 tail (::ffff:1.2.3.4) counts as the last two groups.
  let tail: bigint | null = null;
  const lastColon = body.lastIndexOf(':');
  if (body.includes('.') && lastColon >= 0) {
    tail = parseIpv4(body.slice(lastColon + 1));
    if (tail === null) return null;
    body = `${body.slice(0, lastColon + 1)}0:0`;
  }
  const halves = body.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return null;
    value = (value << 16n) | BigInt(parseInt(group, 16));
  }
  if (tail !== null) value = (value & ~0xffffffffn) | tail;
  return value;
}

/** Parsed addresses and blocks: policies and requests repeat the same few. */
const parsed = new Map<string, Cidr | null>();

/** Parses `1.2.3.4`, `1.2.3.0/24`, `2001:db8::/32`, ...; null when it is not an address. */
export function parseCidr(text: string): Cidr | null {
  let cidr = parsed.get(text);
  if (cidr === undefined) {
    cidr = readCidr(text);
    if (parsed.size >= 10_000) parsed.clear();
    parsed.set(text, cidr);
  }
  return cidr;
}

function readCidr(text: string): Cidr | null {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  const addressText = slash >= 0 ? trimmed.slice(0, slash) : trimmed;
  const prefixText = slash >= 0 ? trimmed.slice(slash + 1) : undefined;
  const v4 = parseIpv4(addressText);
  const version: 4 | 6 = v4 !== null ? 4 : 6;
  const address = v4 ?? parseIpv6(addressText);
  if (address === null) return null;
  const bits = version === 4 ? 32 : 128;
  let prefix = bits;
  if (prefixText !== undefined) {
    if (!/^\d{1,3}$/.test(prefixText)) return null;
    prefix = Number(prefixText);
    if (prefix > bits) return null;
  }
  const shift = BigInt(bits - prefix);
  return { version, address, prefix, shift, network: address >> shift };
}

/** Is the request address inside the block? Different IP versions never match. */
export function cidrContains(block: Cidr, address: Cidr): boolean {
  if (block.version !== address.version) return false;
  return block.network === address.address >> block.shift;
}
