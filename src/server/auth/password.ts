import { hash, verify } from '@node-rs/argon2'

// argon2id with OWASP's second recommended profile (19 MiB, t=2, p=1): strong, and fast
// enough (~20 ms here) that sign-in stays snappy on 2 cores.
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS)
}

export async function verifyPassword(input: { hash: string; password: string }): Promise<boolean> {
  try {
    return await verify(input.hash, input.password)
  } catch {
    // A malformed stored hash is a failed sign-in, not a crash.
    return false
  }
}
