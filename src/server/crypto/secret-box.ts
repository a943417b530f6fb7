/**
 * Secret box: seals the secrets of users' MCP servers (bearer tokens, header values, OAuth tokens
 * and client secrets) for storage at rest.
 *
 * Envelope format (one ASCII string, safe in a text column):
 *
 *     v1.<keyId>.<iv>.<ciphertext+tag>
 *
 * - `v1`: format version. Everything below is fixed for v1; a new scheme gets a new prefix.
 * - `keyId`: 16 lowercase hex chars, the first 8 bytes of HMAC-SHA256(master key, KEY_ID_LABEL).
 *   It names the master key without revealing it, so a keyring can hold old keys during rotation.
 * - `iv`: 12 random bytes, base64url without padding (NIST SP 800-38D §8.2.2: random 96-bit IVs).
 * - `ciphertext+tag`: AES-256-GCM output followed by its 16-byte tag, base64url without padding.
 *
 * The AES key is not the master key: it is derived per owner with HKDF-SHA256 (RFC 5869), salt
 * HKDF_SALT and info `<HKDF_INFO_PREFIX>/user:<ownerId>` (or `<HKDF_INFO_PREFIX>/operator` for
 * config secrets, owner `null`). The owner is bound a second time as AAD,
 * `v1.<keyId>.user:<ownerId>` (or `v1.<keyId>.operator`), so an envelope copied to another
 * user's row fails to open even if key derivation ever changes; the AAD also authenticates the
 * version and key id.
 *
 * @module
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto'

const VERSION = 'v1'
const KEY_BYTES = 32
const IV_BYTES = 12
const TAG_BYTES = 16
const KEY_ID_LABEL = 'switchboard/secret-box/key-id/v1'
const HKDF_SALT = 'switchboard/secret-box/hkdf-salt/v1'
const HKDF_INFO_PREFIX = 'switchboard/secret-box/v1'
// node:crypto caps HKDF info at 1024 bytes; ids are UUID-sized, so this leaves ample room.
const MAX_OWNER_ID_BYTES = 512
const MAX_CACHED_KEYS = 1024
const KEY_ID_PATTERN = /^[0-9a-f]{16}$/
const B64URL_PATTERN = /^[A-Za-z0-9_-]+$/

export type SecretBoxErrorCode =
  | 'invalid_key'
  | 'invalid_owner'
  | 'malformed_envelope'
  | 'unknown_key'
  | 'open_failed'
  | 'invalid_payload'

/** Raised by the secret box. Messages never contain plaintext or key material. */
export class SecretBoxError extends Error {
  override readonly name = 'SecretBoxError'
  readonly code: SecretBoxErrorCode

  constructor(code: SecretBoxErrorCode, message: string) {
    super(message)
    this.code = code
  }
}

/** Master keys of a keyring: `current` seals, `current` and `previous` open. */
export interface SecretBoxKeys {
  current: Buffer
  previous?: readonly Buffer[]
}

/** Anything with zod's `parse` shape, so `openJson` can validate without importing zod here. */
export interface JsonParser<T> {
  parse(value: unknown): T
}

/**
 * Seals and opens secrets for one owner (`string` user id, or `null` for operator/config secrets).
 * An envelope opens only with the same owner it was sealed for.
 */
export interface SecretBox {
  /** Key id of the current master key; new envelopes carry it. */
  readonly keyId: string
  /** Encrypts `plaintext` under the current key with a fresh IV. */
  seal(ownerId: string | null, plaintext: string): string
  /**
   * Decrypts an envelope sealed for `ownerId` under any key of the ring. Throws `SecretBoxError`
   * (`malformed_envelope`, `unknown_key`, `open_failed`) when it cannot.
   */
  open(ownerId: string | null, envelope: string): string
  /** True when the envelope was sealed under a key other than the current one. */
  needsRotation(envelope: string): boolean
  /** `seal` of `JSON.stringify(value)`; for objects such as header maps. */
  sealJson(ownerId: string | null, value: unknown): string
  /** `open`, then `JSON.parse`, then `parser.parse` when given (a zod schema fits). */
  openJson(ownerId: string | null, envelope: string): unknown
  openJson<T>(ownerId: string | null, envelope: string, parser: JsonParser<T>): T
}

interface ParsedEnvelope {
  keyId: string
  iv: Buffer
  ciphertext: Buffer
  tag: Buffer
}

