import { type Location, useLocation } from 'react-router'
import { z } from 'zod'

/** What `RequireAuth` puts in the history state when it sends someone to sign in. */
export interface ReturnToState {
  from: Pick<Location, 'pathname' | 'search' | 'hash'>
}

// History state survives reloads and can be anything an older build wrote, so parse it.
const ReturnToStateSchema = z.object({
  from: z.object({ pathname: z.string().startsWith('/'), search: z.string(), hash: z.string() }),
})

/** The path the visitor wanted before being sent to sign in, if any. */
export function useReturnTo(): string | undefined {
  const { state } = useLocation()
  const parsed = ReturnToStateSchema.safeParse(state)
  if (!parsed.success) return undefined
  const { pathname, search, hash } = parsed.data.from
  return `${pathname}${search}${hash}`
}
