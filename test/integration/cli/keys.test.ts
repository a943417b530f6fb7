import { readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../src/server/config/load-config.ts'
import { createSecretBox } from '../../../src/server/crypto/secret-box.ts'
import { buildDeps } from '../../../src/server/deps.ts'
import { cliEnvironment, runCli } from '../../helpers/run-cli.ts'

let env: Record<string, string>
let closeEnv: () => Promise<void>
beforeAll(async () => {
  ;({ env, close: closeEnv } = await cliEnvironment())
})
afterAll(() => closeEnv?.())

async function withAppDeps<T>(
  fn: (deps: Awaited<ReturnType<typeof buildDeps>>['deps']) => Promise<T>,
) {
  const built = await buildDeps(loadConfig({ env, cwd: tmpdir() }), { migrate: true })
  try {
    return await fn(built.deps)
  } finally {
    await built.close()
  }
}

describe('switchboard keys rotate', { timeout: 600_000 }, () => {
  it('re-encrypts every stored secret under a new key and replaces the key file', async () => {
    expect(
      (
        await runCli(
          ['user', 'create', '--email', 'k@example.test', '--password', 'a long password'],
          env,
        )
      ).code,
    ).toBe(0)
    const keyFile = join(env.SWITCHBOARD_DATA_DIR ?? '', 'secret.key')
    const oldKey = readFileSync(keyFile, 'utf8').trim()
    const token = 'rotate-me-token-77'

    const serverId = await withAppDeps(async (deps) => {
      const user = await deps.db.selectFrom('users').select('id').executeTakeFirstOrThrow()
      const row = await deps.db
        .insertInto('mcp_servers')
        .values({
          user_id: user.id,
          name: 'secretive',
          transport: 'streamable-http',
          url: 'https://mcp.example.test/mcp',
          config: '{}',
          auth_type: 'bearer',
          auth_data: deps.box.sealJson(user.id, { type: 'bearer', token }),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      return row.id
    })

    const rotated = await runCli(['keys', 'rotate'], env)
    expect(rotated.stderr).toMatch(/re-encrypted 1 secret\(s\)/)
    expect(rotated.code).toBe(0)
    const newKey = readFileSync(keyFile, 'utf8').trim()
    expect(newKey).not.toBe(oldKey)
    expect(statSync(keyFile).mode & 0o777).toBe(0o600)

    await withAppDeps(async (deps) => {
      const row = await deps.db
        .selectFrom('mcp_servers')
        .select(['auth_data', 'user_id'])
        .where('id', '=', serverId)
        .executeTakeFirstOrThrow()
      expect(row.auth_data).not.toContain(token)
      expect(deps.box.openJson(row.user_id, row.auth_data ?? '')).toEqual({ type: 'bearer', token })
      const oldBox = createSecretBox({ current: Buffer.from(oldKey, 'base64') })
      expect(() => oldBox.open(row.user_id, row.auth_data ?? '')).toThrow()
    })
  })

  it('refuses a malformed new key with a usage error', async () => {
    const result = await runCli(['keys', 'rotate', '--new-key', 'short'], env)
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/--new-key/)
  })
})
