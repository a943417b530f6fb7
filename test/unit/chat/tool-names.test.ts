import { describe, expect, it } from 'vitest'
import { assignFunctionNames, FUNCTION_NAME_MAX } from '../../../src/server/chat/tool-names.ts'

let counter = 0
function tool(server_name: string, name: string, createdAt = 0) {
  counter += 1
  return {
    id: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    server_name,
    name,
    created_at: new Date(createdAt),
  }
}

const VALID = /^[a-zA-Z0-9_-]{1,64}$/

describe('assignFunctionNames', () => {
  it('prefixes the server and keeps plain names as they are', () => {
    const echo = tool('github', 'list_issues')
    const names = assignFunctionNames([echo])
    expect([...names.keys()]).toEqual(['github__list_issues'])
    expect(names.get('github__list_issues')).toBe(echo)
  })

  it('replaces characters providers refuse', () => {
    const names = assignFunctionNames([tool('My Server ü', 'get.weather/now')])
    expect([...names.keys()]).toEqual(['My_Server____get_weather_now'])
  })

  it('cuts long names to 64 characters with a hash suffix', () => {
    const long = tool('s'.repeat(40), 't'.repeat(60))
    const other = tool('s'.repeat(40), `${'t'.repeat(59)}x`)
    const names = [...assignFunctionNames([long, other]).keys()]
    for (const name of names) {
      expect(name).toMatch(VALID)
      expect(name.length).toBe(FUNCTION_NAME_MAX)
    }
    expect(new Set(names).size).toBe(2)
  })

  it('resolves collisions: the exact name wins, the others get a stable suffix', () => {
    const exact = tool('a_b', 'c', 5)
    const sanitized = tool('a b', 'c', 1)
    const caseOnly = tool('A_B', 'c', 9) // exact too, but newer
    const first = assignFunctionNames([sanitized, caseOnly, exact])
    expect(first.get('a_b__c')).toBe(exact)
    const names = [...first.keys()]
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(3)
    for (const name of names) expect(name).toMatch(VALID)
    // same set, other order: same names
    const again = assignFunctionNames([exact, caseOnly, sanitized])
    for (const [name, row] of first) expect(again.get(name)).toBe(row)
  })

  it('never hands out search_tools', () => {
    const names = assignFunctionNames([tool('search', 'tools')])
    expect([...names.keys()]).toEqual(['search__tools'])
  })
})
