import { describe, expect, it } from 'vitest'
import { headerParameterProblem } from '../../../../src/server/mcp/catalog/header-parameters.ts'

const schema = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'object',
  properties,
  ...extra,
})

describe('headerParameterProblem (SEP-2243 x-mcp-header)', () => {
  it.each([
    ['no marks', schema({ a: { type: 'string' } })],
    ['a string', schema({ region: { type: 'string', 'x-mcp-header': 'Region' } })],
    [
      'an integer and a boolean',
      schema({
        n: { type: 'integer', 'x-mcp-header': 'N' },
        b: { type: 'boolean', 'x-mcp-header': 'Dry-Run' },
      }),
    ],
    [
      'nested through properties',
      schema({
        where: { type: 'object', properties: { zone: { type: 'string', 'x-mcp-header': 'Zone' } } },
      }),
    ],
    [
      'a data value that looks like a mark',
      schema({ a: { type: 'string', default: 'x', examples: [{ 'x-mcp-header': '' }] } }),
    ],
  ])('accepts %s', (_label, input) => {
    expect(headerParameterProblem(input)).toBeNull()
  })

  it.each([
    [
      'an empty name',
      schema({ a: { type: 'string', 'x-mcp-header': '' } }),
      /not a valid header name/,
    ],
    [
      'a space',
      schema({ a: { type: 'string', 'x-mcp-header': 'My Region' } }),
      /not a valid header name/,
    ],
    [
      'a colon',
      schema({ a: { type: 'string', 'x-mcp-header': 'A:B' } }),
      /not a valid header name/,
    ],
    [
      'non-ASCII',
      schema({ a: { type: 'string', 'x-mcp-header': 'Régión' } }),
      /not a valid header name/,
    ],
    [
      'a number',
      schema({ a: { type: 'number', 'x-mcp-header': 'A' } }),
      /not a string, integer or boolean/,
    ],
    [
      'an object',
      schema({ a: { type: 'object', 'x-mcp-header': 'A' } }),
      /not a string, integer or boolean/,
    ],
    [
      'a type list',
      schema({ a: { type: ['string', 'null'], 'x-mcp-header': 'A' } }),
      /not a string/,
    ],
    [
      'a name used twice, any case',
      schema({
        a: { type: 'string', 'x-mcp-header': 'Region' },
        b: { type: 'string', 'x-mcp-header': 'region' },
      }),
      /used twice/,
    ],
    [
      'under items',
      schema({ a: { type: 'array', items: { type: 'string', 'x-mcp-header': 'A' } } }),
      /not on a top-level path/,
    ],
    [
      'under anyOf',
      schema({}, { anyOf: [{ properties: { a: { type: 'string', 'x-mcp-header': 'A' } } }] }),
      /not on a top-level path/,
    ],
    [
      'under $defs',
      schema({}, { $defs: { x: { type: 'string', 'x-mcp-header': 'A' } } }),
      /not on a top-level path/,
    ],
    ['on the schema itself', { type: 'object', 'x-mcp-header': 'A' }, /not on a top-level path/],
  ])('refuses %s', (_label, input, problem) => {
    expect(headerParameterProblem(input as Record<string, unknown>)).toMatch(problem)
  })
})
