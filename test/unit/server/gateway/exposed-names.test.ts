import { describe, expect, it } from 'vitest'
import { exposedNames } from '../../../../src/server/gateway/exposed-names.ts'

type Entry = { own: string }
const entries = (pairs: [string, string][]) =>
  new Map<string, Entry>(pairs.map(([prefixed, own]) => [prefixed, { own }]))
const names = (style: 'prefixed' | 'plain', map: Map<string, Entry>) => [
  ...exposedNames(style, map, (entry) => entry.own).keys(),
]

describe('exposedNames', () => {
  it('keeps the prefixed names as they are', () => {
    const map = entries([['a__echo', 'echo']])
    expect(names('prefixed', map)).toEqual(['a__echo'])
  })

  it("uses a server's own name where no other entry has it, in the input's order", () => {
    const map = entries([
      ['a__echo', 'echo'],
      ['b__Echo', 'Echo'],
      ['a__sum', 'sum'],
    ])
    // `echo` and `Echo` clash as case-insensitive names: both stay prefixed.
    expect(names('plain', map)).toEqual(['a__echo', 'b__Echo', 'sum'])
  })

  it('keeps prefixed an own name MCP does not allow', () => {
    expect(names('plain', entries([['a__get_weather', 'get weather']]))).toEqual(['a__get_weather'])
  })

  it("never gives two entries one name: an own name equal to another's prefixed one stays prefixed", () => {
    // Server `x` has tool `y__z`; server `y` has tool `z`, prefixed `y__z` too (with a suffix
    // from tool-names.ts in practice), and a tool `y__z` itself: only unambiguous ones go plain.
    const map = entries([
      ['x__y__z', 'y__z'],
      ['y__z', 'z'],
      ['y__z_1a2b3c', 'y__z'],
    ])
    const result = names('plain', map)
    expect(new Set(result.map((name) => name.toLowerCase())).size).toBe(result.length)
    expect(result).toEqual(['x__y__z', 'z', 'y__z_1a2b3c'])
  })

  it("lets an own name equal another's prefixed name when that one goes plain too", () => {
    // `b__c` (server a's tool) is server b's prefixed name, but b's tool is offered as `c`.
    const map = entries([
      ['a__b__c', 'b__c'],
      ['b__c', 'c'],
    ])
    expect(names('plain', map)).toEqual(['b__c', 'c'])
  })
})
