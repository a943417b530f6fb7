/**
 * What is wrong with one value, in readable English and as a reason the UI translates: the same
 * words whether a zod schema (our requests) or a JSON Schema (a tool's arguments) found it.
 * Messages name no field: the field is named beside them (`{ field, message }`), and the UI
 * shows them under the input they concern.
 *
 * @module
 */
import type { z } from 'zod'
import { type ErrorReason, type ErrorReasonKey, reasonOf } from '../shared/error-reasons.ts'
import type { FieldIssue } from '../shared/errors.ts'

export type Problem = Omit<FieldIssue, 'field'> & { reason: ErrorReason }

const TYPE_WORDS = {
  string: 'must be text',
  number: 'must be a number',
  integer: 'must be a whole number',
  boolean: 'must be true or false',
  object: 'must be an object',
  array: 'must be a list',
  null: 'must be null',
} as const
type JsonType = keyof typeof TYPE_WORDS

export const problems = {
  required: (): Problem => ({
    message: 'is required',
    reason: reasonOf('validation.required', {}),
  }),
  /** `expected` a JSON type; anything else (a union of types, a date) reads as "not valid". */
  wrongType: (expected: string): Problem =>
    expected in TYPE_WORDS
      ? {
          message: TYPE_WORDS[expected as JsonType],
          reason: { key: `validation.type.${expected as JsonType}` satisfies ErrorReasonKey },
        }
      : problems.invalid(`must be ${expected}`),
  minLength: (count: number): Problem => ({
    message: `must be at least ${count} character${count === 1 ? '' : 's'} long`,
    reason: reasonOf('validation.minLength', { count }),
  }),
  maxLength: (count: number): Problem => ({
    message: `must be at most ${count} character${count === 1 ? '' : 's'} long`,
    reason: reasonOf('validation.maxLength', { count }),
  }),
  minItems: (count: number): Problem => ({
    message: `must have at least ${count} item${count === 1 ? '' : 's'}`,
    reason: reasonOf('validation.minItems', { count }),
  }),
  maxItems: (count: number): Problem => ({
    message: `must have at most ${count} item${count === 1 ? '' : 's'}`,
    reason: reasonOf('validation.maxItems', { count }),
  }),
  minimum: (limit: number, exclusive: boolean): Problem =>
    exclusive
      ? {
          message: `must be greater than ${limit}`,
          reason: reasonOf('validation.exclusiveMinimum', { limit }),
        }
      : { message: `must be at least ${limit}`, reason: reasonOf('validation.minimum', { limit }) },
  maximum: (limit: number, exclusive: boolean): Problem =>
    exclusive
      ? {
          message: `must be less than ${limit}`,
          reason: reasonOf('validation.exclusiveMaximum', { limit }),
        }
      : { message: `must be at most ${limit}`, reason: reasonOf('validation.maximum', { limit }) },
  multipleOf: (divisor: number): Problem => ({
    message: `must be a multiple of ${divisor}`,
    reason: reasonOf('validation.multipleOf', { divisor }),
  }),
  oneOf: (allowed: readonly unknown[]): Problem => {
    const values = allowed.map((value) => JSON.stringify(value)).join(', ')
    return { message: `must be one of ${values}`, reason: reasonOf('validation.oneOf', { values }) }
  },
  constant: (expected: unknown): Problem => {
    const value = JSON.stringify(expected)
    return { message: `must be ${value}`, reason: reasonOf('validation.const', { value }) }
  },
  format: (format: string): Problem => {
    const known: Record<string, ErrorReasonKey> = {
      email: 'validation.email',
      url: 'validation.url',
      uri: 'validation.url',
      uuid: 'validation.uuid',
      datetime: 'validation.datetime',
      'date-time': 'validation.datetime',
    }
    const key = known[format]
    return key
      ? { message: `must be a valid ${format}`, reason: { key } }
      : { message: `must be a valid ${format}`, reason: reasonOf('validation.format', { format }) }
  },
  pattern: (): Problem => ({
    message: 'does not have the expected form',
    reason: reasonOf('validation.pattern', {}),
  }),
  unknownProperty: (name: string): Problem => ({
    message: `is not an allowed property: remove "${name}"`,
    reason: reasonOf('validation.unknownProperty', { name }),
  }),
  uniqueItems: (): Problem => ({
    message: 'must not contain the same item twice',
    reason: reasonOf('validation.uniqueItems', {}),
  }),
  /** A check with no words of our own: its English as it is, "not valid" for the UI. */
  invalid: (message = 'is not valid'): Problem => ({
    message,
    reason: reasonOf('validation.invalid', {}),
  }),
}

/**
 * One zod issue as a field issue. Our own checks (`custom`, a regex with a message) speak
 * English already and keep their words; the UI falls back to them (they carry no reason).
 */
export function fromZodIssue(issue: z.core.$ZodIssue): FieldIssue {
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : []
  const field = [...issue.path, ...keys.slice(0, 1)].map(String).join('.')
  const problem = zodProblem(issue)
  return problem ? { field, ...problem } : { field, message: issue.message }
}

function zodProblem(issue: z.core.$ZodIssue): Problem | null {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? problems.required() : problems.wrongType(issue.expected)
    case 'too_small':
    case 'too_big':
      return sizeProblem(issue)
    case 'invalid_format':
      if (issue.format === 'regex') return hasOwnMessage(issue) ? null : problems.pattern()
      return problems.format(issue.format)
    case 'not_multiple_of':
      return problems.multipleOf(Number(issue.divisor))
    case 'unrecognized_keys':
      return problems.unknownProperty(issue.keys[0] ?? '')
    case 'invalid_value':
      return issue.values.length === 1
        ? problems.constant(issue.values[0])
        : problems.oneOf(issue.values)
    default:
      return null
  }
}

function sizeProblem(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): Problem | null {
  const small = issue.code === 'too_small'
  const limit = Number(small ? issue.minimum : issue.maximum)
  const exclusive = issue.inclusive === false
  switch (issue.origin) {
    case 'string':
      if (small && limit <= 1) return problems.required()
      return small ? problems.minLength(limit) : problems.maxLength(limit)
    case 'array':
    case 'set':
      return small ? problems.minItems(limit) : problems.maxItems(limit)
    case 'number':
    case 'int':
    case 'bigint':
      return small ? problems.minimum(limit, exclusive) : problems.maximum(limit, exclusive)
    default:
      return null
  }
}

/** zod's own regex message starts "Invalid string"; a message of ours says what to do. */
function hasOwnMessage(issue: z.core.$ZodIssue): boolean {
  return !/^Invalid/.test(issue.message)
}
