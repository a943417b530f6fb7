import { type ChildProcessByStdio, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable, Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { describe, expect, it, onTestFinished } from 'vitest'
import { DataDirLockedError, lockDataDir } from '../../../../src/server/db/data-dir-lock.ts'

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url))
const CONTENDER = 'test/fixtures/db/lock-contender.ts'

type Contender = ChildProcessByStdio<Writable, Readable, null> & {
  ready: Promise<void>
  result: Promise<string>
}

/**
 * A separate process that tries to lock `dir` once `goFile` exists (by default a path that does,
 * so at once); `ready` when it waits for that, `result` is `won` or `lost <message>`.
 */
function contender(dir: string, goFile = ROOT): Contender {
  const child = spawn(process.execPath, ['--import', 'tsx', CONTENDER, dir, goFile], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  }) as Contender
  const lines: string[] = []
  const waiters: Array<() => void> = []
  let rest = ''
  child.stdout.on('data', (d) => {
    rest += d
    const parts = rest.split('\n')
    rest = parts.pop() ?? ''
    lines.push(...parts)
    for (const wake of waiters.splice(0)) wake()
  })
  const line = (n: number) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const found = lines[n]
        if (found !== undefined) resolve(found)
        else waiters.push(check)
      }
      // 'close', not 'exit': the last line may still be in the pipe when the process exits.
      child.on('close', (code) =>
        reject(new Error(`contender exited (${code}): ${lines.join(' | ')}`)),
      )
      check()
    })
  child.ready = line(0).then(() => undefined)
  child.result = line(1)
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL')
      await once(child, 'exit')
    }
  })
  return child
}

/** Starts `count` contenders, lets them all boot, then lets them go at once. */
async function race(
  dir: string,
  count: number,
): Promise<{ racers: Contender[]; results: string[] }> {
  const goFile = join(dir, '..', 'go')
  const racers = Array.from({ length: count }, () => contender(dir, goFile))
  await Promise.all(racers.map((c) => c.ready))
  writeFileSync(goFile, '')
  return { racers, results: await Promise.all(racers.map((c) => c.result)) }
}

function freshDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'switchboard-lock-')), 'db')
}

/** A lock record as another process would have written it. */
function writeRecord(dir: string, fields: Record<string, unknown>) {
  writeFileSync(
    `${dir}.lock`,
    JSON.stringify({
      pid: process.pid,
      hostname: hostname(),
      procStart: null,
      acquiredAt: new Date().toISOString(),
      nonce: 'x',
      ...fields,
    }),
  )
}

// Each contender is a Node process loading TypeScript: seconds under load.
describe('lockDataDir', { timeout: 120_000 }, () => {
  it('of several processes starting at once, exactly one wins', async () => {
    const dir = freshDir()
    const { racers, results } = await race(dir, 4)
    expect(results.filter((r) => r === 'won')).toHaveLength(1)
    const winner = racers[results.indexOf('won')]
    for (const lost of results.filter((r) => r !== 'won')) {
      expect(lost).toBe(`lost ${dir} is in use by another Switchboard process (pid ${winner?.pid})`)
    }
  })

  it('refuses while another live process holds it, naming its pid', async () => {
    const dir = freshDir()
    const holder = contender(dir)
    expect(await holder.result).toBe('won')
    const error = await lockDataDir(dir).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DataDirLockedError)
    expect((error as DataDirLockedError).holder.pid).toBe(holder.pid)
    expect((error as DataDirLockedError).foreign).toBe(false)
  })

  it('is taken over from a holder killed with SIGKILL, by exactly one of several racers', async () => {
    const dir = freshDir()
    const holder = contender(dir)
    expect(await holder.result).toBe('won')
    holder.kill('SIGKILL')
    await once(holder, 'exit')
    expect(existsSync(`${dir}.lock`)).toBe(true) // the dead holder left its lock behind

    const { results } = await race(dir, 4)
    expect(results.filter((r) => r === 'won')).toHaveLength(1)
    expect(existsSync(`${dir}.lock.break`)).toBe(false)
  })

  it('is released on release() and when the holder exits normally', async () => {
    const dir = freshDir()
    const lock = await lockDataDir(dir)
    lock.release()
    expect(existsSync(lock.lockPath)).toBe(false)

    const holder = contender(dir)
    expect(await holder.result).toBe('won')
    holder.stdin.end()
    await once(holder, 'exit')
    expect(existsSync(`${dir}.lock`)).toBe(false)
    ;(await lockDataDir(dir)).release()
  })

  it('refuses a second lock in the same process', async () => {
    const dir = freshDir()
    const lock = await lockDataDir(dir)
    onTestFinished(() => lock.release())
    await expect(lockDataDir(dir)).rejects.toBeInstanceOf(DataDirLockedError)
  })

  it.skipIf(!existsSync('/proc/self/stat'))(
    'takes over a lock left by an earlier process under the same pid (a restarted container)',
    async () => {
      const dir = freshDir()
      writeRecord(dir, { procStart: '1' }) // our pid, but a process that started at boot
      const lock = await lockDataDir(dir)
      expect(JSON.parse(readFileSync(lock.lockPath, 'utf8')).pid).toBe(process.pid)
      lock.release()
    },
  )

  it('refuses a lock from another host and says how to clear it', async () => {
    const dir = freshDir()
    writeRecord(dir, { pid: 4242, hostname: 'elsewhere.example' })
    await expect(lockDataDir(dir)).rejects.toThrow(
      `${dir} is locked by process 4242 on host elsewhere.example: if Switchboard is not running there any more, delete ${dir}.lock`,
    )
  })
})
