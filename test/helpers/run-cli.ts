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
