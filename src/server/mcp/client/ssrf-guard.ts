/**
 * SSRF guard for every user-supplied URL: MCP servers over http(s)/ws(s) and every URL fetched
 * during OAuth discovery.
 *
 * Two layers, both needed:
 * - `checkUrl` vets the URL text (scheme, credentials, literal IPs, localhost names, redirects).
 * - `createGuardedLookup` vets the addresses a name resolves to at connect time and hands the
 *   vetted address to the socket. Checking the name alone allows DNS rebinding: the name can
 *   resolve to a public address when checked and to 127.0.0.1 when connected.
 * Node connects to literal IPs without calling `lookup`, which is why `checkUrl` must run first.
 * The upstream HTTP stack (upstream-http.ts) puts both on every request to a user's server:
 * the lookup in its agent, `checkUrl` on each request and redirect hop (`ssrfGuard`).
 *
 * @module
 */
import type { LookupAddress, LookupOptions } from 'node:dns'
import { lookup as dnsLookup } from 'node:dns/promises'
import type { LookupFunction } from 'node:net'
import { BlockList, isIP } from 'node:net'
import type { Middleware } from '@modelcontextprotocol/client'
import { type ErrorReason, reasonOf } from '../../../shared/error-reasons.ts'

/** What the operator allows beyond the public internet (from `switchboard.yaml`). */
export interface SsrfPolicy {
  /**
   * Hosts that skip the address check: `mcp.internal`, `*.example.com` (subdomains only), IPs,
   * or any of these with `:port` (then only that port is allowed for that host).
   */
  allowedHosts: string[]
  /** `true` allows every special-purpose range except cloud metadata; a list allows those CIDRs. */
  allowPrivateNetworks: boolean | string[]
}

export type SsrfErrorCode = 'invalid_url' | 'ssrf_blocked' | 'too_many_redirects' | 'invalid_policy'

/**
 * A refused URL or connection; the message says what the user or operator can do about it, and
 * `reason` says the same for the UI to translate (none for the operator's own config mistakes).
 */
export class SsrfError extends Error {
  override readonly name = 'SsrfError'
  readonly code: SsrfErrorCode
  readonly reason: ErrorReason | undefined

  constructor(code: SsrfErrorCode, message: string, reason?: ErrorReason) {
    super(message)
    this.code = code
    this.reason = reason
  }
}

export interface ResolvedAddress {
  address: string
  family: number
}

/** Resolves a hostname to every address it has (default: `dns.lookup` with `all: true`). */
export type Resolver = (hostname: string) => Promise<readonly ResolvedAddress[]>

const HINT =
  'ask the operator to allow it in switchboard.yaml (allowedHosts / allowPrivateNetworks)'
const ALLOWED_PROTOCOLS = new Set(['http:', 'https:', 'ws:', 'wss:'])
const DEFAULT_PORTS: Record<string, string> = {
  'http:': '80',
  'ws:': '80',
  'https:': '443',
  'wss:': '443',
}

/**
 * Special-purpose ranges from the IANA registries of RFC 6890 (updated by RFC 8190), plus cloud
 * metadata endpoints. Order matters: the first list that matches names the reason, so the
 * specific metadata addresses come before the ranges that contain them.
 */
