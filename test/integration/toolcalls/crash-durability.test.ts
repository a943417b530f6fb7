import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningHttp, startEverything } from '../../helpers/mcp-servers.ts'
import { cliEnvironment } from '../../helpers/run-cli.ts'
import { TEST_PASSWORD, uniqueEmail } from '../../helpers/start-app.ts'

// The real binary, killed with SIGKILL right after answering: what it answered must be in the
// log when it comes back (on PGlite files, or on PostgreSQL in the PostgreSQL pass).
const BIN = fileURLToPath(new URL('../../../bin/switchboard.js', import.meta.url))

describe('a call answered 200 survives kill -9', () => {
  let environment: Awaited<ReturnType<typeof cliEnvironment>>
  let everything: RunningHttp
  let server: ChildProcess | null = null
  let base: string
  let env: Record<string, string>

  beforeAll(async () => {
    environment = await cliEnvironment()
    everything = await startEverything('streamableHttp')
    const configFile = join(environment.env.SWITCHBOARD_DATA_DIR as string, 'switchboard.yaml')
    // The MCP server listens on 127.0.0.1, which the SSRF guard refuses unless allowed.
    writeFileSync(configFile, 'allowPrivateNetworks: ["127.0.0.0/8"]\n')
    const port = await freePort()
    base = `http://127.0.0.1:${port}`
    env = {
      ...environment.env,
      ...(process.env.TEST_REDIS_URL ? { REDIS_URL: process.env.TEST_REDIS_URL } : {}),
      SWITCHBOARD_CONFIG: configFile,
      SWITCHBOARD_WEB_DIR: join(environment.env.SWITCHBOARD_DATA_DIR as string, 'no-web'),
      PORT: String(port),
      HOST: '127.0.0.1',
    }
  }, 60_000)

  afterAll(async () => {
    if (server && server.exitCode === null && server.signalCode === null) {
      server.kill('SIGKILL')
      await once(server, 'exit')
    }
    await everything?.close()
    await environment?.close()
  })

  /** Starts `switchboard serve` and waits until it answers. */
  async function start(): Promise<ChildProcess> {
    const child = spawn(process.execPath, [BIN, 'serve'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr?.on('data', (chunk: Buffer) => {
      if (stderr.length < 8192) stderr += chunk.toString('utf8')
    })
    const deadline = Date.now() + 60_000
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`serve exited (${child.exitCode}): ${stderr}`)
      const ok = await fetch(`${base}/api/health`)
        .then((res) => res.ok)
        .catch(() => false)
      if (ok) return child
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    child.kill('SIGKILL')
    throw new Error(`serve did not answer within 60 s: ${stderr}`)
  }

  it('has every call that answered 200 in the log as succeeded after a restart', async () => {
    server = await start()
    const headers: Record<string, string> = { 'content-type': 'application/json', origin: base }
    const registered = await fetch(`${base}/api/auth/register`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ email: uniqueEmail('crash'), password: TEST_PASSWORD }),
    })
    expect(registered.status).toBe(201)
    headers.cookie = registered.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ')
    const created = await fetch(`${base}/api/user/mcp-servers`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        name: 'everything',
        transport: 'streamable-http',
        url: everything.url,
      }),
    })
    expect(created.status).toBe(201)
    const { id: serverId } = (await created.json()) as { id: string }
    const listed = await fetch(`${base}/api/user/mcp-servers/${serverId}/tools`, { headers })
    const { tools } = (await listed.json()) as { tools: { id: string; name: string }[] }
    const echoId = tools.find((tool) => tool.name === 'echo')?.id

    const answered: string[] = []
    for (let i = 0; i < 10; i += 1) {
      const res = await fetch(`${base}/api/chat/tool-call`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ toolId: echoId, arguments: { message: `call ${i}` } }),
      })
      expect(res.status).toBe(200)
      const { call } = (await res.json()) as { call: { id: string; status: string } }
      expect(call.status).toBe('succeeded')
      answered.push(call.id)
    }
    // At once, as a crash would: no shutdown, no flush.
    server.kill('SIGKILL')
    await once(server, 'exit')

    server = await start()
    const history = await fetch(`${base}/api/user/mcp-tool-calls?limit=50`, { headers })
    expect(history.status).toBe(200)
    const { calls } = (await history.json()) as { calls: { id: string; status: string }[] }
    const stored = new Map(calls.map((call) => [call.id, call.status]))
    expect(answered.map((id) => stored.get(id))).toEqual(answered.map(() => 'succeeded'))
  }, 120_000)
})

async function freePort(): Promise<number> {
  const probe = createServer()
  probe.listen(0, '127.0.0.1')
  await once(probe, 'listening')
  const { port } = probe.address() as AddressInfo
  await new Promise((resolve) => probe.close(resolve))
  return port
}
