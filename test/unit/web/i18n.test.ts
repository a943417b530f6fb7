import { describe, expect, it } from 'vitest'
import { ERROR_CODES } from '../../../src/shared/errors.ts'
import de from '../../../src/web/i18n/de.json' with { type: 'json' }
import en from '../../../src/web/i18n/en.json' with { type: 'json' }

type Tree = { [key: string]: string | Tree }

/** Every leaf as `a.b.c` → text. */
function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') out.set(`${prefix}${key}`, value)
    else for (const [k, v] of flatten(value, `${prefix}${key}.`)) out.set(k, v)
  }
  return out
}

const placeholders = (text: string) =>
  [...text.matchAll(/{{\s*(\w+)\s*}}/g)].map((m) => m[1]).sort()

describe('translations', () => {
  const english = flatten(en as Tree)
  const german = flatten(de as Tree)

  it('has every English string in German, and nothing else', () => {
    expect([...german.keys()].sort()).toEqual([...english.keys()].sort())
  })

  it('keeps the placeholders of each string', () => {
    const mismatched = [...english]
      .filter(([key, text]) => {
        const other = german.get(key)
        if (other === undefined) return false
        // A German plural form may spell the number out instead of using {{count}}.
        const strip = (names: (string | undefined)[]) => names.filter((n) => n !== 'count')
        return (
          JSON.stringify(strip(placeholders(text))) !== JSON.stringify(strip(placeholders(other)))
        )
      })
      .map(([key]) => key)
    expect(mismatched).toEqual([])
  })

  it('explains every error code the API can answer with', () => {
    for (const code of ERROR_CODES) expect(english.has(`errors.${code}`), code).toBe(true)
  })
})