const FORBIDDEN_RANGES: ReadonlyArray<readonly [reason: string, cidrs: readonly string[]]> = [
  // AWS/GCP/Azure/OpenStack IMDS, Azure WireServer (a public address only meaningful inside
  // Azure), and AWS's IPv6 IMDS endpoint (inside fc00::/7).
  ['cloud-metadata', ['169.254.169.254/32', '168.63.129.16/32', 'fd00:ec2::254/128']],
  // 0.0.0.0/8 "this network": connecting to 0.0.0.0 reaches the local host on Linux.
  ['unspecified', ['0.0.0.0/8', '::/128']],
  ['loopback', ['127.0.0.0/8', '::1/128']],
  // RFC 1918, RFC 4193 unique-local, and deprecated site-local (RFC 3879).
  ['private', ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7', 'fec0::/10']],
  ['cgnat', ['100.64.0.0/10']], // RFC 6598 shared address space
  ['link-local', ['169.254.0.0/16', 'fe80::/10']],
  // RFC 5737, RFC 3849, RFC 9637.
  [
    'documentation',
    ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24', '2001:db8::/32', '3fff::/20'],
  ],
  ['benchmarking', ['198.18.0.0/15', '2001:2::/48']], // RFC 2544, RFC 5180
  ['multicast', ['224.0.0.0/4', 'ff00::/8']],
  ['broadcast', ['255.255.255.255/32']],
  // IETF protocol assignments, 6to4 relay anycast, class E, discard-only (RFC 6666), the
  // IETF IPv6 block (Teredo, ORCHID, …), local-use NAT64 (RFC 8215).
  [
    'reserved',
    ['192.0.0.0/24', '192.88.99.0/24', '240.0.0.0/4', '100::/64', '2001::/23', '64:ff9b:1::/48'],
  ],
]

const FORBIDDEN_LISTS = FORBIDDEN_RANGES.map(([reason, cidrs]) => ({
  reason,
  list: buildBlockList(cidrs),
}))
// RFC 4291 §2.4: only 2000::/3 is global unicast; the rest of IPv6 is special or unassigned.
const GLOBAL_UNICAST_V6 = buildBlockList(['2000::/3'])

interface HostRule {
  host: string
  wildcard: boolean
  port: string | null
}

interface CompiledPolicy {
  hosts: HostRule[]
  allowAll: boolean
  networks: BlockList | null
}

// Policies come from config and are built once, so compile each object once (treat as immutable).
const compiledPolicies = new WeakMap<SsrfPolicy, CompiledPolicy>()

/**
 * Why `ip` must not be connected to (`'loopback'`, `'private'`, `'link-local'`, `'cgnat'`,
 * `'cloud-metadata'`, `'ipv4-mapped loopback'`, `'nat64 private'`, …), or null for a public
 * address. Ignores any policy. Anything that is not an IP address is forbidden.
 */
export function isForbiddenAddress(ip: string): string | null {
  const address = normalizeAddress(ip)
  const family = isIP(address)
  if (family === 0) return 'not an IP address'
  if (family === 6) {
    const embedded = embeddedIpv4(address)
    if (embedded) {
      // These forms reach (or translate to) the embedded IPv4 address, so it decides.
      const inner = isForbiddenAddress(embedded.ipv4)
      return inner && `${embedded.kind} ${inner}`
    }
  }
  const type = family === 4 ? 'ipv4' : 'ipv6'
  for (const { reason, list } of FORBIDDEN_LISTS) {
    if (list.check(address, type)) return reason
  }
  if (family === 6 && !GLOBAL_UNICAST_V6.check(address, 'ipv6')) return 'reserved'
  return null
}

/**
 * Parses a user-supplied URL and refuses it unless it is http(s)/ws(s), carries no credentials,
 * and its host is allowed: an `allowedHosts` match, a public literal IP, or a name (names are
 * checked again, on their resolved addresses, by the guarded lookup when connecting).
 * Throws `SsrfError` (`invalid_url` | `ssrf_blocked` | `invalid_policy`).
 */
export function checkUrl(url: string | URL, policy: SsrfPolicy): URL {
  const parsed = parseUserUrl(String(url))
  const compiled = compilePolicy(policy)
  const host = normalizeAddress(parsed.hostname)
  const rules = compiled.hosts.filter((rule) => hostMatches(rule, host))
  if (rules.length > 0) {
    const port = parsed.port || DEFAULT_PORTS[parsed.protocol]!
    if (rules.some((rule) => rule.port === null || rule.port === port)) return parsed
    const ports = rules.map((rule) => rule.port).join(', ')
    throw new SsrfError(
      'ssrf_blocked',
      `${host} is allowed only on port ${ports}; ${HINT}`,
      reasonOf('upstream.ssrf.portOnly', { host, ports }),
    )
  }
  if (isIP(host)) {
    const reason = forbiddenReason(host, compiled)
    if (reason) {
      throw new SsrfError(
        'ssrf_blocked',
        `${host} is ${describe(reason)}; ${HINT}`,
        reasonOf('upstream.ssrf.blocked', { host, kind: reason }),
      )
    }
  } else if (isLocalhostName(host) && forbiddenReason('127.0.0.1', compiled)) {
    // RFC 6761 §6.3: resolvers may answer any *.localhost name with loopback without asking DNS.
    throw new SsrfError(
      'ssrf_blocked',
      `${host} is a loopback name; ${HINT}`,
      reasonOf('upstream.ssrf.loopbackName', { host }),
    )
  }
  return parsed
}

/**
 * `checkUrl`, then resolves a hostname once and refuses it if any address is forbidden. Use it
 * to give early, specific feedback (when a server is added or tested); it does not replace the
 * guarded lookup, because the name may resolve differently when the connection is made.
 */
export async function checkUrlResolved(
  url: string | URL,
  policy: SsrfPolicy,
  resolver: Resolver = systemResolver,
): Promise<URL> {
  const parsed = checkUrl(url, policy)
  await resolveChecked(parsed.hostname, compilePolicy(policy), resolver)
  return parsed
}

/**
 * A `dns.lookup`-compatible function for `net.connect`, `http.request` or undici's `connect`
 * options. It resolves with `resolver`, refuses (with an `SsrfError`) when ANY address is
 * forbidden and not allowed by the policy, and otherwise hands the vetted addresses to the
 * socket, honouring `options.family` and `options.all`. Hosts in `allowedHosts` skip the address
 * check; their port is not known here, so `checkUrl` must have vetted the URL.
 */
export function createGuardedLookup(
  policy: SsrfPolicy,
  resolver: Resolver = systemResolver,
): LookupFunction {
  const compiled = compilePolicy(policy)
  return (hostname, options, callback) => {
    const done = callback as (
      err: NodeJS.ErrnoException | null,
      address?: string | LookupAddress[],
      family?: number,
    ) => void
    resolveChecked(hostname, compiled, resolver).then(
      (addresses) => deliver(hostname, addresses, options ?? {}, done),
      (error: NodeJS.ErrnoException) => done(error),
    )
  }
}

/**
 * The SSRF guard as fetch middleware, for the stack whose agent connects through the guarded
 * lookup: every request's URL passes `checkUrl` first (below `followRedirects`, so each
 * redirect hop does), and a connection the lookup refused rejects with its `SsrfError` rather
 * than fetch's bare "fetch failed".
 */
export function ssrfGuard(policy: SsrfPolicy): Middleware {
  compilePolicy(policy)
  return (next) => async (input, init) => {
    const url = checkUrl(input, policy)
    try {
      return await next(url, init)
    } catch (error) {
      throw findSsrfError(error) ?? error
    }
  }
}

/**
 * Options to spread into a `ws` client (`new WebSocket(url, { ...guardedWebSocketOptions(p) })`):
 * ws passes `lookup` through to `http.request`, so names are vetted at connect time as in fetch.
 * Literal IPs never reach a lookup, so run `checkUrl` on the URL first; redirects are switched
 * off because ws would follow them without that check.
 */
export function guardedWebSocketOptions(
  policy: SsrfPolicy,
  resolver?: Resolver,
): { lookup: LookupFunction; followRedirects: false } {
  return { lookup: createGuardedLookup(policy, resolver), followRedirects: false }
}

function systemResolver(hostname: string): Promise<readonly ResolvedAddress[]> {
  return dnsLookup(hostname, { all: true })
}

function buildBlockList(cidrs: readonly string[]): BlockList {
  const list = new BlockList()
  for (const cidr of cidrs) {
    const [address = '', prefix = ''] = cidr.split('/')
    list.addSubnet(address, Number(prefix), isIP(address) === 4 ? 'ipv4' : 'ipv6')
  }
  return list
}

/** Drops IPv6 brackets and zone id, trailing dots of FQDNs, and case. */
function normalizeAddress(host: string): string {
  return host
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/%.*$/, '')
    .replace(/\.+$/, '')
    .toLowerCase()
}

