import { AsyncLocalStorage } from 'node:async_hooks'

/**
 * better-auth makes a password-reset token and hands it to `sendResetPassword` to mail. We have
 * no mail server: the admin copies the link instead. The token is caught here for the one call
 * that asked for it (AsyncLocalStorage keeps concurrent requests apart), so the token, its expiry
 * and its one-time use stay better-auth's own (`requestPasswordReset` / `resetPassword`).
 */
const pending = new AsyncLocalStorage<{ token?: string }>()

/** The `sendResetPassword` callback: keeps the token for the caller of `captureResetToken`. */
export async function keepResetToken(data: { token: string }): Promise<void> {
  const slot = pending.getStore()
  if (slot) slot.token = data.token
}

/** Runs `request` (a `requestPasswordReset` call) and returns the token it made, if any. */
export async function captureResetToken(request: () => Promise<unknown>): Promise<string | null> {
  const slot: { token?: string } = {}
  await pending.run(slot, request)
  return slot.token ?? null
}
