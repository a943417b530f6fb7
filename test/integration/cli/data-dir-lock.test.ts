import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it, onTestFinished } from 'vitest'
import { cliEnvironment, runCli, type ServeProcess, startServe } from '../../helpers/run-cli.ts'
import { TEST_DB_KIND } from '../../helpers/test-db.ts'

const PASSWORD = 'a long password'
const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

/** A fresh data dir (and PostgreSQL database on that pass) for one test; dropped after it. */
async function environment(): Promise<Record<string, string>> {
  const { env, close } = await cliEnvironment()
  onTestFinished(close)
  return env
}

async function serveOn(env: Record<string, string>): Promise<ServeProcess> {
  const serve = await startServe(env)
  onTestFinished(() => serve.stop('SIGKILL'))
  return serve
}

function login(serve: ServeProcess, email: string): Promise<Response> {
  return fetch(`${serve.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  })
}

function running(dataDir: string, pid: number): string {
  return `error: Switchboard is running on this data directory (${dataDir}, pid ${pid}): `
}

// Every step boots a process (seconds each, tens of seconds on a loaded machine): generous timeouts.
describe.skipIf(TEST_DB_KIND === 'postgres')(
  'the embedded database while serve runs',
  { timeout: 600_000 },
  () => {
    it('user and token create do their writes through the running serve, which accepts them', async () => {
      const env = await environment()
      const serve = await serveOn(env)
      const email = 'live@example.test'
      const created = await runCli(
        ['user', 'create', '--email', email, '--password', PASSWORD],
        env,
      )
      expect(created.stderr).toBe(`(created by the running Switchboard, pid ${serve.pid})\n`)
      expect(created.code).toBe(0)
      expect(created.stdout).toMatch(/^created admin live@example\.test \(/)
      expect((await login(serve, email)).status).toBe(200)

      const token = await runCli(['token', 'create', '--email', email], env)
      expect(token.code).toBe(0)
      const secret = token.stdout.trim()
      expect(token.stdout).toBe(`${secret}\n`)
      const me = await fetch(`${serve.url}/api/auth/me`, {
        headers: { authorization: `Bearer ${secret}` },
      })
      expect(me.status).toBe(200)
      expect(await me.json()).toMatchObject({ user: { email } })

      // The instance's errors come back as the command's own.
      const ghost = await runCli(['token', 'create', '--email', 'ghost@example.test'], env)
      expect(ghost.code).toBe(1)
      expect(ghost.stderr).toBe('error: no user with email ghost@example.test\n')
    })

    it('a second serve and keys rotate refuse with exit 1 and say what to do', async () => {
      const env = await environment()
      const serve = await serveOn(env)
      const dataDir = env.SWITCHBOARD_DATA_DIR ?? ''
      const keyFile = join(dataDir, 'secret.key')
      const key = readFileSync(keyFile, 'utf8')

      const second = await runCli(['serve'], { ...env, PORT: '0', HOST: '127.0.0.1' })
      expect(second.code).toBe(1)
      expect(second.stderr).toBe(
        `${running(dataDir, serve.pid)}stop it first, or give this one another SWITCHBOARD_DATA_DIR\n`,
      )
      const rotate = await runCli(['keys', 'rotate'], env)
      expect(rotate.code).toBe(1)
      expect(rotate.stderr).toBe(
        `${running(dataDir, serve.pid)}stop it first, then run this command again\n`,
      )
      expect(readFileSync(keyFile, 'utf8')).toBe(key) // keys rotate wrote nothing
      expect(existsSync(`${keyFile}.new`)).toBe(false)
      // The first serve was not disturbed.
      expect((await fetch(`${serve.url}/api/health`)).status).toBeLessThan(500)
    })

    it('user and token create refuse, and write nothing, when the holder does not answer', async () => {
      const env = await environment()
      const dataDir = env.SWITCHBOARD_DATA_DIR ?? ''
      // Hold the lock from a process with no control socket, as serve while it still migrates.
      const holder = spawn(
        process.execPath,
        ['--import', 'tsx', 'test/fixtures/db/lock-contender.ts', join(dataDir, 'db'), ROOT],
        { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] },
      )
      onTestFinished(() => {
        holder.kill('SIGKILL')
      })
      let said = ''
      await new Promise<void>((resolve, reject) => {
        holder.stdout.on('data', (d) => {
          said += d
          if (said.includes('won\n')) resolve()
        })
        holder.on('exit', () => reject(new Error(`lock holder ended: ${said}`)))
      })
      const advice = `it does not answer on ${join(dataDir, 'run', 'control.sock')} (ENOENT); wait until it has started, or stop it, then run this command again\n`

      const user = await runCli(
        ['user', 'create', '--email', 'b@example.test', '--password', PASSWORD],
        env,
      )
      expect(user.stdout).toBe('')
      expect(user.stderr).toBe(`${running(dataDir, holder.pid ?? 0)}${advice}`)
      expect(user.code).toBe(1)
      const token = await runCli(['token', 'create', '--email', 'b@example.test'], env)
      expect(token.stdout).toBe('')
      expect(token.stderr).toBe(`${running(dataDir, holder.pid ?? 0)}${advice}`)
      expect(token.code).toBe(1)

      holder.stdin.end() // releases the lock and exits
      await new Promise((resolve) => holder.on('exit', resolve))
      const ghost = await runCli(['token', 'create', '--email', 'b@example.test'], env)
      expect(ghost.stderr).toBe('error: no user with email b@example.test\n')
    })

    it('takes over the lock of a serve killed with SIGKILL, and the write persists', async () => {
      const env = await environment()
      const killed = await serveOn(env)
      await killed.stop('SIGKILL')
      expect(existsSync(join(env.SWITCHBOARD_DATA_DIR ?? '', 'db.lock'))).toBe(true)

      const created = await runCli(
        ['user', 'create', '--email', 'after@example.test', '--password', PASSWORD],
        env,
      )
      expect(created.stderr).toBe('') // done here, not through a server
      expect(created.code).toBe(0)

      const restarted = await serveOn(env)
      expect((await login(restarted, 'after@example.test')).status).toBe(200)
      // The restarted serve took over the socket the killed one left, too.
      const token = await runCli(['token', 'create', '--email', 'after@example.test'], env)
      expect(token.stderr).toBe(`(created by the running Switchboard, pid ${restarted.pid})\n`)
      expect(token.code).toBe(0)
    })
  },
)

describe.runIf(TEST_DB_KIND === 'postgres')(
  'PostgreSQL while serve runs',
  { timeout: 600_000 },
  () => {
    it('needs no lock: user create writes directly and the user signs in', async () => {
      const env = await environment()
      const serve = await serveOn(env)
      const created = await runCli(
        ['user', 'create', '--email', 'pg@example.test', '--password', PASSWORD],
        env,
      )
      expect(created.stderr).toBe('')
      expect(created.code).toBe(0)
      expect((await login(serve, 'pg@example.test')).status).toBe(200)
    })
  },
)
