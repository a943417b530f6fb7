import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { openTestDatabase } from './test-db.ts'

const BIN = fileURLToPath(new URL('../../bin/switchboard.js', import.meta.url))

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs the real `switchboard` binary with the given env (no inherited DATABASE_URL etc.). */
export function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => {
      stdout += d
    })
    child.stderr.on('data', (d) => {
      stderr += d
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/**
 * The environment for CLI processes of one test file: a fresh data dir (PGlite files, key file),
 * and a fresh PostgreSQL database when TEST_DATABASE_URL is set. Call close() in afterAll.
 */
export async function cliEnvironment(
  extra: Record<string, string> = {},
): Promise<{ env: Record<string, string>; close(): Promise<void> }> {
  const env: Record<string, string> = {
    SWITCHBOARD_DATA_DIR: mkdtempSync(join(tmpdir(), 'switchboard-cli-')),
    LOG_LEVEL: 'warn',
    ...extra,
  }
  const database = process.env.TEST_DATABASE_URL ? await openTestDatabase() : null
  if (database?.url) env.DATABASE_URL = database.url
  return { env, close: async () => database?.close() }
}

export interface ServeProcess {
  /** Where it listens: http://127.0.0.1:<port>. */
  url: string
  pid: number
  /** Sends the signal (default SIGTERM) and waits until the process has ended. */
  stop(signal?: NodeJS.Signals): Promise<void>
}

/**
 * Runs the real `switchboard serve` on 127.0.0.1 and a free port, and resolves once it listens
 * (it logs the port it got). Call stop() when done (onTestFinished).
 */
export function startServe(env: Record<string, string>): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      ...env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const pid = child.pid ?? 0
  const exited = new Promise((resolve) => child.on('exit', resolve))
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal)
    await exited
  }
  let output = ''
  let listening = false
  return new Promise((resolve, reject) => {
    // Keep reading after it listens: a full pipe would block its logging, and so the process.
    const collect = (d: Buffer) => {
      if (listening) return
      output += d
      const port = /"port":(\d+)[^\n]*listening on/.exec(output)?.[1]
      if (!port) return
      listening = true
      resolve({ url: `http://127.0.0.1:${port}`, pid, stop })
    }
    child.stdout.on('data', collect)
    child.stderr.on('data', collect)
    child.on('error', reject)
    child.on('exit', (code, signal) =>
      reject(new Error(`serve ended (${code ?? signal}) before listening:\n${output}`)),
    )
  })
}
