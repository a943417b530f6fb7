/**
 * Turns a JSON Schema (a tool's input, a server's question) into a tree of form fields, and edits
 * values by path. Only what a form can show faithfully becomes a field; anything else (unions,
 * arrays of objects, maps, deep nesting) is a `json` field, edited as raw JSON, so no input is
 * ever out of reach.
 */

export type JsonObject = Record<string, unknown>
export type FieldPath = ReadonlyArray<string | number>

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Nested objects deeper than this are edited as JSON: a form that deep helps nobody. */
const MAX_DEPTH = 4
/** `$ref` chains longer than this are cycles or mistakes. */
const MAX_REFS = 8

export type PrimitiveNode =
  | { kind: 'string'; schema: JsonObject; format: string | undefined }
  | { kind: 'number'; schema: JsonObject; integer: boolean }
  | { kind: 'boolean'; schema: JsonObject }
  | EnumNode

/** A choice among fixed values; `labels[i]`, when given, is what option `i` is called. */
export interface EnumNode {
  kind: 'enum'
  schema: JsonObject
  options: readonly unknown[]
  labels?: ReadonlyArray<string | undefined>
}

export type FormNode =
  | PrimitiveNode
  | { kind: 'array'; schema: JsonObject; item: PrimitiveNode }
  /** A set of choices (an array of enum values), shown as checkboxes. */
  | { kind: 'choices'; schema: JsonObject; item: EnumNode }
  | { kind: 'object'; schema: JsonObject; fields: readonly FormField[] }
  | { kind: 'json'; schema: JsonObject }

export interface FormField {
  name: string
  required: boolean
  node: FormNode
}

export type ObjectNode = Extract<FormNode, { kind: 'object' }>

export interface FormOptions {
  /**
   * Arrays of enum values become `choices` (checkboxes) instead of ordered lists. Right for MCP
   * elicitation's multi-select enums, which are sets; a tool's array may repeat or order values.
   */
  choices?: boolean
}

interface Build {
  root: JsonObject
  choices: boolean
}

/** Follows local `$ref`s and drops the `null` branch of "X or null", keeping outer annotations. */
function resolve(schema: unknown, root: JsonObject, refs = 0): JsonObject {
  if (!isObject(schema)) return {}
  const { $ref, ...rest } = schema
  if (typeof $ref === 'string' && $ref.startsWith('#') && refs < MAX_REFS) {
    return { ...resolve(pointer(root, $ref), root, refs + 1), ...rest }
  }
  for (const key of ['anyOf', 'oneOf'] as const) {
    const branches = rest[key]
    if (!Array.isArray(branches)) continue
    const real = branches.filter((branch) => !(isObject(branch) && branch.type === 'null'))
    if (real.length === 1) {
      const { [key]: _union, ...outer } = rest
      return { ...resolve(real[0], root, refs + 1), ...outer }
    }
  }
  const allOf = rest.allOf
  if (Array.isArray(allOf) && allOf.length === 1) {
    const { allOf: _all, ...outer } = rest
    return { ...resolve(allOf[0], root, refs + 1), ...outer }
  }
  return rest
}

/** A JSON Pointer into the root schema (RFC 6901), e.g. `#/$defs/Point`. */
function pointer(root: JsonObject, ref: string): unknown {
  let target: unknown = root
  for (const raw of ref.slice(1).split('/').filter(Boolean)) {
    const part = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~')
    target = isObject(target) ? target[part] : undefined
  }
  return target
}

function singleType(schema: JsonObject): string | undefined {
  const type = schema.type
  if (typeof type === 'string') return type
  if (Array.isArray(type)) {
    const real = type.filter((t) => t !== 'null')
    return real.length === 1 && typeof real[0] === 'string' ? real[0] : undefined
  }
  return isObject(schema.properties) ? 'object' : undefined
}

/**
 * Titled options: `oneOf`/`anyOf` branches that are each a `const` (JSON Schema's way, used by
 * MCP elicitation), or the older `enumNames` beside `enum`.
 */
function enumNode(schema: JsonObject): EnumNode | null {
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    const names = schema.enumNames
    const labels =
      Array.isArray(names) && names.length === schema.enum.length
        ? names.map((name) => (typeof name === 'string' ? name : undefined))
        : undefined
    return { kind: 'enum', schema, options: schema.enum, labels }
  }
  for (const key of ['oneOf', 'anyOf'] as const) {
    const branches = schema[key]
    if (!Array.isArray(branches)) continue
    const real = branches.filter((branch) => !(isObject(branch) && branch.type === 'null'))
    if (real.length === 0 || !real.every((branch) => isObject(branch) && 'const' in branch)) {
      continue
    }
    const consts = real as JsonObject[]
    return {
      kind: 'enum',
      schema,
      options: consts.map((branch) => branch.const),
      labels: consts.map((branch) => (typeof branch.title === 'string' ? branch.title : undefined)),
    }
  }
  return null
}

function primitiveNode(schema: JsonObject): PrimitiveNode | null {
  const choice = enumNode(schema)
  if (choice) return choice
  if ('const' in schema) return { kind: 'enum', schema, options: [schema.const] }
  switch (singleType(schema)) {
    case 'string':
      return {
        kind: 'string',
        schema,
        format: typeof schema.format === 'string' ? schema.format : undefined,
      }
    case 'number':
    case 'integer':
      return { kind: 'number', schema, integer: singleType(schema) === 'integer' }
    case 'boolean':
      return { kind: 'boolean', schema }
    default:
      return null
  }
}

