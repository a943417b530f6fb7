import type { LookupAddress } from 'node:dns'
import { describe, expect, it } from 'vitest'
import type { ResolvedAddress, SsrfPolicy } from '../../../../src/server/mcp/client/ssrf-guard.ts'
import {
  checkUrl,
  checkUrlResolved,
  createGuardedLookup,
  isForbiddenAddress,
  SsrfError,
} from '../../../../src/server/mcp/client/ssrf-guard.ts'

const STRICT: SsrfPolicy = { allowedHosts: [], allowPrivateNetworks: false }

function policy(overrides: Partial<SsrfPolicy>): SsrfPolicy {
  return { ...STRICT, ...overrides }
}

function catchSsrf(fn: () => unknown): SsrfError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(SsrfError)
    return error as SsrfError
  }
  throw new Error('expected an SsrfError')
}

function fixedResolver(table: Record<string, string[]>) {
  return async (hostname: string): Promise<ResolvedAddress[]> => {
    // Like DNS: case-insensitive, and a trailing dot only marks the name as absolute.
    const addresses = table[hostname.toLowerCase().replace(/\.$/, '')]
    if (!addresses) throw Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' })
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))
  }
}

type LookupResult = { error: NodeJS.ErrnoException | null; address?: unknown; family?: unknown }

function runLookup(
  lookup: ReturnType<typeof createGuardedLookup>,
  hostname: string,
  options: Parameters<ReturnType<typeof createGuardedLookup>>[1],
): Promise<LookupResult> {
  return new Promise((resolve) => {
    lookup(hostname, options, (error, address, family) => resolve({ error, address, family }))
  })
}

describe('isForbiddenAddress', () => {
  it.each([
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.254', 'cgnat'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['169.254.0.1', 'link-local'],
    ['169.254.169.254', 'cloud-metadata'],
    ['168.63.129.16', 'cloud-metadata'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.0.0.8', 'reserved'],
    ['192.0.0.192', 'reserved'],
    ['192.0.2.1', 'documentation'],
    ['192.88.99.1', 'reserved'],
    ['192.168.1.1', 'private'],
    ['198.18.0.1', 'benchmarking'],
    ['198.19.255.255', 'benchmarking'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.9', 'documentation'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.254', 'reserved'],
    ['255.255.255.255', 'broadcast'],
  ])('classifies IPv4 %s as %s', (ip, reason) => {
    expect(isForbiddenAddress(ip)).toBe(reason)
  })

  it.each([
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fec0::1', 'private'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['ff02::1', 'multicast'],
    ['ff05::1:3', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['3fff::1', 'documentation'],
    ['fd00:ec2::254', 'cloud-metadata'],
    ['fd00:ec2::253', 'private'],
    ['100::1', 'reserved'],
    ['2001::1', 'reserved'],
    ['64:ff9b:1::1', 'reserved'],
    ['::127.0.0.1', 'reserved'],
    ['::ffff:0:7f00:1', 'reserved'],
    ['4000::1', 'reserved'],
    ['[::1]', 'loopback'],
  ])('classifies IPv6 %s as %s', (ip, reason) => {
    expect(isForbiddenAddress(ip)).toBe(reason)
  })

  it.each([
    ['::ffff:127.0.0.1', 'ipv4-mapped loopback'],
    ['::ffff:7f00:1', 'ipv4-mapped loopback'],
    ['0:0:0:0:0:ffff:127.0.0.1', 'ipv4-mapped loopback'],
    ['::FFFF:10.1.2.3', 'ipv4-mapped private'],
    ['::ffff:a9fe:a9fe', 'ipv4-mapped cloud-metadata'],
    ['::ffff:0.0.0.0', 'ipv4-mapped unspecified'],
    ['64:ff9b::10.0.0.1', 'nat64 private'],
    ['64:ff9b::7f00:1', 'nat64 loopback'],
    ['64:ff9b::a9fe:a9fe', 'nat64 cloud-metadata'],
    ['2002:7f00:1::1', '6to4 loopback'],
    ['2002:c0a8:101::', '6to4 private'],
  ])('checks the IPv4 address embedded in %s (%s)', (ip, reason) => {
    expect(isForbiddenAddress(ip)).toBe(reason)
  })

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '93.184.216.34',
    '9.255.255.255',
    '11.0.0.1',
    '100.63.255.255',
    '100.128.0.0',
    '126.255.255.255',
    '128.0.0.1',
    '169.253.255.255',
    '169.255.0.0',
    '172.15.255.255',
    '172.32.0.0',
    '192.0.1.255',
    '192.167.255.255',
    '192.169.0.0',
    '198.17.255.255',
    '198.20.0.0',
    '223.255.255.255',
    '2606:4700:4700::1111',
    '2001:4860:4860::8888',
    '2a00:1450:4001::1',
    '::ffff:8.8.8.8',
    '::ffff:808:808',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ])('allows the public address %s', (ip) => {
    expect(isForbiddenAddress(ip)).toBeNull()
  })

  it('treats anything that is not an IP address as forbidden', () => {
    for (const text of ['', 'example.com', '127.1', '0x7f000001', '1.2.3.4.5', '::g']) {
      expect(isForbiddenAddress(text)).toBe('not an IP address')
    }
  })
})

