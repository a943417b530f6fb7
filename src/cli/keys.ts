import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { SingleBar } from 'cli-progress'
import { rotateSecrets } from '../server/crypto/rotate-secrets.ts'
import { generateMasterKey, parseMasterKey } from '../server/crypto/secret-box.ts'
import { UsageError } from './cli-error.ts'
import { parseFlags, withDeps } from './run-command.ts'

export const KEYS_USAGE =
  'switchboard keys rotate [--new-key KEY]   re-encrypt every secret under a new master key'

/**
 * Rotates the master key. With the key file (the embedded default) the new key replaces it;
 * with SWITCHBOARD_SECRET_KEY the new key is printed and the operator sets it. Signing in again
 * is needed afterwards: session cookies are signed with a key derived from the master key.
 */
export async function keysCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseFlags(args, { 'new-key': { type: 'string' } })
  if (positionals[0] !== 'rotate' || positionals.length !== 1) {
    throw new UsageError('keys takes one action: rotate')
  }
  const newKeyText = values['new-key'] ?? generateMasterKey()
  let newKey: Buffer
  try {
    newKey = parseMasterKey(newKeyText)
  } catch (error) {
    throw new UsageError(`--new-key: ${(error as Error).message}`)
  }
  await withDeps(async ({ deps }, config) => {
    const fromEnv = Boolean(process.env.SWITCHBOARD_SECRET_KEY)
    const keyFile = join(config.dataDir, 'secret.key')
    const pending = `${keyFile}.new`
    // Write the new key before touching the database: if the process dies after the commit, the
    // key that opens the secrets is already on disk.
    if (!fromEnv) writeFileSync(pending, `${newKeyText}\n`, { mode: 0o600 })
    const bar = new SingleBar({
      format: 're-encrypting secrets [{bar}] {value}/{total}',
      stream: process.stderr,
      noTTYOutput: true,
      notTTYSchedule: 1000,
    })
    bar.start(0, 0)
    try {
      const count = await rotateSecrets(deps.db, {
        from: config.secretKey,
        to: newKey,
        onProgress: ({ done, total }) => {
          bar.setTotal(total)
          bar.update(done)
        },
      })
      bar.stop()
      console.error(`re-encrypted ${count} secret(s)`)
    } catch (error) {
      bar.stop()
      if (!fromEnv && existsSync(pending)) rmSync(pending)
      throw error
    }
    if (fromEnv) {
      console.error('set SWITCHBOARD_SECRET_KEY to this new key on every instance, then restart:')
      process.stdout.write(`${newKeyText}\n`)
    } else {
      renameSync(pending, keyFile)
      console.error(`new key written to ${keyFile}; restart Switchboard (everyone signs in again)`)
    }
  })
}
