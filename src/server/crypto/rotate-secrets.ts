import { sql } from 'kysely'
import type { Db } from '../db/database.ts'
import { createSecretBox } from './secret-box.ts'

/** Every column that holds a sealed secret, with the owner its envelope is bound to. */
const SEALED_COLUMNS = [{ table: 'mcp_servers', column: 'auth_data', owner: 'user_id' }] as const

export interface RotationProgress {
  done: number
  total: number
}

/**
 * Re-seals every stored secret from the `from` master key to `to`, in one transaction: either
 * all secrets move to the new key or none do. Envelopes already under `to` are left alone, so a
 * rotation interrupted before its key file was replaced can simply be run again.
 */
export async function rotateSecrets(
  db: Db,
  input: { from: Buffer; to: Buffer; onProgress?: (progress: RotationProgress) => void },
): Promise<number> {
  const box = createSecretBox({ current: input.to, previous: [input.from] })
  return db.transaction().execute(async (trx) => {
    let done = 0
    let total = 0
    for (const { table, column, owner } of SEALED_COLUMNS) {
      const rows = await trx
        .selectFrom(table)
        .select(['id', `${owner} as owner`, `${column} as sealed`])
        .where(column, 'is not', null)
        .execute()
      total += rows.length
      input.onProgress?.({ done, total })
      for (const row of rows) {
        if (row.sealed && box.needsRotation(row.sealed)) {
          const plaintext = box.open(row.owner, row.sealed)
          await trx
            .updateTable(table)
            .set({ [column]: box.seal(row.owner, plaintext) })
            .where('id', '=', row.id)
            .execute()
        }
        done += 1
        input.onProgress?.({ done, total })
      }
    }
    // Pending OAuth sign-ins hold a sealed PKCE verifier for ten minutes at most: drop them
    // rather than re-seal (the user starts the sign-in again).
    await sql`delete from mcp_oauth_states`.execute(trx)
    return done
  })
}