/**
 * Builds a keyring-backed secret box. Keys must be 32 bytes; `previous` keys only open, so a
 * rotation is: new key as `current`, old key in `previous`, reseal rows where `needsRotation`.
 */
export function createSecretBox(keys: SecretBoxKeys): SecretBox {
  const ring = buildKeyring(keys)
  const current = keyIdOf(keys.current)
  const derive = createKeyCache(ring)

  const seal = (ownerId: string | null, plaintext: string): string => {
    if (typeof plaintext !== 'string') {
      throw new SecretBoxError('invalid_payload', 'only strings can be sealed; use sealJson')
    }
    const context = ownerContext(ownerId)
    const iv = randomBytes(IV_BYTES)
    const cipher = createCipheriv('aes-256-gcm', derive(current, context), iv)
    cipher.setAAD(additionalData(current, context))
    const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
    const body = Buffer.concat([sealed, cipher.getAuthTag()])
    return [VERSION, current, iv.toString('base64url'), body.toString('base64url')].join('.')
  }

  const open = (ownerId: string | null, envelope: string): string => {
    const context = ownerContext(ownerId)
    const parsed = parseEnvelope(envelope)
    if (!ring.has(parsed.keyId)) {
      throw new SecretBoxError(
        'unknown_key',
        `secret was sealed with key ${parsed.keyId}, which is not in the keyring; ` +
          'add that master key to the previous keys to open it',
      )
    }
    return decrypt(derive(parsed.keyId, context), parsed, additionalData(parsed.keyId, context))
  }

  function openJson(ownerId: string | null, envelope: string): unknown
  function openJson<T>(ownerId: string | null, envelope: string, parser: JsonParser<T>): T
  function openJson<T>(ownerId: string | null, envelope: string, parser?: JsonParser<T>) {
    const value = parseJsonSecret(open(ownerId, envelope))
    if (!parser) return value
    try {
      return parser.parse(value)
    } catch {
      // No `cause`: a validation error may quote the secret value it rejected.
      throw new SecretBoxError('invalid_payload', 'sealed JSON does not have the expected shape')
    }
  }

  return {
    keyId: current,
    seal,
    open,
    openJson,
    needsRotation: (envelope) => parseEnvelope(envelope).keyId !== current,
    sealJson: (ownerId, value) => seal(ownerId, stringifyJsonSecret(value)),
  }
}

/**
 * Parses `SWITCHBOARD_SECRET_KEY`: 32 bytes as base64 (standard or url-safe, padding optional)
 * or as 64 hex chars. Surrounding whitespace is ignored. Throws `SecretBoxError('invalid_key')`
 * whose message never echoes the input.
 */
export function parseMasterKey(text: string): Buffer {
  const trimmed = text.trim()
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex')
  const unpadded = trimmed
    .replace(/={1,2}$/, '')
    .replaceAll('+', '-')
    .replaceAll('/', '_')
  if (B64URL_PATTERN.test(unpadded)) {
    const key = Buffer.from(unpadded, 'base64url')
    if (key.length === KEY_BYTES && key.toString('base64url') === unpadded) return key
  }
  throw new SecretBoxError(
    'invalid_key',
    'the master key must be 32 random bytes written as base64 (44 chars) or hex (64 chars); ' +
      'generate one with `openssl rand -base64 32`',
  )
}

/** A fresh random 32-byte master key, base64-encoded (what `parseMasterKey` accepts). */
export function generateMasterKey(): string {
  return randomBytes(KEY_BYTES).toString('base64')
}

function keyIdOf(master: Buffer): string {
  return createHmac('sha256', master).update(KEY_ID_LABEL).digest().subarray(0, 8).toString('hex')
}

function buildKeyring(keys: SecretBoxKeys): Map<string, Buffer> {
  const ring = new Map<string, Buffer>()
  for (const key of [keys.current, ...(keys.previous ?? [])]) {
    if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
      throw new SecretBoxError('invalid_key', `master keys must be ${KEY_BYTES}-byte Buffers`)
    }
    const id = keyIdOf(key)
    const known = ring.get(id)
    // A 64-bit id collision between distinct keys is astronomically unlikely, but opening with
    // the wrong one would look like tampering, so refuse the keyring instead.
    if (known && !known.equals(key)) {
      throw new SecretBoxError('invalid_key', `two different master keys share key id ${id}`)
    }
    ring.set(id, Buffer.from(key))
  }
  return ring
}

