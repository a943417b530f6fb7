import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../../../src/server/config/load-config.ts'

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'switchboard-config-'))
}

describe('loadConfig', () => {
  it('defaults to PGlite under ./data on port 3000 and creates a 0600 key file once', () => {
    const cwd = tempDir()
    const config = loadConfig({ cwd, env: {} })
    expect(config.port).toBe(3000)
    expect(config.database).toEqual({ kind: 'pglite', dataDir: join(cwd, 'data', 'db') })
    const keyFile = join(cwd, 'data', 'secret.key')
    expect(statSync(keyFile).mode & 0o777).toBe(0o600)
    expect(config.secretKey).toHaveLength(32)
    const again = loadConfig({ cwd, env: {} })
    expect(again.secretKey.equals(config.secretKey)).toBe(true)
    expect(readFileSync(keyFile, 'utf8').trim()).not.toBe('')
  })

  it('takes PORT, DATABASE_URL, SWITCHBOARD_DATA_DIR and the key from the environment', () => {
    const cwd = tempDir()
    const key = Buffer.alloc(32, 7).toString('base64')
    const config = loadConfig({
      cwd,
      env: {
        PORT: '4000',
        DATABASE_URL: 'postgres://u@db/x',
        SWITCHBOARD_DATA_DIR: 'elsewhere',
        SWITCHBOARD_SECRET_KEY: key,
      },
    })
    expect(config.port).toBe(4000)
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://u@db/x' })
    expect(config.dataDir).toBe(join(cwd, 'elsewhere'))
    expect(config.secretKey.toString('base64')).toBe(key)
  })

  it('reads switchboard.yaml, with the environment winning', () => {
    const cwd = tempDir()
    writeFileSync(
      join(cwd, 'switchboard.yaml'),
      'server:\n  port: 5000\nregistration: false\nauth:\n  loginAttempts:\n    perAccount: 3\n',
    )
    const config = loadConfig({ cwd, env: { PORT: '5001' }, secretKey: Buffer.alloc(32) })
    expect(config.port).toBe(5001)
    expect(config.registration).toEqual({
      policy: { mode: 'closed', domains: [] },
      source: 'file',
    })
    expect(config.auth.loginAttempts.perAccount).toBe(3)
  })

  it('reads the registration policy: env over the file, none set leaves it to admins', () => {
    const cwd = tempDir()
    const load = (env: Record<string, string>) =>
      loadConfig({ cwd, env, secretKey: Buffer.alloc(32) }).registration
    expect(load({})).toBeNull()
    writeFileSync(
      join(cwd, 'switchboard.yaml'),
      'registration:\n  domains: [Example.com, example.org]\n',
    )
    expect(load({})).toEqual({
      policy: { mode: 'domains', domains: ['example.com', 'example.org'] },
      source: 'file',
    })
    expect(load({ SWITCHBOARD_REGISTRATION: 'invite-only' })).toEqual({
      policy: { mode: 'invite-only', domains: [] },
      source: 'env',
    })
    expect(
      load({
        SWITCHBOARD_REGISTRATION: 'domains',
        SWITCHBOARD_REGISTRATION_DOMAINS: 'a.test, b.test',
      }),
    ).toEqual({ policy: { mode: 'domains', domains: ['a.test', 'b.test'] }, source: 'env' })
    expect(() => load({ SWITCHBOARD_REGISTRATION: 'domains' })).toThrow(
      /SWITCHBOARD_REGISTRATION_DOMAINS/,
    )
    expect(() => load({ SWITCHBOARD_REGISTRATION: 'maybe' })).toThrow(/SWITCHBOARD_REGISTRATION/)
    writeFileSync(join(cwd, 'switchboard.yaml'), 'registration: sometimes\n')
    expect(() => load({})).toThrow(/registration/)
  })

  it.each([
    ['server:\n  port: "eighty"\n', /server\.port: .*expected number/],
    ['registraton: false\n', /registraton.*[Uu]nrecognized key/],
    ['server: [1, 2\n', /not valid YAML/],
    ['auth:\n  loginAttempts:\n    perIp: 0\n', /auth\.loginAttempts\.perIp/],
  ])('stops with a message naming the key for %j', (yaml, message) => {
    const cwd = tempDir()
    writeFileSync(join(cwd, 'switchboard.yaml'), yaml)
    expect(() => loadConfig({ cwd, env: {}, secretKey: Buffer.alloc(32) })).toThrow(message)
  })

  it.each([
    [{ PORT: 'abc' }, /PORT/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL/],
    [{ SWITCHBOARD_SECRET_KEY: 'too-short' }, /SWITCHBOARD_SECRET_KEY/],
    [{ SWITCHBOARD_CONFIG: 'missing.yaml' }, /SWITCHBOARD_CONFIG: no file/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
  ])('refuses bad environment %j', (env, message) => {
    expect(() => loadConfig({ cwd: tempDir(), env })).toThrow(message)
  })
})

describe('chat.models', () => {
  it('is the allowlist when set, with its labels; unset, the whole catalogue is on offer', () => {
    const listed = tempDir()
    writeFileSync(
      join(listed, 'switchboard.yaml'),
      'chat:\n  models:\n    - openai/gpt-4o-mini\n    - { id: anthropic/claude-3.5-sonnet, label: Claude }\n',
    )
    const config = loadConfig({ cwd: listed, env: {}, secretKey: Buffer.alloc(32) })
    expect(config.chat.modelAllowlist).toBe(true)
    expect(config.chat.models).toEqual([
      { id: 'openai/gpt-4o-mini', label: 'openai/gpt-4o-mini' },
      { id: 'anthropic/claude-3.5-sonnet', label: 'Claude' },
    ])
    const open = loadConfig({ cwd: tempDir(), env: { LLM_MODEL: 'llama3.1:8b' } })
    expect(open.chat.modelAllowlist).toBe(false)
    expect(open.chat.defaultModel).toBe('llama3.1:8b')
  })
})

describe('metrics', () => {
  it('are off by default; the file turns them on, and the environment wins', () => {
    const key = { secretKey: Buffer.alloc(32) }
    expect(loadConfig({ cwd: tempDir(), env: {}, ...key }).metrics).toEqual({
      enabled: false,
      token: null,
    })
    const cwd = tempDir()
    writeFileSync(join(cwd, 'switchboard.yaml'), 'metrics:\n  enabled: true\n  token: from-file\n')
    expect(loadConfig({ cwd, env: {}, ...key }).metrics).toEqual({
      enabled: true,
      token: 'from-file',
    })
    const env = { METRICS_ENABLED: 'false', METRICS_TOKEN: 'from-env' }
    expect(loadConfig({ cwd, env, ...key }).metrics).toEqual({ enabled: false, token: 'from-env' })
  })
})

describe('tracing', () => {
  it('is off without an OTLP endpoint; the traces endpoint wins over the base one', () => {
    const tracingOf = (env: Record<string, string>) =>
      loadConfig({ cwd: tempDir(), env, secretKey: Buffer.alloc(32) }).tracing
    expect(tracingOf({})).toEqual({ url: null })
    expect(tracingOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).toEqual({
      url: 'http://collector:4318/v1/traces',
    })
    const both = {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example.com/otlp',
    }
    expect(tracingOf(both)).toEqual({ url: 'https://traces.example.com/otlp' })
    expect(() => tracingOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4317' })).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT: not an http\(s\) URL/,
    )
  })
})

describe('switchboard.example.yaml', () => {
  it('is a valid configuration file', () => {
    const example = new URL('../../../../switchboard.example.yaml', import.meta.url).pathname
    const config = loadConfig({
      cwd: tempDir(),
      env: { SWITCHBOARD_CONFIG: example },
      secretKey: Buffer.alloc(32),
    })
    expect(config.port).toBe(3000)
  })
})

describe('mcpServers', () => {
  it('expands environment references in operator config, and names a missing one', () => {
    const cwd = tempDir()
    writeFileSync(
      join(cwd, 'switchboard.yaml'),
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the ${VAR} syntax is what is tested
      'mcpServers:\n  gh:\n    url: https://mcp.example.test/${PATH_PART}\n    headers:\n      Authorization: Bearer ${GH_TOKEN}\n  local:\n    command: npx\n    args: [server]\n',
    )
    const config = loadConfig({
      cwd,
      env: { GH_TOKEN: 'abc', PATH_PART: 'mcp' },
      secretKey: Buffer.alloc(32),
    })
    expect(config.mcpServers).toEqual([
      expect.objectContaining({
        name: 'gh',
        transport: 'streamable-http',
        url: 'https://mcp.example.test/mcp',
        headers: { Authorization: 'Bearer abc' },
      }),
      expect.objectContaining({
        name: 'local',
        transport: 'stdio',
        command: 'npx',
        args: ['server'],
      }),
    ])
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the ${VAR} syntax is what is tested
    const missing = 'mcpServers.gh.headers.Authorization: ${GH_TOKEN} is not set'
    expect(() =>
      loadConfig({ cwd, env: { PATH_PART: 'mcp' }, secretKey: Buffer.alloc(32) }),
    ).toThrow(missing)

    // A variable with a line break would smuggle a header: refused, without quoting the value.
    const broken = () =>
      loadConfig({
        cwd,
        env: { GH_TOKEN: 'abc\r\nX-Evil: leaked-part', PATH_PART: 'mcp' },
        secretKey: Buffer.alloc(32),
      })
    expect(broken).toThrow(/^.*mcpServers\.gh\.headers\.Authorization: only Latin-1 characters/)
    expect(broken).not.toThrow(/leaked-part/)
  })

  it('refuses a stdio server without a command and an http one without a url', () => {
    const cwd = tempDir()
    writeFileSync(
      join(cwd, 'switchboard.yaml'),
      'mcpServers:\n  a:\n    transport: stdio\n  b:\n    headers: {}\n',
    )
    expect(() => loadConfig({ cwd, env: {}, secretKey: Buffer.alloc(32) })).toThrow(
      /mcpServers\.a\.command: a stdio server needs a command; mcpServers\.b\.url/,
    )
  })
})
