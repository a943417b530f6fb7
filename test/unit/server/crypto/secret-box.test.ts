import { createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  createSecretBox,
  generateMasterKey,
  parseMasterKey,
  SecretBoxError,
} from '../../../../src/server/crypto/secret-box.ts'

const ENVELOPE_PATTERN = /^v1\.[0-9a-f]{16}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/
const B64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const SECRET = 'sk-live-super-secret-token-1234567890'

function newKey(): Buffer {
  return randomBytes(32)
}

/** Runs `fn`, expects a SecretBoxError, and returns it for further checks. */
function catchBoxError(fn: () => unknown): SecretBoxError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(SecretBoxError)
    return error as SecretBoxError
  }
  throw new Error('expected a SecretBoxError')
}

/** Every string that differs from `text` in the character at `index` (any base64url char or `.`). */
function variantsAt(text: string, index: number): string[] {
  return [...`${B64URL_ALPHABET}.`]
    .filter((char) => char !== text[index])
    .map((char) => text.slice(0, index) + char + text.slice(index + 1))
}

describe('createSecretBox', () => {
  it('round-trips strings for users and for the operator', () => {
    const box = createSecretBox({ current: newKey() })
    for (const plaintext of [SECRET, '', 'ünïcødé 🔑 秘密', 'x'.repeat(100_000)]) {
      expect(box.open('user-1', box.seal('user-1', plaintext))).toBe(plaintext)
      expect(box.open(null, box.seal(null, plaintext))).toBe(plaintext)
    }
  })

  it('writes the documented compact format carrying the current key id', () => {
    const box = createSecretBox({ current: newKey() })
    const envelope = box.seal('user-1', SECRET)
    expect(envelope).toMatch(ENVELOPE_PATTERN)
    expect(envelope.split('.')[1]).toBe(box.keyId)
  })

  it('derives per-owner keys with HKDF-SHA256 and binds the owner as AAD, as documented', () => {
    const master = newKey()
    const box = createSecretBox({ current: master })
    const [, keyId, ivText, bodyText] = box.seal('user-42', SECRET).split('.')
    const expectedKeyId = createHmac('sha256', master)
      .update('switchboard/secret-box/key-id/v1')
      .digest()
      .subarray(0, 8)
      .toString('hex')
    expect(keyId).toBe(expectedKeyId)

    const info = 'switchboard/secret-box/v1/user:user-42'
    const key = Buffer.from(
      hkdfSync('sha256', master, 'switchboard/secret-box/hkdf-salt/v1', info, 32),
    )
    const body = Buffer.from(bodyText!, 'base64url')
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(ivText!, 'base64url'))
    decipher.setAAD(Buffer.from(`v1.${keyId}.user:user-42`))
    decipher.setAuthTag(body.subarray(-16))
    const plain = Buffer.concat([decipher.update(body.subarray(0, -16)), decipher.final()])
    expect(plain.toString('utf8')).toBe(SECRET)
  })

  it('uses a fresh random IV for every seal', () => {
    const box = createSecretBox({ current: newKey() })
    const envelopes = Array.from({ length: 200 }, () => box.seal('user-1', SECRET))
    const ivs = envelopes.map((envelope) => envelope.split('.')[2])
    expect(new Set(ivs).size).toBe(envelopes.length)
    expect(new Set(envelopes).size).toBe(envelopes.length)
  })

  it('refuses an envelope with any single character changed to any other', () => {
    const box = createSecretBox({ current: newKey() })
    // 28 bytes of ciphertext+tag leave 4 spare bits in the last char: a lax decoder would
    // accept some of these variants as the same bytes.
    const envelope = box.seal('user-1', 'short secret')
    for (let index = 0; index < envelope.length; index += 1) {
      for (const tampered of variantsAt(envelope, index)) {
        catchBoxError(() => box.open('user-1', tampered))
      }
    }
  })

  it('refuses an envelope with any bit of the IV, ciphertext or tag flipped', () => {
    const box = createSecretBox({ current: newKey() })
    const [version, keyId, ivText, bodyText] = box.seal('user-1', SECRET).split('.')
    const fields = [Buffer.from(ivText!, 'base64url'), Buffer.from(bodyText!, 'base64url')]
    for (const [field, bytes] of fields.entries()) {
      for (let bit = 0; bit < bytes.length * 8; bit += 1) {
        const flipped = Buffer.from(bytes)
        flipped[bit >> 3]! ^= 1 << (bit & 7)
        const parts = [version, keyId, ivText, bodyText]
        parts[field + 2] = flipped.toString('base64url')
        const error = catchBoxError(() => box.open('user-1', parts.join('.')))
        expect(error.code).toBe('open_failed')
      }
    }
  })

  it('refuses truncated, extended and malformed envelopes with a clear code', () => {
    const box = createSecretBox({ current: newKey() })
    const envelope = box.seal('user-1', SECRET)
    const [, keyId, ivText] = envelope.split('.')
    const cases = [
      '',
      'garbage',
      envelope.slice(0, -1),
      `${envelope}A`,
      `${envelope}.extra`,
      envelope.replace(/^v1/, 'v2'),
      `v1.${keyId}.${ivText}.`,
      `v1.${keyId}.${ivText}.AAAA`,
      `v1.${keyId}.AAAA.${'A'.repeat(40)}`,
      `v1.${keyId!.toUpperCase()}.${envelope.split('.').slice(2).join('.')}`,
      `v1.${keyId}.${ivText}.${'A'.repeat(30)}==`,
    ]
    for (const candidate of cases) {
      const error = catchBoxError(() => box.open('user-1', candidate))
      expect(['malformed_envelope', 'open_failed']).toContain(error.code)
    }
    expect(catchBoxError(() => box.open('user-1', 'garbage')).message).toMatch(/malformed/)
  })

  it('refuses to open an envelope for a different owner', () => {
    const box = createSecretBox({ current: newKey() })
    const forAlice = box.seal('alice', SECRET)
    const forOperator = box.seal(null, SECRET)
    for (const [owner, envelope] of [
      ['bob', forAlice],
      [null, forAlice],
      ['alice', forOperator],
      ['operator', forOperator],
      ['Alice', forAlice],
    ] as const) {
      const error = catchBoxError(() => box.open(owner, envelope))
      expect(error.code).toBe('open_failed')
      expect(error.message).toMatch(/different owner/)
    }
  })

  it('refuses empty and oversized owner ids', () => {
    const box = createSecretBox({ current: newKey() })
    expect(catchBoxError(() => box.seal('', SECRET)).code).toBe('invalid_owner')
    expect(catchBoxError(() => box.seal('u'.repeat(600), SECRET)).code).toBe('invalid_owner')
  })

  it('keeps working for many owners while the derived-key cache evicts', () => {
    const box = createSecretBox({ current: newKey() })
    const owners = Array.from({ length: 3000 }, (_, index) => `user-${index}`)
    const envelopes = owners.map((owner) => box.seal(owner, `${SECRET}-${owner}`))
    owners.forEach((owner, index) => {
      expect(box.open(owner, envelopes[index]!)).toBe(`${SECRET}-${owner}`)
    })
  })
})

