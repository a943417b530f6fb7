/**
 * Tool definitions from MCP servers are untrusted JSON Schemas written for any draft. Models take
 * a narrower dialect: OpenAI (and OpenRouter, which passes functions on to many providers)
 * wants an object at the root and refuses or mishandles a good part of JSON Schema. This turns an
 * input schema into one every provider accepts, keeping what guides the model:
 *
 * - root: always `type: "object"` with `properties` (added when missing);
 * - kept: `type`, `properties`, `required` (only names that are properties), `items`, `enum`,
 *   `const`, `description`, `title`, `default`, `anyOf`, `oneOf`, `allOf`, `additionalProperties`,
 *   `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`, `multipleOf`, `minLength`,
 *   `maxLength`, `pattern`, `minItems`, `maxItems`, `uniqueItems`, `examples`, `nullable`;
 * - `format` only on strings, and only the formats OpenAI documents (date-time, date, time,
 *   duration, email, hostname, ipv4, ipv6, uuid);
 * - dropped: `$schema`, `$id`, `$comment`, `$anchor`, `$dynamic*`, `$vocabulary`, `definitions` /
 *   `$defs`, `if`/`then`/`else`, `not`, `dependentRequired`, `dependentSchemas`, `dependencies`,
 *   `patternProperties`, `propertyNames`, `unevaluated*`, `contains`, `prefixItems`,
 *   `content*`, `readOnly`, `writeOnly`, `deprecated` and any vendor keyword (`x-…`);
 * - local `$ref`s (`#/$defs/…`, `#/definitions/…`) are inlined; a recursive or unresolvable
 *   reference becomes `{}` (any value), as does anything nested deeper than 24 levels;
 * - boolean schemas: `true` becomes `{}`, a `false` property is dropped;
 * - descriptions lose control characters and are capped.
 *
 * The arguments are still validated against the tool's real schema by the tool-call service
 * before anything is sent upstream, so loosening here never lets a bad call through.
 */

import { sanitizeText } from '../untrusted-text.ts'

const MAX_DEPTH = 24
const DESCRIPTION_MAX = 1_000
const OPENAI_FORMATS = new Set([
  'date-time',
  'date',
  'time',
  'duration',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'uuid',
])
const SCALAR_KEYWORDS = [
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'uniqueItems',
  'nullable',
] as const
const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'])

type Schema = Record<string, unknown>

/** A provider-safe copy of a tool's input schema (see the module comment for the rules). */
export function toProviderSchema(input: unknown): Schema {
  const root = isObject(input) ? input : {}
  const defs = { ...asObject(root.definitions), ...asObject(root.$defs) }
  const out = clean(root, { defs, depth: 0, resolving: new Set() })
  out.type = 'object'
  if (!isObject(out.properties)) out.properties = {}
  for (const key of ['anyOf', 'oneOf', 'allOf', 'enum', 'const', 'items']) delete out[key]
  return out
}

interface Context {
  defs: Schema
  depth: number
  resolving: Set<string>
}

function clean(schema: unknown, ctx: Context): Schema {
  if (schema === true || !isObject(schema) || ctx.depth > MAX_DEPTH) return {}
  if (typeof schema.$ref === 'string') return resolveRef(schema, ctx)
  const out: Schema = {}
  const next = { ...ctx, depth: ctx.depth + 1 }

  const type = cleanType(schema.type)
  if (type !== undefined) out.type = type
  if (typeof schema.title === 'string') out.title = sanitizeText(schema.title, { maxChars: 200 })
  if (typeof schema.description === 'string') {
    out.description = sanitizeText(schema.description, {
      maxChars: DESCRIPTION_MAX,
      multiline: true,
    })
  }
  if (Array.isArray(schema.enum) && schema.enum.length > 0) out.enum = schema.enum.slice(0, 500)
  if ('const' in schema) out.const = schema.const
  if ('default' in schema) out.default = schema.default
  if (Array.isArray(schema.examples)) out.examples = schema.examples.slice(0, 5)
  if (typeof schema.pattern === 'string') out.pattern = schema.pattern
  if (typeof schema.format === 'string' && isString(type) && OPENAI_FORMATS.has(schema.format)) {
    out.format = schema.format
  }
  for (const key of SCALAR_KEYWORDS) {
    if (typeof schema[key] === 'number' || typeof schema[key] === 'boolean') out[key] = schema[key]
  }

  if (isObject(schema.properties)) {
    const properties: Schema = {}
    for (const [name, property] of Object.entries(schema.properties)) {
      if (property === false) continue
      properties[name] = clean(property, next)
    }
    out.properties = properties
    if (Array.isArray(schema.required)) {
      const required = schema.required.filter(
        (name): name is string => typeof name === 'string' && name in properties,
      )
      if (required.length > 0) out.required = [...new Set(required)]
    }
  }
  if (typeof schema.additionalProperties === 'boolean') {
    out.additionalProperties = schema.additionalProperties
  } else if (isObject(schema.additionalProperties)) {
    out.additionalProperties = clean(schema.additionalProperties, next)
  }
  if (schema.items !== undefined && !Array.isArray(schema.items)) {
    out.items = clean(schema.items, next)
  } else if (Array.isArray(schema.items) || Array.isArray(schema.prefixItems)) {
    // Tuples: providers do not take them; any item of the listed kinds is the closest.
    const tuple = (Array.isArray(schema.items) ? schema.items : schema.prefixItems) as unknown[]
    out.items = tuple.length > 0 ? { anyOf: tuple.map((item) => clean(item, next)) } : {}
  }
  if (out.type === 'array' && out.items === undefined) out.items = {}
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const list = schema[key]
    if (Array.isArray(list) && list.length > 0) out[key] = list.map((item) => clean(item, next))
  }
  return out
}

function resolveRef(schema: Schema, ctx: Context): Schema {
  const ref = schema.$ref as string
  const match = /^#\/(?:\$defs|definitions)\/(.+)$/.exec(ref)
  const name = match?.[1]?.replace(/~1/g, '/').replace(/~0/g, '~')
  const target = name === undefined ? undefined : ctx.defs[name]
  if (name === undefined || target === undefined || ctx.resolving.has(name)) {
    return typeof schema.description === 'string'
      ? {
          description: sanitizeText(schema.description, {
            maxChars: DESCRIPTION_MAX,
            multiline: true,
          }),
        }
      : {}
  }
  const resolving = new Set(ctx.resolving).add(name)
  const resolved = clean(target, { ...ctx, resolving, depth: ctx.depth + 1 })
  // Keywords beside $ref (2019-09+) refine it: a local description wins.
  if (typeof schema.description === 'string') {
    resolved.description = sanitizeText(schema.description, {
      maxChars: DESCRIPTION_MAX,
      multiline: true,
    })
  }
  return resolved
}

function cleanType(type: unknown): string | string[] | undefined {
  if (typeof type === 'string') return TYPES.has(type) ? type : undefined
  if (!Array.isArray(type)) return undefined
  const types = type.filter((t): t is string => typeof t === 'string' && TYPES.has(t))
  if (types.length === 0) return undefined
  return types.length === 1 ? types[0] : [...new Set(types)]
}

function isString(type: string | string[] | undefined): boolean {
  return type === 'string' || (Array.isArray(type) && type.includes('string'))
}

function isObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function asObject(value: unknown): Schema {
  return isObject(value) ? value : {}
}