function nodeFor(raw: unknown, build: Build, depth: number): FormNode {
  const schema = resolve(raw, build.root)
  const primitive = primitiveNode(schema)
  if (primitive) return primitive
  const type = singleType(schema)
  if (type === 'array' && isObject(schema.items)) {
    const item = primitiveNode(resolve(schema.items, build.root))
    if (item?.kind === 'enum' && build.choices) return { kind: 'choices', schema, item }
    return item ? { kind: 'array', schema, item } : { kind: 'json', schema }
  }
  if (type === 'object' && isObject(schema.properties) && depth < MAX_DEPTH) {
    return { kind: 'object', schema, fields: fieldsOf(schema, build, depth + 1) }
  }
  return { kind: 'json', schema }
}

function fieldsOf(schema: JsonObject, build: Build, depth: number): FormField[] {
  const properties = isObject(schema.properties) ? schema.properties : {}
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : [])
  return Object.entries(properties).map(([name, child]) => ({
    name,
    required: required.has(name),
    node: nodeFor(child, build, depth),
  }))
}

/**
 * The form for a tool's input schema (or a question's schema), or null when the value as a whole
 * cannot be a form (not an object, or a map of free keys): then only the JSON editor is offered.
 */
export function formForSchema(
  inputSchema: JsonObject,
  options: FormOptions = {},
): ObjectNode | null {
  const build: Build = { root: inputSchema, choices: options.choices ?? false }
  const schema = resolve(inputSchema, inputSchema)
  if (singleType(schema) !== 'object' && !('properties' in schema)) return null
  if (!isObject(schema.properties)) {
    const free = schema.additionalProperties
    if (free === undefined || free === false) return { kind: 'object', schema, fields: [] }
    return null
  }
  return { kind: 'object', schema, fields: fieldsOf(schema, build, 1) }
}

const clone = <T>(value: T): T => structuredClone(value)

/**
 * The arguments a fresh form starts with: every default, `false` for required switches (what the
 * switch shows is what is sent), and required objects with their own defaults inside.
 */
export function initialValue(node: ObjectNode): JsonObject {
  const value: JsonObject = {}
  for (const { name, required, node: child } of node.fields) {
    if ('default' in child.schema) value[name] = clone(child.schema.default)
    else if (child.kind === 'boolean' && required) value[name] = false
    else if (child.kind === 'enum' && required && child.options.length === 1) {
      value[name] = clone(child.options[0])
    } else if (child.kind === 'object') {
      const inner = initialValue(child)
      if (required || Object.keys(inner).length > 0) value[name] = inner
    }
  }
  return value
}

export function getAt(value: unknown, path: FieldPath): unknown {
  let current = value
  for (const part of path) {
    if (Array.isArray(current) && typeof part === 'number') current = current[part]
    else if (isObject(current) && typeof part === 'string') current = current[part]
    else return undefined
  }
  return current
}

/**
 * A copy of `root` with the value at `path` replaced. `undefined` removes the key, and an object
 * left empty by a removal goes too: in this form, an empty field is a field not sent.
 */
export function setAt(root: JsonObject, path: FieldPath, next: unknown): JsonObject {
  return (setIn(root, path, next, 0) as JsonObject | undefined) ?? {}
}

function setIn(current: unknown, path: FieldPath, next: unknown, depth: number): unknown {
  const [head, ...rest] = path
  if (head === undefined) return next
  if (typeof head === 'number') {
    const list = Array.isArray(current) ? [...current] : []
    list[head] = setIn(list[head], rest, next, depth + 1)
    return list
  }
  const object: JsonObject = isObject(current) ? { ...current } : {}
  const value = setIn(object[head], rest, next, depth + 1)
  if (value === undefined) {
    delete object[head]
    return Object.keys(object).length === 0 && depth > 0 ? undefined : object
  }
  object[head] = value
  return object
}

export const pathKey = (path: FieldPath): string => path.join('.')

/**
 * A server's field name in the dotted form the form uses: `a.b.0` from `a.b.0`, `/a/b/0`
 * (JSON Pointer, as Ajv reports it), `a.b[0]` or `<body>.a.b.0`, where `body` is the request
 * field holding the form's value (`arguments` of a tool call, `content` of an answer).
 */
export function normalizeFieldPath(field: string, body = 'arguments'): string {
  return field
    .trim()
    .replace(new RegExp(`^/?${body}(?=$|[./[])`), '')
    .replace(/\[(\d+)\]/g, '.$1')
    .split('/')
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .join('.')
    .replace(/^\.+/, '')
}

/** Field errors keyed by normalized path; `body` as for `normalizeFieldPath`. */
export function normalizeFieldErrors(
  errors: Record<string, string>,
  body?: string,
): Record<string, string> {
  const normalized: Record<string, string> = {}
  for (const [field, message] of Object.entries(errors)) {
    normalized[normalizeFieldPath(field, body)] ??= message
  }
  return normalized
}

/** Errors for one field: its own, and for list and JSON fields those of anything inside it. */
export function errorsAt(
  errors: Record<string, string>,
  key: string,
  inside: boolean,
): Array<[string, string]> {
  return Object.entries(errors).filter(
    ([field]) => field === key || (inside && field.startsWith(`${key}.`)),
  )
}

/** The errors no field of the form shows (about the whole input, or unknown fields). */
export function unplacedErrors(
  node: ObjectNode,
  errors: Record<string, string>,
): Array<[string, string]> {
  const placed = new Set<string>()
  const walk = (object: ObjectNode, prefix: string) => {
    for (const { name, node: child } of object.fields) {
      const key = prefix ? `${prefix}.${name}` : name
      const inside = child.kind === 'array' || child.kind === 'choices' || child.kind === 'json'
      for (const [field] of errorsAt(errors, key, inside)) placed.add(field)
      if (child.kind === 'object') walk(child, key)
    }
  }
  walk(node, '')
  return Object.entries(errors).filter(([field]) => !placed.has(field))
}
