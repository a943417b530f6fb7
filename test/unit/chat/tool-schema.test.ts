import { describe, expect, it } from 'vitest'
import { toProviderSchema } from '../../../src/server/chat/tool-schema.ts'

describe('toProviderSchema', () => {
  it('keeps an object root and adds properties when missing', () => {
    expect(toProviderSchema({ type: 'object' })).toEqual({ type: 'object', properties: {} })
    expect(toProviderSchema(undefined)).toEqual({ type: 'object', properties: {} })
    expect(toProviderSchema({ properties: { a: { type: 'string' } } })).toEqual({
      type: 'object',
      properties: { a: { type: 'string' } },
    })
  })

  it('drops $schema, $id, $defs and keywords providers refuse, and inlines refs', () => {
    const schema = toProviderSchema({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'urn:x',
      type: 'object',
      $defs: { Point: { type: 'object', properties: { x: { type: 'number' } }, required: ['x'] } },
      properties: {
        at: { $ref: '#/$defs/Point', description: 'where' },
        when: { type: 'string', format: 'date-time' },
        count: { type: 'integer', format: 'int32', minimum: 0 },
        link: { type: 'string', format: 'uri-reference' },
        // biome-ignore lint/suspicious/noThenProperty: a JSON Schema keyword, not a promise
        extra: { type: 'string', 'x-vendor': true, if: {}, then: {}, not: {} },
        gone: false,
        any: true,
      },
      required: ['at', 'missing'],
      patternProperties: { '^x': {} },
      additionalProperties: false,
    })
    expect(schema).toEqual({
      type: 'object',
      properties: {
        at: {
          type: 'object',
          description: 'where',
          properties: { x: { type: 'number' } },
          required: ['x'],
        },
        when: { type: 'string', format: 'date-time' },
        count: { type: 'integer', minimum: 0 },
        link: { type: 'string' },
        extra: { type: 'string' },
        any: {},
      },
      required: ['at'],
      additionalProperties: false,
    })
  })

  it('turns recursive and unknown refs into any value, and caps depth', () => {
    const schema = toProviderSchema({
      type: 'object',
      definitions: {
        Node: { type: 'object', properties: { next: { $ref: '#/definitions/Node' } } },
      },
      properties: { head: { $ref: '#/definitions/Node' }, bad: { $ref: 'http://x/y' } },
    })
    expect(schema.properties).toEqual({
      head: { type: 'object', properties: { next: {} } },
      bad: {},
    })
    let deep: Record<string, unknown> = { type: 'string' }
    for (let i = 0; i < 60; i += 1) deep = { type: 'object', properties: { inner: deep } }
    expect(JSON.stringify(toProviderSchema(deep)).length).toBeLessThan(2_000)
  })

  it('gives arrays items and turns tuples into a union', () => {
    const schema = toProviderSchema({
      type: 'object',
      properties: {
        list: { type: 'array' },
        pair: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }] },
      },
    })
    expect(schema.properties).toEqual({
      list: { type: 'array', items: {} },
      pair: { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'number' }] } },
    })
  })
})