describe('checkUrl', () => {
  it('returns the parsed URL for public hosts over http, https, ws and wss', () => {
    for (const url of [
      'https://mcp.example.com/mcp',
      'http://93.184.216.34:8080/sse',
      'ws://example.com/socket',
      'wss://example.com:8443/socket?x=1',
      'https://[2606:4700:4700::1111]/mcp',
    ]) {
      const parsed = checkUrl(url, STRICT)
      expect(parsed).toBeInstanceOf(URL)
      expect(parsed.href).toBe(new URL(url).href)
    }
  })

  it('relies on WHATWG URL parsing to normalize alternative IPv4 and IPv6 notations', () => {
    const normalized: Array<[string, string]> = [
      ['http://2130706433/', '127.0.0.1'],
      ['http://0x7f.1/', '127.0.0.1'],
      ['http://0177.0.0.1/', '127.0.0.1'],
      ['http://127.1/', '127.0.0.1'],
      ['http://0x7f000001/', '127.0.0.1'],
      ['http://127.0.0.1./', '127.0.0.1'],
      ['http://0/', '0.0.0.0'],
      ['http://0xa9fea9fe/', '169.254.169.254'],
      ['http://[::ffff:127.0.0.1]/', '[::ffff:7f00:1]'],
      ['http://[0:0:0:0:0:ffff:127.0.0.1]/', '[::ffff:7f00:1]'],
      ['http://LOCALHOST./', 'localhost.'],
    ]
    for (const [url, hostname] of normalized) expect(new URL(url).hostname).toBe(hostname)
  })

  it.each([
    ['http://127.0.0.1/', '127.0.0.1 is a loopback address'],
    ['http://2130706433/', '127.0.0.1 is a loopback address'],
    ['http://0x7f.1/', '127.0.0.1 is a loopback address'],
    ['http://0177.0.0.1/', '127.0.0.1 is a loopback address'],
    ['http://127.1/', '127.0.0.1 is a loopback address'],
    ['http://127.0.0.1./', '127.0.0.1 is a loopback address'],
    ['http://[::1]:3000/', '::1 is a loopback address'],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1 is an ipv4-mapped loopback address'],
    ['http://[::ffff:7f00:1]/', '::ffff:7f00:1 is an ipv4-mapped loopback address'],
    ['http://[0:0:0:0:0:ffff:127.0.0.1]/', '::ffff:7f00:1 is an ipv4-mapped loopback address'],
    ['http://[64:ff9b::10.0.0.1]/', '64:ff9b::a00:1 is a nat64 private address'],
    ['http://localhost/', 'localhost is a loopback name'],
    ['http://LOCALHOST./', 'localhost is a loopback name'],
    ['http://foo.localhost:8080/', 'foo.localhost is a loopback name'],
    ['http://0/', '0.0.0.0 is an unspecified address'],
    ['http://10.0.0.5/', '10.0.0.5 is a private address'],
    ['http://100.100.100.200/', '100.100.100.200 is a cgnat address'],
    ['http://169.254.169.254/latest/meta-data', '169.254.169.254 is a cloud-metadata address'],
    ['http://0xa9fea9fe/', '169.254.169.254 is a cloud-metadata address'],
    ['http://[fd00:ec2::254]/', 'fd00:ec2::254 is a cloud-metadata address'],
    ['http://[fe80::1]/', 'fe80::1 is a link-local address'],
    ['ws://192.168.1.10:9000/', '192.168.1.10 is a private address'],
    ['wss://[fc00::1]/', 'fc00::1 is a private address'],
  ])('refuses %s', (url, prefix) => {
    const error = catchSsrf(() => checkUrl(url, STRICT))
    expect(error.code).toBe('ssrf_blocked')
    expect(error.message).toBe(
      `${prefix}; ask the operator to allow it in switchboard.yaml (allowedHosts / allowPrivateNetworks)`,
    )
  })

  it.each([
    'file:///etc/passwd',
    'gopher://127.0.0.1:25/_HELO',
    'javascript:alert(1)',
    'data:text/plain,hello',
    'ftp://example.com/',
    'dict://example.com:11211/',
    'mailto:someone@example.com',
  ])('refuses the scheme of %s', (url) => {
    const error = catchSsrf(() => checkUrl(url, STRICT))
    expect(error.code).toBe('invalid_url')
    expect(error.message).toMatch(/not allowed; use http, https, ws or wss/)
  })

  it.each([
    'https://user:hunter2@example.com/',
    'https://user@example.com/',
    'https://:hunter2@example.com/',
    'wss://a:b@example.com/',
  ])('refuses credentials in %s without echoing them', (url) => {
    const error = catchSsrf(() => checkUrl(url, STRICT))
    expect(error.code).toBe('invalid_url')
    expect(error.message).toMatch(/remove the user name and password/)
    expect(error.message).not.toContain('hunter2')
  })

  it.each(['', 'not a url', 'http://', '//example.com/', 'http://exa mple.com/', 'http://[::1/'])(
    'refuses the unparseable %j',
    (url) => {
      expect(catchSsrf(() => checkUrl(url, STRICT)).code).toBe('invalid_url')
    },
  )

  it('accepts URL objects', () => {
    expect(checkUrl(new URL('https://example.com/'), STRICT).host).toBe('example.com')
  })
})

