import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

/** Latency percentiles (ms) and throughput of one measured batch. */
export interface Summary {
  calls: number
  p50: number
  p99: number
  mean: number
  perSecond: number
}

export function summarize(latencies: number[], wallMs: number): Summary {
  const sorted = [...latencies].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0
  const mean = sorted.reduce((sum, v) => sum + v, 0) / (sorted.length || 1)
  return {
    calls: sorted.length,
    p50: round(at(0.5)),
    p99: round(at(0.99)),
    mean: round(mean),
    perSecond: round((sorted.length / wallMs) * 1000),
  }
}

/**
 * Runs `call` with `concurrency` workers until `total` calls are done; returns each call's
 * latency and the wall time.
 */
export async function runLoad(
  call: () => Promise<void>,
  options: { concurrency: number; total: number },
): Promise<{ latencies: number[]; wallMs: number }> {
  const latencies: number[] = []
  let started = 0
  const begin = performance.now()
  const worker = async () => {
    while (started < options.total) {
      started += 1
      const t0 = performance.now()
      await call()
      latencies.push(performance.now() - t0)
    }
  }
  await Promise.all(Array.from({ length: options.concurrency }, worker))
  return { latencies, wallMs: performance.now() - begin }
}

/** BENCH_PROFILE_DIR=<dir>: node flags that make the app write a CPU profile there (for DevTools). */
export function profileArgs(): string[] {
  const dir = process.env.BENCH_PROFILE_DIR
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : []
}

let nextPort = Math.floor(Math.random() * 90)

/**
 * A real Switchboard (`bin/switchboard.js serve`) on a random port of 127.0.0.1 with its own
 * data dir and config file and no web UI; resolves once `/api/health` answers.
 */
export async function startBenchApp(options: {
  dataDir: string
  configFile: string
  env?: NodeJS.ProcessEnv
  /** Another checkout of Switchboard to run (a baseline); this one by default. */
  root?: string
}): Promise<{ app: { child: ChildProcess }; base: string }> {
  const port = 3900 + (nextPort++ % 90)
  const base = `http://127.0.0.1:${port}`
  const root = options.root ?? new URL('..', import.meta.url).pathname
  const app = await startChild(
    process.execPath,
    [...profileArgs(), join(root, 'bin/switchboard.js'), 'serve'],
    {
      env: {
        PORT: String(port),
        HOST: '127.0.0.1',
        SWITCHBOARD_DATA_DIR: options.dataDir,
        SWITCHBOARD_CONFIG: options.configFile,
        SWITCHBOARD_WEB_DIR: join(options.dataDir, 'no-web'),
        ...options.env,
      },
      ready: /./,
      waitFor: `${base}/api/health`,
    },
  )
  return { app, base }
}

/** Starts a child and resolves with it and the first stdout line matching `ready`. */
export async function startChild(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; ready: RegExp; timeoutMs?: number; waitFor?: string },
): Promise<{ child: ChildProcess; line: string }> {
  if (options.waitFor) return { child: await startAndPoll(command, args, options), line: '' }
  const child = spawn(command, args, {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < 8192) stderr += chunk.toString()
  })
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })
  const timeout = options.timeoutMs ?? 60_000
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} not ready: ${stderr}`)), timeout)
    lines.on('line', (text) => {
      if (options.ready.test(text)) {
        clearTimeout(timer)
        resolve(text)
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${command} exited with ${code}: ${stderr}`))
    })
  })
  return { child, line }
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
  await once(child, 'exit')
  clearTimeout(timer)
}

function round(value: number): number {
  return Math.round(value * 100) / 100
}

/** Starts a child and polls `waitFor` until it answers 200. */
async function startAndPoll(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; waitFor?: string },
): Promise<ChildProcess> {
  const child = spawn(command, args, {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const deadline = Date.now() + (options.timeoutMs ?? 60_000)
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${command} exited with ${child.exitCode}`)
    const ok = await fetch(options.waitFor as string)
      .then((res) => res.ok)
      .catch(() => false)
    if (ok) return child
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  child.kill('SIGKILL')
  throw new Error(`${options.waitFor} did not answer within the time limit`)
}

/**
 * Registers the bench user on a fresh app (the first account) and returns the headers that
 * act as it: JSON, same-origin, and its session cookie.
 */
export async function registerBenchUser(base: string): Promise<Record<string, string>> {
  const json = { 'content-type': 'application/json', origin: base }
  const registered = await fetch(`${base}/api/auth/register`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ email: 'bench@example.test', password: 'correct horse battery staple' }),
  })
  if (registered.status !== 201) throw new Error(`register: ${registered.status}`)
  const cookie = registered.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')
  return { ...json, cookie }
}

/** A fresh database on a PostgreSQL server, dropped (with its connections) afterwards. */
export async function createDatabase(serverUrl: string, label = 'bench') {
  const { default: pg } = await import('pg')
  const name = `switchboard_${label}_${process.pid}_${Date.now()}`
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  await admin.query(`create database ${name}`)
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop() {
      await admin.query(`drop database if exists ${name} with (force)`)
      await admin.end()
    },
  }
}
