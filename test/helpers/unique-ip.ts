import { randomBytes } from 'node:crypto'

/**
 * A documentation address (RFC 3849) no other test or run uses, to send as X-Forwarded-For to
 * an app with trustProxy. Sign-in limits count per address, and with TEST_REDIS_URL that count
 * is shared by every test file and every run for its whole window.
 */
export function uniqueIp(): string {
  const groups = randomBytes(12).toString('hex').match(/.{4}/g) ?? []
  return `2001:db8:${groups.join(':')}`
}