/**
 * Returns `derive(keyId, context)`, memoizing HKDF results in a bounded map: the hot path opens
 * secrets on every tool call, and evicting the oldest entry keeps memory flat with many users.
 */
function createKeyCache(ring: Map<string, Buffer>) {
  const cache = new Map<string, Buffer>()
  return (keyId: string, context: string): Buffer => {
    const cacheKey = `${keyId}\0${context}`
    const hit = cache.get(cacheKey)
    if (hit) {
      cache.delete(cacheKey)
      cache.set(cacheKey, hit)
      return hit
    }
    const master = ring.get(keyId)!
    const info = `${HKDF_INFO_PREFIX}/${context}`
    const key = Buffer.from(hkdfSync('sha256', master, HKDF_SALT, info, KEY_BYTES))
    if (cache.size >= MAX_CACHED_KEYS) cache.delete(cache.keys().next().value!)
    cache.set(cacheKey, key)
    return key
  }
}

/** `user:<id>` or `operator`: distinct labels, so no user id can collide with config secrets. */
function ownerContext(ownerId: string | null): string {
  if (ownerId === null) return 'operator'
  if (typeof ownerId !== 'string' || ownerId.length === 0) {
    throw new SecretBoxError('invalid_owner', 'owner id must be a non-empty string or null')
  }
  if (Buffer.byteLength(ownerId) > MAX_OWNER_ID_BYTES) {
    throw new SecretBoxError('invalid_owner', `owner id is longer than ${MAX_OWNER_ID_BYTES} bytes`)
  }
  return `user:${ownerId}`
}

function additionalData(keyId: string, context: string): Buffer {
  return Buffer.from(`${VERSION}.${keyId}.${context}`, 'utf8')
}

function parseEnvelope(envelope: string): ParsedEnvelope {
  const parts = typeof envelope === 'string' ? envelope.split('.') : []
  const [version, keyId, ivText, bodyText] = parts
  const malformed = (why: string) =>
    new SecretBoxError('malformed_envelope', `secret envelope is malformed: ${why}`)
  if (parts.length !== 4 || version !== VERSION) throw malformed('expected v1.<keyId>.<iv>.<data>')
  if (!KEY_ID_PATTERN.test(keyId!)) throw malformed('bad key id')
  const iv = decodeCanonical(ivText!)
  const body = decodeCanonical(bodyText!)
  if (!iv || iv.length !== IV_BYTES) throw malformed('bad IV')
  if (!body || body.length < TAG_BYTES) throw malformed('bad ciphertext')
  return {
    keyId: keyId!,
    iv,
    ciphertext: body.subarray(0, body.length - TAG_BYTES),
    tag: body.subarray(body.length - TAG_BYTES),
  }
}

/**
 * Node's base64 decoder skips invalid characters and ignores the unused low bits of the last
 * character, so two different strings can decode to the same bytes. Requiring the canonical
 * encoding makes every change to the envelope text fail, not just changes GCM can see.
 */
function decodeCanonical(text: string): Buffer | null {
  if (!B64URL_PATTERN.test(text)) return null
  const bytes = Buffer.from(text, 'base64url')
  return bytes.toString('base64url') === text ? bytes : null
}

function decrypt(key: Buffer, parsed: ParsedEnvelope, aad: Buffer): string {
  // authTagLength pins the tag size: without it Node accepts truncated tags (forgery risk).
  const decipher = createDecipheriv('aes-256-gcm', key, parsed.iv, { authTagLength: TAG_BYTES })
  decipher.setAAD(aad)
  decipher.setAuthTag(parsed.tag)
  try {
    const plain = Buffer.concat([decipher.update(parsed.ciphertext), decipher.final()])
    return plain.toString('utf8')
  } catch {
    throw new SecretBoxError(
      'open_failed',
      'secret could not be opened: it was altered, or it was sealed for a different owner',
    )
  }
}

function stringifyJsonSecret(value: unknown): string {
  let text: string | undefined
  try {
    text = JSON.stringify(value)
  } catch {
    text = undefined
  }
  if (text === undefined) {
    throw new SecretBoxError('invalid_payload', 'value cannot be represented as JSON')
  }
  return text
}

function parseJsonSecret(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    // No `cause`: V8's SyntaxError quotes the start of the text, i.e. the secret.
    throw new SecretBoxError('invalid_payload', 'sealed secret is not valid JSON')
  }
}
