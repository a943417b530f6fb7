import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { generateMasterKey, parseMasterKey } from '../crypto/secret-box.ts'
import { ConfigError } from './config.ts'

const KEY_FILE = 'secret.key'

/**
 * The master key: `SWITCHBOARD_SECRET_KEY`, else `<dataDir>/secret.key`, created 0600 on first
 * start so a laptop install needs no setup. Losing the file loses every stored secret.
 */
export function loadSecretKey(input: {
  env: Record<string, string | undefined>
  dataDir: string
}): Buffer {
  const fromEnv = input.env.SWITCHBOARD_SECRET_KEY
  if (fromEnv) {
    try {
      return parseMasterKey(fromEnv)
    } catch (error) {
      throw new ConfigError(`SWITCHBOARD_SECRET_KEY: ${(error as Error).message}`)
    }
  }
  const path = join(input.dataDir, KEY_FILE)
  if (!existsSync(path)) {
    mkdirSync(input.dataDir, { recursive: true, mode: 0o700 })
    // `wx` fails if another process created the file meanwhile: never overwrite a key.
    writeFileSync(path, `${generateMasterKey()}\n`, { mode: 0o600, flag: 'wx' })
  }
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600)
  try {
    return parseMasterKey(readFileSync(path, 'utf8').trim())
  } catch (error) {
    throw new ConfigError(`${path}: ${(error as Error).message}`)
  }
}
