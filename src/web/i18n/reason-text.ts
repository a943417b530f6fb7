import type { TFunction } from 'i18next'
import type { ErrorReason } from '../../shared/error-reasons.ts'

/**
 * What the server said, in the reader's language: its reason (`errors.reasons.<key>` filled with
 * the parameters), or `fallback` (the server's English message) when there is no reason or this
 * UI does not know its key (a newer server).
 */
export function reasonText(
  // TFunction, not the hook's `t` type, which is too deep for the compiler with this many keys.
  t: TFunction,
  reason: ErrorReason | null | undefined,
  fallback: string,
): string {
  if (!reason) return fallback
  return t(`errors.reasons.${reason.key}`, { ...reason.params, defaultValue: fallback })
}
