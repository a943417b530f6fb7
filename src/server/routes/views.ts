import type { ApiTokenView, UserView } from '../../shared/auth.ts'
import type { ApiTokenRow, UserRow } from '../db/schema.ts'
import type { CurrentUser } from '../env.ts'

// Rows become views here: the reply schema has no field for a secret, so none can leak.

export function toUserView(user: UserRow | CurrentUser): UserView {
  const createdAt = 'created_at' in user ? user.created_at : user.createdAt
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    createdAt: createdAt.toISOString(),
  }
}

export function toApiTokenView(row: ApiTokenRow): ApiTokenView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    profileId: row.profile_id ?? null,
  }
}
