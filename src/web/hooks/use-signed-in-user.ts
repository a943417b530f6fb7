import { createContext, useContext } from 'react'
import type { Me } from '../../shared/auth.ts'

/** Provided by `RequireAuth`, which renders its children only while someone is signed in. */
export const SignedInUserContext = createContext<Me | null>(null)

export function useSignedInUser(): Me {
  const me = useContext(SignedInUserContext)
  if (!me) throw new Error('useSignedInUser() is only available inside <RequireAuth>')
  return me
}
