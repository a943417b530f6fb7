import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { AUDIT_ACTIONS } from '../../../src/shared/audit.ts'
import { ERROR_REASONS } from '../../../src/shared/error-reasons.ts'
import { ERROR_CODES } from '../../../src/shared/errors.ts'
import { AppEventSchema } from '../../../src/shared/events.ts'
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

/** `{{name}}` and `{{name, number}}` (a formatted value) alike. */
const placeholders = (text: string) =>
  [...text.matchAll(/{{\s*(\w+)\s*(?:,[^}]*)?}}/g)].map((m) => m[1]).sort()

const SERVER_DIR = fileURLToPath(new URL('../../../src/server', import.meta.url))

function serverSources(dir = SERVER_DIR): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return serverSources(path)
    return name.endsWith('.ts') ? [readFileSync(path, 'utf8')] : []
  })
}

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

  it('has words for every error reason, in both languages, with exactly its parameters', () => {
    const problems: string[] = []
    for (const [key, params] of Object.entries(ERROR_REASONS)) {
      for (const [language, texts] of [
        ['en', english],
        ['de', german],
      ] as const) {
        // A reason with a count may come in plural forms (`_one`, `_other`).
        const forms = ['', '_one', '_other']
          .map((suffix) => texts.get(`errors.reasons.${key}${suffix}`))
          .filter((text): text is string => text !== undefined)
        if (forms.length === 0) {
          problems.push(`${language}: no words for ${key}`)
          continue
        }
        const used = [...new Set(forms.flatMap(placeholders))].sort()
        const declared = [...params].sort()
        // A plural form may spell the number out ("ein Eintrag") rather than use {{count}}.
        const counted = (names: readonly (string | undefined)[]) =>
          names.filter((n) => n !== 'count')
        const same =
          JSON.stringify(counted(used)) === JSON.stringify(counted(declared)) &&
          (!used.includes('count') || declared.includes('count'))
        if (!same) problems.push(`${language}: ${key} uses {${used}} but declares {${declared}}`)
      }
    }
    expect(problems).toEqual([])
  })

  it('has no words for reasons the server does not give', () => {
    const known = new Set(Object.keys(ERROR_REASONS))
    const extra = [...english.keys()]
      .filter((key) => key.startsWith('errors.reasons.'))
      .map((key) => key.slice('errors.reasons.'.length).replace(/_(one|other)$/, ''))
      .filter((key) => !known.has(key))
    expect(extra).toEqual([])
  })

  it('knows every reason key the server code names', () => {
    const areas = [...new Set(Object.keys(ERROR_REASONS).map((key) => key.split('.')[0]))]
    const pattern = new RegExp(`['\`](?:${areas.join('|')})\\.[\\w.]+['\`]`, 'g')
    // Names of other things that share a first word with reasons (`server.created`).
    const otherNames = new Set<string>([
      ...AUDIT_ACTIONS,
      ...AppEventSchema.options.map((option) => option.shape.type.value),
    ])
    const named = serverSources()
      .flatMap((source) => [...source.matchAll(pattern)].map((match) => match[0].slice(1, -1)))
      .filter((name) => !otherNames.has(name))
    expect(named.length).toBeGreaterThan(50)
    const known = new Set(Object.keys(ERROR_REASONS))
    // `validation.type.${expected}` and friends end in a dot: their family must exist.
    const unknown = named.filter((key) =>
      key.endsWith('.')
        ? ![...known].some((k) => k.startsWith(key))
        : !known.has(key) && !key.includes('${'),
    )
    expect([...new Set(unknown)]).toEqual([])
  })

  it('speaks to the reader as "Sie" everywhere in German, never "du"', () => {
    const informal = [...german]
      .filter(([, text]) => /\b(du|dich|dir|dein\w*)\b/i.test(text))
      .map(([key, text]) => `${key}: ${text}`)
    expect(informal).toEqual([])
  })

  it('says "Tool" in German, as the MCP world does, never "Werkzeug" for the same thing', () => {
    const mixed = [...german]
      .filter(([, text]) => /Werkzeug/i.test(text))
      .map(([key, text]) => `${key}: ${text}`)
    expect(mixed).toEqual([])
  })
})