function isLocalhostName(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost')
}

function describe(reason: string): string {
  return `${/^[aeiou]/.test(reason) ? 'an' : 'a'} ${reason} address`
}

function parseUserUrl(text: string): URL {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new SsrfError(
      'invalid_url',
      'the URL is not valid; use a full address such as https://mcp.example.com/mcp',
      reasonOf('upstream.url.invalid', {}),
    )
  }
  if (!ALLOWED_PROTOCOLS.has(url.protocol)) {
    throw new SsrfError(
      'invalid_url',
      `${url.protocol} URLs are not allowed; use http, https, ws or wss`,
      reasonOf('upstream.url.scheme', { scheme: url.protocol }),
    )
  }
  if (url.username || url.password) {
    throw new SsrfError(
      'invalid_url',
      "remove the user name and password from the URL; set credentials in the server's " +
        'authentication settings instead',
      reasonOf('upstream.url.credentials', {}),
    )
  }
  return url
}

/** The reason `ip` is refused under `policy`, or null when it may be connected to. */
function forbiddenReason(ip: string, policy: CompiledPolicy): string | null {
  const reason = isForbiddenAddress(ip)
  if (reason === null) return null
  if (reason === 'not an IP address') return reason
  // Metadata endpoints hand out cloud credentials: `true` does not cover them, a CIDR must.
  if (policy.allowAll && !reason.endsWith('cloud-metadata')) return null
  if (policy.networks === null) return reason
  const address = normalizeAddress(ip)
  const type = isIP(address) === 4 ? 'ipv4' : 'ipv6'
  if (policy.networks.check(address, type)) return null
  const embedded = type === 'ipv6' ? embeddedIpv4(address) : null
  if (embedded && policy.networks.check(embedded.ipv4, 'ipv4')) return null
  return reason
}

