/**
 * SEP-2243 (MCP 2026-07-28): a tool parameter marked `x-mcp-header: "<Name>"` is sent again as
 * the HTTP header `Mcp-Param-<Name>`, so gateways can route on it. A tool whose marks break the
 * rules cannot be called correctly, and clients must not offer it:
 * - the name is a non-empty HTTP token (RFC 9110 `tchar`: no spaces, colons, control or
 *   non-ASCII characters);
 * - it marks a property of type string, integer or boolean (a header carries one plain value);
 * - no two marks share a name, in any case;
 * - it sits only on properties reached through `properties` from the top of the input schema,
 *   never under `items`, `anyOf`/`oneOf`/`allOf`, `if`/`then`/`else`, `not`, `$defs` or others.
 */

const MARK = 'x-mcp-header'
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const PRIMITIVE_TYPES = new Set(['string', 'integer', 'boolean'])

/** Keywords whose values are schemas (or lists or maps of schemas), other than `properties`. */
const NESTED_SCHEMA_KEYWORDS = [
  'items',
  'prefixItems',
  'additionalItems',
  'contains',
  'additionalProperties',
  'patternProperties',
  'propertyNames',
  'dependentSchemas',
  'unevaluatedItems',
  'unevaluatedProperties',
  'anyOf',
  'oneOf',
  'allOf',
  'not',
  'if',
  'then',
  'else',
  '$defs',
  'definitions',
]

/** What is wrong with the schema's `x-mcp-header` marks, in words; null when nothing is. */
export function headerParameterProblem(inputSchema: Record<string, unknown>): string | null {
  const names = new Set<string>()
  const problems: string[] = []
  const visit = (node: unknown, property: string | null, reachable: boolean) => {
    if (!isObject(node)) return
    if (MARK in node) {
      const name = node[MARK]
      const where = property ? `"${property}"` : 'the schema itself'
      if (!reachable || property === null) {
        problems.push(`${MARK} on ${where} is not on a top-level path of properties`)
      } else if (typeof name !== 'string' || !TOKEN.test(name)) {
        problems.push(`${MARK} of "${property}" is not a valid header name`)
      } else if (typeof node.type !== 'string' || !PRIMITIVE_TYPES.has(node.type)) {
        problems.push(`${MARK} marks "${property}", which is not a string, integer or boolean`)
      } else if (names.has(name.toLowerCase())) {
        problems.push(`${MARK} "${name}" is used twice`)
      } else {
        names.add(name.toLowerCase())
      }
    }
    if (isObject(node.properties)) {
      for (const [key, child] of Object.entries(node.properties)) visit(child, key, reachable)
    }
    for (const keyword of NESTED_SCHEMA_KEYWORDS) {
      for (const child of schemasIn(node[keyword], keyword)) visit(child, null, false)
    }
  }
  visit(inputSchema, null, true)
  return problems[0] ?? null
}

function schemasIn(value: unknown, keyword: string): unknown[] {
  if (Array.isArray(value)) return value
  if (!isObject(value)) return []
  // Maps of schemas by name or pattern; the rest hold one schema.
  const maps = ['patternProperties', 'dependentSchemas', '$defs', 'definitions']
  return maps.includes(keyword) ? Object.values(value) : [value]
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
