import type { Db } from './database.ts'

/**
 * Takes away every other way into an account that single sign-on has just proven the owner of:
 * its password, its other sessions and its API tokens. For an account whose email Switchboard never verified,
 * whoever registered it first may not be the address's owner (pre-account takeover).
 */
export async function revokeOtherSignIns(
  db: Db,
  input: { userId: string; keepSessionId: string },
): Promise<{ passwords: number; sessions: number; apiTokens: number }> {
  return db.transaction().execute(async (trx) => {
    const passwords = await trx
      .deleteFrom('accounts')
      .where('user_id', '=', input.userId)
      .where('provider_id', '=', 'credential')
      .executeTakeFirst()
    const sessions = await trx
      .deleteFrom('sessions')
      .where('user_id', '=', input.userId)
      .where('id', '!=', input.keepSessionId)
      .executeTakeFirst()
    const apiTokens = await trx
      .deleteFrom('api_tokens')
      .where('user_id', '=', input.userId)
      .executeTakeFirst()
    return {
      apiTokens: Number(apiTokens.numDeletedRows),
      passwords: Number(passwords.numDeletedRows),
      sessions: Number(sessions.numDeletedRows),
    }
  })
}