describe('checkUrl with an allowlist', () => {
  it('allows listed hosts whatever their address', () => {
    const allowed = policy({ allowedHosts: ['127.0.0.1', 'localhost', '[::1]', '10.0.0.5'] })
    for (const url of [
      'http://127.0.0.1:3000/',
      'http://2130706433/',
      'http://localhost:8080/mcp',
      'http://LOCALHOST./',
      'http://[::1]:9/',
      'ws://10.0.0.5/',
    ]) {
      expect(checkUrl(url, allowed)).toBeInstanceOf(URL)
    }
    expect(catchSsrf(() => checkUrl('http://127.0.0.2/', allowed)).code).toBe('ssrf_blocked')
  })

  it('normalizes entries with the same URL parser (IP notations, bare IPv6, case, dot)', () => {
    const allowed = policy({ allowedHosts: ['0177.0.0.1', '::1', 'LocalHost.', '::ffff:10.0.0.1'] })
    for (const url of [
      'http://127.0.0.1/',
      'http://[::1]/',
      'http://localhost/',
      'http://[::ffff:a00:1]/',
    ]) {
      expect(checkUrl(url, allowed)).toBeInstanceOf(URL)
    }
  })

  it('restricts host:port entries to that port, default ports included', () => {
    const allowed = policy({ allowedHosts: ['localhost:3000', '127.0.0.1:80', '[::1]:443'] })
    expect(checkUrl('http://localhost:3000/', allowed)).toBeInstanceOf(URL)
    expect(checkUrl('http://127.0.0.1/', allowed)).toBeInstanceOf(URL)
    expect(checkUrl('ws://127.0.0.1:80/', allowed)).toBeInstanceOf(URL)
    expect(checkUrl('https://[::1]/', allowed)).toBeInstanceOf(URL)
    const wrongPort = catchSsrf(() => checkUrl('http://localhost:3001/', allowed))
    expect(wrongPort.code).toBe('ssrf_blocked')
    expect(wrongPort.message).toMatch(/^localhost is allowed only on port 3000; ask the operator/)
    expect(catchSsrf(() => checkUrl('https://127.0.0.1/', allowed)).code).toBe('ssrf_blocked')
    // A port-restricted name is refused on other ports even though names resolve later.
    const named = policy({ allowedHosts: ['mcp.internal:8080'] })
    expect(checkUrl('http://mcp.internal:8080/', named)).toBeInstanceOf(URL)
    expect(catchSsrf(() => checkUrl('http://mcp.internal:22/', named)).code).toBe('ssrf_blocked')
  })

  it('matches *.domain wildcards on subdomains only', () => {
    const allowed = policy({ allowedHosts: ['*.localhost', '*.internal:8443'] })
    expect(checkUrl('http://foo.localhost/', allowed)).toBeInstanceOf(URL)
    expect(checkUrl('http://a.b.localhost/', allowed)).toBeInstanceOf(URL)
    expect(catchSsrf(() => checkUrl('http://localhost/', allowed)).code).toBe('ssrf_blocked')
    expect(checkUrl('https://mcp.internal:8443/', allowed)).toBeInstanceOf(URL)
    expect(catchSsrf(() => checkUrl('https://mcp.internal/', allowed)).code).toBe('ssrf_blocked')
  })

  it.each([
    'http://mcp.internal',
    'mcp.internal/path',
    'user@mcp.internal',
    'mcp.internal:0',
    'mcp.internal:70000',
    '*.10.0.0.1',
    '',
    'bad host',
  ])('refuses the malformed allowedHosts entry %j', (entry) => {
    const error = catchSsrf(() =>
      checkUrl('https://example.com/', policy({ allowedHosts: [entry] })),
    )
    expect(error.code).toBe('invalid_policy')
    expect(error.message).toContain('allowedHosts entry')
  })
})