describe('key rotation', () => {
  it('opens envelopes sealed under a previous key and reports they need rotation', () => {
    const keyA = newKey()
    const keyB = newKey()
    const boxA = createSecretBox({ current: keyA })
    const boxB = createSecretBox({ current: keyB, previous: [keyA] })
    const old = boxA.seal('user-1', SECRET)

    expect(boxB.keyId).not.toBe(boxA.keyId)
    expect(boxB.open('user-1', old)).toBe(SECRET)
    expect(boxB.needsRotation(old)).toBe(true)

    const resealed = boxB.seal('user-1', boxB.open('user-1', old))
    expect(resealed.split('.')[1]).toBe(boxB.keyId)
    expect(boxB.needsRotation(resealed)).toBe(false)
    expect(boxB.open('user-1', resealed)).toBe(SECRET)
    expect(catchBoxError(() => boxA.open('user-1', resealed)).code).toBe('unknown_key')
  })

  it('names the unknown key id, never the key, when the key is missing from the ring', () => {
    const keyA = newKey()
    const boxA = createSecretBox({ current: keyA })
    const boxB = createSecretBox({ current: newKey() })
    const error = catchBoxError(() => boxB.open('user-1', boxA.seal('user-1', SECRET)))
    expect(error.code).toBe('unknown_key')
    expect(error.message).toContain(boxA.keyId)
    expect(error.message).toMatch(/previous keys/)
    for (const encoding of ['hex', 'base64', 'base64url'] as const) {
      expect(error.message).not.toContain(keyA.toString(encoding))
    }
  })

  it('gives each master key a short stable id that does not reveal it', () => {
    const key = newKey()
    const first = createSecretBox({ current: key })
    const second = createSecretBox({ current: Buffer.from(key), previous: [key] })
    expect(first.keyId).toMatch(/^[0-9a-f]{16}$/)
    expect(second.keyId).toBe(first.keyId)
    expect(createSecretBox({ current: newKey() }).keyId).not.toBe(first.keyId)
    expect(key.toString('hex')).not.toContain(first.keyId)
  })

  it('is not affected when the caller later overwrites the key buffer', () => {
    const key = newKey()
    const box = createSecretBox({ current: key })
    const envelope = box.seal('user-1', SECRET)
    key.fill(0)
    expect(box.open('user-1', envelope)).toBe(SECRET)
  })

  it('refuses master keys that are not 32 bytes', () => {
    for (const key of [Buffer.alloc(0), randomBytes(16), randomBytes(31), randomBytes(33)]) {
      expect(catchBoxError(() => createSecretBox({ current: key })).code).toBe('invalid_key')
    }
    const error = catchBoxError(() =>
      createSecretBox({ current: newKey(), previous: [randomBytes(8)] }),
    )
    expect(error.code).toBe('invalid_key')
  })

  it('throws on malformed envelopes in needsRotation', () => {
    const box = createSecretBox({ current: newKey() })
    expect(catchBoxError(() => box.needsRotation('v1.nope')).code).toBe('malformed_envelope')
  })
})

