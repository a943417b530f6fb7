import { describe, expect, it } from 'vitest'
import { sanitizeText } from '../../../src/server/untrusted-text.ts'

describe('sanitizeText', () => {
  it('removes control, bidi and tag characters; keeps tab and newline only when multiline', () => {
    const text = 'a\u0000b\u0007c\td\r\ne\u202ef\u2066g\u{E0041}h\u009fi'
    expect(sanitizeText(text, { multiline: true })).toBe('abc\td\nefghi')
    expect(sanitizeText(text)).toBe('abc d efghi')
  })

  it('removes zero-width and invisible formatting characters', () => {
    const text = 'a\u200bb\u200cc\u200dd\u2060e\ufefff\u2063g\u200fh\u061ci\u180ej'
    expect(sanitizeText(text)).toBe('abcdefghij')
  })

  it('makes one line of any run of whitespace unless multiline', () => {
    expect(sanitizeText('  one\n\n two\t\tthree  ')).toBe('one two three')
    expect(sanitizeText('one\n\ntwo', { multiline: true })).toBe('one\n\ntwo')
  })

  it('caps at maxChars code points with an ellipsis, never splitting a surrogate pair', () => {
    expect(sanitizeText('abcdef', { maxChars: 4 })).toBe('abc…')
    expect(sanitizeText('abcd', { maxChars: 4 })).toBe('abcd')
    expect(sanitizeText('😀😀😀😀😀', { maxChars: 3 })).toBe('😀😀…')
    expect(sanitizeText('😀😀😀', { maxChars: 3 })).toBe('😀😀😀')
  })
})
