import { useQuery } from '@tanstack/react-query'
import { useEffect } from 'react'
import { Navigate, Outlet, useLocation } from 'react-router'
import { authQueries } from '../api/auth.ts'
import { useReturnTo } from '../hooks/use-return-to.ts'
import { FullPageSpinner } from './full-page-status.tsx'

/** Sign-in and sign-up routes: a signed-in user is sent on to where they were going, or to chat. */
export function GuestOnly() {
  const me = useQuery(authQueries.me())
  const returnTo = useReturnTo()
  const { search } = useLocation()
  const resumeOAuth = me.data ? oauthContinuation(search) : null
  useEffect(() => {
    // An MCP client's sign-in sent the visitor here: signed in now, its request goes on.
    if (resumeOAuth) window.location.assign(resumeOAuth)
  }, [resumeOAuth])
  if (me.isPending || resumeOAuth) return <FullPageSpinner />
  if (me.data) return <Navigate to={returnTo ?? '/chat'} replace />
  // When `me` failed to load, still show the forms: submitting them reports the problem.
  return <Outlet />
}

/**
 * The authorization request to resume when Switchboard's OAuth provider sent the visitor to sign
 * in (its signed query: `client_id` … `sig`), else null. The request starts over, unsigned: the
 * provider checks it again from the top.
 */
function oauthContinuation(search: string): string | null {
  const query = new URLSearchParams(search)
  if (!query.has('client_id') || !query.has('sig')) return null
  for (const name of ['sig', 'exp', 'ba_iat', 'ba_param', 'ba_pl']) query.delete(name)
  return `/api/auth/oauth2/authorize?${query.toString()}`
}