describe('JSON helpers', () => {
  const headers = { Authorization: `Bearer ${SECRET}`, 'X-Api-Key': 'k-123' }

  it('round-trips objects such as header maps', () => {
    const box = createSecretBox({ current: newKey() })
    const envelope = box.sealJson('user-1', headers)
    expect(envelope).toMatch(ENVELOPE_PATTERN)
    expect(box.openJson('user-1', envelope)).toEqual(headers)
  })

  it('validates with a parser (zod schemas fit) and hides the value on failure', () => {
    const box = createSecretBox({ current: newKey() })
    const envelope = box.sealJson('user-1', headers)
    const asRecord = {
      parse(value: unknown): Record<string, string> {
        if (typeof value !== 'object' || value === null) throw new Error(`bad ${String(value)}`)
        return value as Record<string, string>
      },
    }
    expect(box.openJson('user-1', envelope, asRecord)).toEqual(headers)

    const rejecting = {
      parse(value: unknown): never {
        throw new Error(`rejected ${JSON.stringify(value)}`)
      },
    }
    const error = catchBoxError(() => box.openJson('user-1', envelope, rejecting))
    expect(error.code).toBe('invalid_payload')
    expect(error.message).not.toContain(SECRET)
    expect(error.cause).toBeUndefined()
  })

  it('reports a sealed non-JSON string without quoting it', () => {
    const box = createSecretBox({ current: newKey() })
    const error = catchBoxError(() => box.openJson('user-1', box.seal('user-1', SECRET)))
    expect(error.code).toBe('invalid_payload')
    expect(error.message).not.toContain(SECRET.slice(0, 6))
    expect(error.cause).toBeUndefined()
  })

  it('refuses values JSON cannot represent', () => {
    const box = createSecretBox({ current: newKey() })
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    for (const value of [undefined, () => 1, cyclic, 1n]) {
      expect(catchBoxError(() => box.sealJson('user-1', value)).code).toBe('invalid_payload')
    }
  })
})

