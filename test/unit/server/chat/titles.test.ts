import { describe, expect, it } from 'vitest'
import { fileNameOf } from '../../../../src/server/chat/conversation-export.ts'
import { cleanTitle } from '../../../../src/server/chat/titles.ts'
import { likePattern } from '../../../../src/server/db/conversations.ts'

describe('cleanTitle', () => {
  it('keeps the title and drops what models wrap it in', () => {
    expect(cleanTitle('"Lisbon Trip Plan."')).toBe('Lisbon Trip Plan')
    expect(cleanTitle('Title: **Soup ideas**')).toBe('Soup ideas')
    expect(cleanTitle('\n\n# Reise nach Rom\nHere is why…')).toBe('Reise nach Rom')
    expect(cleanTitle('„Brief an die Bäckerei“')).toBe('Brief an die Bäckerei')
    expect(cleanTitle('   ')).toBeNull()
    expect(cleanTitle('x'.repeat(300))?.length).toBe(80)
  })
})

describe('likePattern', () => {
  it('matches % _ and \\ as themselves', () => {
    expect(likePattern('100%')).toBe('%100\\%%')
    expect(likePattern('snake_case')).toBe('%snake\\_case%')
    expect(likePattern('a\\b')).toBe('%a\\\\b%')
  })
})

describe('fileNameOf', () => {
  it('makes a safe file name of any title', () => {
    expect(fileNameOf('Q3: "plans" / ideas?')).toBe('Q3 plans ideas')
    expect(fileNameOf('../../etc/passwd')).toBe('etc passwd')
    expect(fileNameOf('New conversation')).toBe('conversation')
    expect(fileNameOf('\u0000\u0007')).toBe('conversation')
  })
})
