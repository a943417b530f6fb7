import type { ErrorObject, ValidateFunction } from 'ajv'
import type { FieldIssue } from '../../shared/errors.ts'
import { type Problem, problems } from '../field-issues.ts'
import { createSchemaCompiler } from '../json-schema.ts'

/** Compiled validators kept at most (one per distinct tool definition, keyed by its hash). */
const MAX_CACHED = 2_000

export interface ArgumentValidator {
  /**
   * The problems with `args` against the tool's input schema, in words a model can act on and
   * with reasons the UI translates.
   */
  check(tool: { schema_hash: string; input_schema: unknown }, args: unknown): FieldIssue[]
}

/**
 * Validates a call's arguments against the tool's input schema before anything goes upstream.
 * The schema was proven to compile when the tool was discovered; the compiled validator is
 * cached by the tool's definition hash, so a changed definition gets a fresh one.
 */
export function createArgumentValidator(): ArgumentValidator {
  const compile = createSchemaCompiler('validate')
  const cache = new Map<string, ValidateFunction>()
  return {
    check(tool, args) {
      let validate = cache.get(tool.schema_hash)
      if (!validate) {
        const schema = (tool.input_schema ?? { type: 'object' }) as Record<string, unknown>
        validate = compile(schema)
        if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string)
        cache.set(tool.schema_hash, validate)
      }
      if (validate(args)) return []
      return (validate.errors ?? []).slice(0, 20).map(describe)
    },
  }
}

/**
 * `{ field: 'items.0.name', message: 'must be text', reason }`: the missing or extra key is in
 * the field, not the words, so the UI can show the message under that field's input.
 */
function describe(error: ErrorObject): FieldIssue {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
  const params = error.params as Record<string, unknown>
  if (error.keyword === 'required') {
    return { field: [...path, String(params.missingProperty)].join('.'), ...problems.required() }
  }
  if (error.keyword === 'additionalProperties') {
    const name = String(params.additionalProperty)
    return { field: [...path, name].join('.'), ...problems.unknownProperty(name) }
  }
  return { field: path.join('.'), ...problemOf(error, params) }
}

function problemOf(error: ErrorObject, params: Record<string, unknown>): Problem {
  const limit = Number(params.limit)
  switch (error.keyword) {
    case 'type':
      return problems.wrongType(String(params.type))
    case 'enum':
      return problems.oneOf(params.allowedValues as unknown[])
    case 'const':
      return problems.constant(params.allowedValue)
    case 'minLength':
      return problems.minLength(limit)
    case 'maxLength':
      return problems.maxLength(limit)
    case 'minItems':
      return problems.minItems(limit)
    case 'maxItems':
      return problems.maxItems(limit)
    case 'minimum':
    case 'exclusiveMinimum':
      return problems.minimum(limit, error.keyword === 'exclusiveMinimum')
    case 'maximum':
    case 'exclusiveMaximum':
      return problems.maximum(limit, error.keyword === 'exclusiveMaximum')
    case 'multipleOf':
      return problems.multipleOf(Number(params.multipleOf))
    case 'format':
      return problems.format(String(params.format))
    case 'pattern':
      return problems.pattern()
    case 'uniqueItems':
      return problems.uniqueItems()
    default:
      return problems.invalid(error.message)
  }
}