describe('secrecy', () => {
  it('never shows the plaintext in envelopes or error messages', () => {
    const key = newKey()
    const box = createSecretBox({ current: key })
    const envelope = box.seal('user-1', SECRET)
    const plainForms = [SECRET, Buffer.from(SECRET).toString('base64url')]
    for (const form of plainForms) expect(envelope).not.toContain(form)

    const failures = [
      () => box.open('user-2', envelope),
      () => box.open('user-1', variantsAt(envelope, envelope.length - 3)[0]!),
      () => box.open('user-1', `${envelope}${SECRET}`),
      () => box.open('user-1', `v1.0000000000000000.${envelope.split('.').slice(2).join('.')}`),
      () => box.openJson('user-1', envelope),
      () => createSecretBox({ current: newKey() }).open('user-1', envelope),
    ]
    const keyForms = [key.toString('hex'), key.toString('base64'), key.toString('base64url')]
    for (const fail of failures) {
      const error = catchBoxError(fail)
      for (const form of [...plainForms, ...keyForms]) {
        expect(error.message).not.toContain(form)
        expect(String(error.stack)).not.toContain(form)
      }
    }
  })
})

describe('parseMasterKey', () => {
  const key = randomBytes(32)

  it('accepts 32 bytes as base64 (standard or url-safe, padded or not) and hex', () => {
    const forms = [
      key.toString('base64'),
      key.toString('base64').replace(/=+$/, ''),
      key.toString('base64url'),
      key.toString('hex'),
      key.toString('hex').toUpperCase(),
      `  ${key.toString('base64')}\n`,
    ]
    for (const form of forms) expect(parseMasterKey(form).equals(key)).toBe(true)
  })

  it('accepts what generateMasterKey produces, and generates distinct keys', () => {
    const first = generateMasterKey()
    const second = generateMasterKey()
    expect(first).not.toBe(second)
    expect(parseMasterKey(first)).toHaveLength(32)
    expect(createSecretBox({ current: parseMasterKey(first) }).keyId).toMatch(/^[0-9a-f]{16}$/)
  })

  it('refuses anything else with a clear message that does not echo the input', () => {
    const bad = [
      '',
      '   ',
      'correct horse battery staple',
      randomBytes(16).toString('base64'),
      randomBytes(33).toString('base64'),
      randomBytes(31).toString('hex'),
      `${key.toString('hex')}00`,
      key.toString('hex').slice(0, -1),
      `${key.toString('base64')}!`,
      key.toString('base64').replace(/.$/, '*'),
      'x'.repeat(32),
    ]
    for (const text of bad) {
      const error = catchBoxError(() => parseMasterKey(text))
      expect(error.code).toBe('invalid_key')
      expect(error.message).toMatch(/32 random bytes.*base64.*hex/)
      if (text.trim()) expect(error.message).not.toContain(text.trim())
    }
  })

  it('refuses a base64 key whose last character carries stray bits', () => {
    const canonical = key.toString('base64')
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
    const index = alphabet.indexOf(canonical.at(-2)!)
    // 32 bytes fill 43 base64 chars with 2 bits to spare: flip only those spare bits.
    const stray = alphabet[(index & ~3) | ((index + 1) & 3)]!
    const variant = `${canonical.slice(0, -2)}${stray}=`
    expect(Buffer.from(variant, 'base64').equals(key)).toBe(true)
    expect(catchBoxError(() => parseMasterKey(variant)).code).toBe('invalid_key')
  })
})