describe('checkUrl with allowPrivateNetworks', () => {
  it('allows only the listed CIDRs', () => {
    const allowed = policy({ allowPrivateNetworks: ['10.0.0.0/8', '127.0.0.1/32', 'fd00::/8'] })
    for (const url of [
      'http://10.1.2.3/',
      'http://127.0.0.1/',
      'http://[::ffff:127.0.0.1]/',
      'http://[fd12::1]/',
      'http://localhost/',
    ]) {
      expect(checkUrl(url, allowed)).toBeInstanceOf(URL)
    }
    for (const url of ['http://127.0.0.2/', 'http://192.168.0.1/', 'http://[::1]/']) {
      expect(catchSsrf(() => checkUrl(url, allowed)).code).toBe('ssrf_blocked')
    }
  })

  it('accepts bare addresses as single-address networks', () => {
    const allowed = policy({ allowPrivateNetworks: ['192.168.1.10', '::1'] })
    expect(checkUrl('http://192.168.1.10/', allowed)).toBeInstanceOf(URL)
    expect(checkUrl('http://[::1]/', allowed)).toBeInstanceOf(URL)
    expect(catchSsrf(() => checkUrl('http://192.168.1.11/', allowed)).code).toBe('ssrf_blocked')
  })

  it('allows every private range with true, but never cloud metadata', () => {
    const allowed = policy({ allowPrivateNetworks: true })
    for (const url of [
      'http://10.0.0.5/',
      'http://127.0.0.1/',
      'http://[::1]/',
      'http://localhost/',
    ]) {
      expect(checkUrl(url, allowed)).toBeInstanceOf(URL)
    }
    for (const url of [
      'http://169.254.169.254/',
      'http://[fd00:ec2::254]/',
      'http://[::ffff:169.254.169.254]/',
    ]) {
      expect(catchSsrf(() => checkUrl(url, allowed)).message).toMatch(/cloud-metadata/)
    }
  })

  it('allows cloud metadata only when a CIDR names it', () => {
    const allowed = policy({ allowPrivateNetworks: ['169.254.169.254/32'] })
    expect(checkUrl('http://169.254.169.254/latest/meta-data', allowed)).toBeInstanceOf(URL)
  })

  it.each(['10.0.0.0/33', '10.0.0.0/', 'fd00::/129', 'nonsense', '10.0.0.0/8/8', '10.0.0.0/x'])(
    'refuses the malformed CIDR %j',
    (cidr) => {
      const bad = policy({ allowPrivateNetworks: [cidr] })
      expect(catchSsrf(() => checkUrl('https://example.com/', bad)).code).toBe('invalid_policy')
    },
  )
})

