import { createHash } from 'node:crypto'
import type { ColumnType, Selectable } from 'kysely'
import type { Db } from './database.ts'

// Sign-ins in progress (migration 0002).

export interface McpOAuthStatesTable {
  /** `stateKey(state)`, never the state itself. */
  state: string
  user_id: string
  server_id: string
  /** Secret-box envelope of the PKCE code verifier, bound to `user_id`. */
  code_verifier: string
  used_at: Date | null
  created_at: ColumnType<Date, Date | string | undefined, never>
  expires_at: ColumnType<Date, Date | string, Date | string>
}

export type McpOAuthStateRow = Selectable<McpOAuthStatesTable>

function states(db: Db) {
  return db.withTables<{ mcp_oauth_states: McpOAuthStatesTable }>()
}

/**
 * What a state is stored under: its SHA-256. The state is a bearer secret until it is used
 * (whoever presents it at the callback finishes that sign-in), so, like a password, only its
 * hash is kept.
 */
export function stateKey(state: string): string {
  return createHash('sha256').update(state, 'utf8').digest('hex')
}

export async function insertOAuthState(
  db: Db,
  input: {
    state: string
    userId: string
    serverId: string
    sealedCodeVerifier: string
    expiresAt: Date
  },
): Promise<void> {
  await states(db)
    .insertInto('mcp_oauth_states')
    .values({
      state: stateKey(input.state),
      user_id: input.userId,
      server_id: input.serverId,
      code_verifier: input.sealedCodeVerifier,
      expires_at: input.expiresAt,
    })
    .execute()
}

/** The user's sign-in to the server that `state` names, used or not. */
export async function findOAuthState(
  db: Db,
  input: { state: string; userId: string; serverId: string },
): Promise<McpOAuthStateRow | undefined> {
  return states(db)
    .selectFrom('mcp_oauth_states')
    .selectAll()
    .where('state', '=', stateKey(input.state))
    .where('user_id', '=', input.userId)
    .where('server_id', '=', input.serverId)
    .executeTakeFirst()
}

/**
 * Marks the state used and returns it, whoever presents it; undefined when it is unknown or was
 * already used. One statement, so two callbacks racing with one state cannot both win.
 */
export async function claimOAuthState(
  db: Db,
  input: { state: string; now: Date },
): Promise<McpOAuthStateRow | undefined> {
  return states(db)
    .updateTable('mcp_oauth_states')
    .set({ used_at: input.now })
    .where('state', '=', stateKey(input.state))
    .where('used_at', 'is', null)
    .returningAll()
    .executeTakeFirst()
}

export async function deleteOAuthState(db: Db, input: { state: string }): Promise<void> {
  await states(db)
    .deleteFrom('mcp_oauth_states')
    .where('state', '=', stateKey(input.state))
    .execute()
}

/** Sign-ins nobody finished: their verifiers are of no use to anyone. */
export async function deleteExpiredOAuthStates(db: Db, input: { now: Date }): Promise<void> {
  await states(db).deleteFrom('mcp_oauth_states').where('expires_at', '<=', input.now).execute()
}