async function resolveChecked(
  hostname: string,
  policy: CompiledPolicy,
  resolver: Resolver,
): Promise<ResolvedAddress[]> {
  const host = normalizeAddress(hostname)
  const literal = isIP(host)
  const resolved = literal ? [{ address: host, family: literal }] : await resolver(hostname)
  const addresses = resolved.map(({ address }) => ({ address, family: isIP(address) }))
  if (policy.hosts.some((rule) => hostMatches(rule, host))) return addresses
  for (const { address } of addresses) {
    const reason = forbiddenReason(address, policy)
    if (reason === null) continue
    const subject = literal ? `${host} is` : `${host} resolves to ${address},`
    throw new SsrfError(
      'ssrf_blocked',
      `${subject} ${describe(reason)}; ${HINT}`,
      literal
        ? reasonOf('upstream.ssrf.blocked', { host, kind: reason })
        : reasonOf('upstream.ssrf.resolvesToBlocked', { host, address, kind: reason }),
    )
  }
  return addresses
}

function deliver(
  hostname: string,
  addresses: ResolvedAddress[],
  options: LookupOptions,
  done: (
    err: NodeJS.ErrnoException | null,
    address?: string | LookupAddress[],
    family?: number,
  ) => void,
): void {
  const wanted = toFamily(options.family)
  const usable = wanted ? addresses.filter((entry) => entry.family === wanted) : addresses
  const first = usable[0]
  if (!first) {
    const error: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`)
    error.code = 'ENOTFOUND'
    done(error)
  } else if (options.all) {
    done(null, usable)
  } else {
    done(null, first.address, first.family)
  }
}

function toFamily(family: LookupOptions['family']): number {
  if (family === 'IPv4') return 4
  if (family === 'IPv6') return 6
  return family ?? 0
}

function compilePolicy(policy: SsrfPolicy): CompiledPolicy {
  let compiled = compiledPolicies.get(policy)
  if (!compiled) {
    const networks = policy.allowPrivateNetworks
    compiled = {
      hosts: policy.allowedHosts.map(parseHostRule),
      allowAll: networks === true,
      networks: Array.isArray(networks) ? parseNetworks(networks) : null,
    }
    compiledPolicies.set(policy, compiled)
  }
  return compiled
}

function hostMatches(rule: HostRule, host: string): boolean {
  return rule.wildcard ? host.endsWith(`.${rule.host}`) : host === rule.host
}

/** Normalizes an allowedHosts entry with the URL parser, so `0177.0.0.1` means 127.0.0.1. */
function parseHostRule(entry: string): HostRule {
  const text = entry.trim().toLowerCase()
  const wildcard = text.startsWith('*.')
  const rest = wildcard ? text.slice(2) : text
  const authority = isIP(rest) === 6 ? `[${rest}]` : rest
  const port = /:(\d{1,5})$/.exec(authority)?.[1] ?? null
  const candidate = `http://${authority}/`
  const url = URL.canParse(candidate) ? new URL(candidate) : null
  const host = url ? normalizeAddress(url.hostname) : ''
  // Anything beyond host[:port] (path, query, credentials) shows up in href and is refused.
  const bad =
    url === null ||
    url.href !== `http://${url.host}/` ||
    (wildcard && isIP(host) !== 0) ||
    (port !== null && (Number(port) < 1 || Number(port) > 65535))
  if (bad) {
    throw new SsrfError(
      'invalid_policy',
      `allowedHosts entry "${entry}" is not a host, *.domain, IP, or one of those with :port`,
    )
  }
  return { host, wildcard, port: port === null ? null : String(Number(port)) }
}

function parseNetworks(cidrs: readonly string[]): BlockList {
  const list = new BlockList()
  for (const cidr of cidrs) {
    const [address = '', prefixText, extra] = cidr.trim().split('/')
    const family = isIP(address)
    const max = family === 4 ? 32 : 128
    const prefix = prefixText === undefined ? max : Number(prefixText)
    const validPrefix = prefixText === undefined || /^\d{1,3}$/.test(prefixText)
    if (family === 0 || extra !== undefined || !validPrefix || prefix > max) {
      throw new SsrfError(
        'invalid_policy',
        `allowPrivateNetworks entry "${cidr}" is not a CIDR such as 10.0.0.0/8 or fd00::/8`,
      )
    }
    list.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6')
  }
  return list
}

/**
 * The IPv4 address inside IPv4-mapped (::ffff:0:0/96, RFC 4291 §2.5.5.2), NAT64 well-known
 * prefix (64:ff9b::/96, RFC 6052) and 6to4 (2002::/16, RFC 3056) addresses: connecting to them
 * reaches, or is translated to, that IPv4 address.
 */
function embeddedIpv4(ipv6: string): { kind: string; ipv4: string } | null {
  const groups = ipv6Groups(ipv6)
  const zero = (from: number, to: number) => groups.slice(from, to).every((group) => group === 0)
  const ipv4 = (high: number, low: number) => {
    const [a, b, c, d] = [
      groups[high]! >> 8,
      groups[high]! & 255,
      groups[low]! >> 8,
      groups[low]! & 255,
    ]
    return `${a}.${b}.${c}.${d}`
  }
  if (zero(0, 5) && groups[5] === 0xffff) return { kind: 'ipv4-mapped', ipv4: ipv4(6, 7) }
  if (groups[0] === 0x64 && groups[1] === 0xff9b && zero(2, 6)) {
    return { kind: 'nat64', ipv4: ipv4(6, 7) }
  }
  if (groups[0] === 0x2002) return { kind: '6to4', ipv4: ipv4(1, 2) }
  return null
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, dotted tail converted). */
function ipv6Groups(ipv6: string): number[] {
  let text = ipv6
  const lastColon = text.lastIndexOf(':')
  const tail = text.slice(lastColon + 1)
  if (tail.includes('.')) {
    const [a = 0, b = 0, c = 0, d = 0] = tail.split('.').map(Number)
    const hex = `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
    text = text.slice(0, lastColon + 1) + hex
  }
  const [head = '', rest] = text.split('::')
  const headGroups = head === '' ? [] : head.split(':')
  const restGroups = rest === undefined || rest === '' ? [] : rest.split(':')
  const fill = rest === undefined ? 0 : 8 - headGroups.length - restGroups.length
  const groups = [...headGroups, ...Array<string>(fill).fill('0'), ...restGroups]
  return groups.map((group) => Number.parseInt(group, 16))
}

function findSsrfError(error: unknown, depth = 0): SsrfError | null {
  if (error instanceof SsrfError) return error
  if (!(error instanceof Error) || depth > 4) return null
  const nested = error instanceof AggregateError ? [...error.errors, error.cause] : [error.cause]
  for (const inner of nested) {
    const found = findSsrfError(inner, depth + 1)
    if (found) return found
  }
  return null
}