describe('createGuardedLookup', () => {
  const resolver = fixedResolver({
    'public.test': ['93.184.216.34', '2606:2800:220:1::1'],
    'private.test': ['10.0.0.7'],
    'mixed.test': ['93.184.216.34', '127.0.0.1'],
    'v6only.test': ['2606:2800:220:1::1'],
    'nip.test': ['::ffff:7f00:1'],
    'mcp.corp.example': ['10.0.0.5'],
    'corp.example': ['10.0.0.5'],
    'evilcorp.example': ['10.0.0.5'],
  })

  it('returns every address when options.all is true', async () => {
    const lookup = createGuardedLookup(STRICT, resolver)
    const result = await runLookup(lookup, 'public.test', { all: true })
    expect(result.error).toBeNull()
    expect(result.address).toEqual([
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800:220:1::1', family: 6 },
    ] satisfies LookupAddress[])
  })

  it('returns the first address and its family when options.all is false', async () => {
    const lookup = createGuardedLookup(STRICT, resolver)
    expect(await runLookup(lookup, 'public.test', {})).toEqual({
      error: null,
      address: '93.184.216.34',
      family: 4,
    })
    expect(await runLookup(lookup, 'public.test', { family: 6 })).toEqual({
      error: null,
      address: '2606:2800:220:1::1',
      family: 6,
    })
    expect(await runLookup(lookup, 'public.test', { family: 'IPv6', all: true })).toMatchObject({
      address: [{ address: '2606:2800:220:1::1', family: 6 }],
    })
  })

  it('answers ENOTFOUND when no address has the requested family', async () => {
    const lookup = createGuardedLookup(STRICT, resolver)
    const result = await runLookup(lookup, 'v6only.test', { family: 4 })
    expect(result.error?.code).toBe('ENOTFOUND')
  })

  it('refuses when any resolved address is forbidden, even if the first is public', async () => {
    const lookup = createGuardedLookup(STRICT, resolver)
    for (const all of [true, false]) {
      const result = await runLookup(lookup, 'mixed.test', { all })
      expect(result.error).toBeInstanceOf(SsrfError)
      expect(result.error?.message).toBe(
        'mixed.test resolves to 127.0.0.1, a loopback address; ask the operator to allow it in ' +
          'switchboard.yaml (allowedHosts / allowPrivateNetworks)',
      )
    }
    const mapped = await runLookup(lookup, 'nip.test', { all: true })
    expect(mapped.error?.message).toMatch(/resolves to ::ffff:7f00:1, an ipv4-mapped loopback/)
  })

  it('passes allowed networks and allowed hosts', async () => {
    const byNetwork = createGuardedLookup(
      policy({ allowPrivateNetworks: ['10.0.0.0/8'] }),
      resolver,
    )
    expect((await runLookup(byNetwork, 'private.test', {})).address).toBe('10.0.0.7')
    const byHost = createGuardedLookup(policy({ allowedHosts: ['private.test:9000'] }), resolver)
    expect((await runLookup(byHost, 'private.test', {})).address).toBe('10.0.0.7')
  })

  it('matches wildcard hosts on subdomains only', async () => {
    const lookup = createGuardedLookup(policy({ allowedHosts: ['*.corp.example'] }), resolver)
    expect((await runLookup(lookup, 'mcp.corp.example', {})).error).toBeNull()
    expect((await runLookup(lookup, 'MCP.corp.example.', {})).error).toBeNull()
    expect((await runLookup(lookup, 'corp.example', {})).error).toBeInstanceOf(SsrfError)
    expect((await runLookup(lookup, 'evilcorp.example', {})).error).toBeInstanceOf(SsrfError)
  })

  it('passes resolver failures through unchanged', async () => {
    const lookup = createGuardedLookup(STRICT, resolver)
    const result = await runLookup(lookup, 'missing.test', {})
    expect(result.error?.code).toBe('ENOTFOUND')
    expect(result.error).not.toBeInstanceOf(SsrfError)
  })

  it('checks literal addresses without calling the resolver', async () => {
    const lookup = createGuardedLookup(STRICT, () => {
      throw new Error('resolver must not be called')
    })
    const result = await runLookup(lookup, '10.0.0.1', {})
    expect(result.error?.message).toMatch(/^10\.0\.0\.1 is a private address/)
    expect((await runLookup(lookup, '8.8.8.8', {})).address).toBe('8.8.8.8')
  })

  it('refuses a resolver answer that is not an IP address', async () => {
    const lookup = createGuardedLookup(STRICT, async () => [{ address: 'evil', family: 4 }])
    expect((await runLookup(lookup, 'weird.test', {})).error).toBeInstanceOf(SsrfError)
  })
})

describe('checkUrlResolved', () => {
  const resolver = fixedResolver({
    'mcp.example.com': ['10.0.0.5'],
    'public.test': ['93.184.216.34'],
  })

  it('explains which address a name resolves to', async () => {
    await expect(checkUrlResolved('https://mcp.example.com/mcp', STRICT, resolver)).rejects.toThrow(
      'mcp.example.com resolves to 10.0.0.5, a private address; ask the operator to allow it ' +
        'in switchboard.yaml (allowedHosts / allowPrivateNetworks)',
    )
  })

  it('returns the URL for public names and allowed hosts', async () => {
    const url = await checkUrlResolved('https://public.test/mcp', STRICT, resolver)
    expect(url.href).toBe('https://public.test/mcp')
    const allowed = policy({ allowedHosts: ['mcp.example.com'] })
    await expect(
      checkUrlResolved('https://mcp.example.com/', allowed, resolver),
    ).resolves.toBeInstanceOf(URL)
  })

  it('runs checkUrl first', async () => {
    await expect(checkUrlResolved('file:///etc/passwd', STRICT, resolver)).rejects.toMatchObject({
      code: 'invalid_url',
    })
  })
})
