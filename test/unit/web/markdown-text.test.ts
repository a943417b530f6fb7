import { describe, expect, it } from 'vitest'
import {
  looksLikeMarkdown,
  markdownFeatures,
  safeHref,
} from '../../../src/web/components/markdown-text.ts'
import { MARKDOWN_ANSWER } from '../../fixtures/llm/fake-openrouter.ts'

const PAGE = 'http://localhost:3000/chat/abc'

describe('safeHref', () => {
  it('lets links go to the web and to mail', () => {
    expect(safeHref('https://example.com/a?b=1#c', PAGE)).toBe('https://example.com/a?b=1#c')
    expect(safeHref('http://example.com', PAGE)).toBe('http://example.com/')
    expect(safeHref('mailto:someone@example.com', PAGE)).toBe('mailto:someone@example.com')
    expect(safeHref('/servers', PAGE)).toBe('http://localhost:3000/servers')
  })

  it('refuses scripts and every other scheme, however they are spelled', () => {
    for (const href of [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      ' javascript:alert(1)',
      'java\tscript:alert(1)',
      'java\nscript:alert(1)',
      '\u0000javascript:alert(1)',
      'vbscript:msgbox(1)',
      'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
      'file:///etc/passwd',
      'streamdown:incomplete-link',
      'tel:123',
    ]) {
      expect(safeHref(href, PAGE), href).toBeNull()
    }
    expect(safeHref(undefined, PAGE)).toBeNull()
    expect(safeHref('  ', PAGE)).toBeNull()
  })
})

describe('looksLikeMarkdown', () => {
  it('sees Markdown in headings, tables, fences, quotes, links, bold and lists', () => {
    for (const text of [
      '## Report\nAll good.',
      '| a | b |\n| --- | --- |\n| 1 | 2 |',
      '```ts\nconst a = 1\n```',
      '> quoted',
      'See [the docs](https://example.com).',
      'This is **important**.',
      '- one\n- two',
      '1. first\n2. second',
      MARKDOWN_ANSWER,
    ]) {
      expect(looksLikeMarkdown(text), text).toBe(true)
    }
  })

  it('leaves plain text, logs and JSON as they are', () => {
    for (const text of [
      'Echo: hello from the chat',
      'The sum of 2 and 3 is 5.',
      '- just one line that starts with a dash',
      '{"items": ["# not a heading", "**not bold**"]}',
      '[1, 2, 3]',
      'ERROR 2026-12-06 12:00:01 connection reset #42',
    ]) {
      expect(looksLikeMarkdown(text), text).toBe(false)
    }
  })
})

describe('markdownFeatures', () => {
  it('asks for Shiki, KaTeX and Mermaid only when the text has code, math or a diagram', () => {
    expect(markdownFeatures('Just **words** and `inline code`.')).toEqual([])
    expect(markdownFeatures('```\nno language\n```')).toEqual([])
    expect(markdownFeatures('```python\nprint(1)\n```')).toEqual(['code'])
    expect(markdownFeatures('~~~ts\nlet a\n~~~')).toEqual(['code'])
    expect(markdownFeatures('```mermaid\ngraph TD\nA-->B\n```')).toEqual(['mermaid'])
    expect(markdownFeatures('Energy: $E = mc^2$.')).toEqual(['math'])
    expect(markdownFeatures('$$\n\\frac{1}{3}\n$$')).toEqual(['math'])
    expect(markdownFeatures(MARKDOWN_ANSWER).sort()).toEqual(['code', 'math', 'mermaid'])
  })

  it('sees a fence the moment it opens, while the answer still streams', () => {
    expect(markdownFeatures('Here you go:\n\n```ts\nexport const')).toEqual(['code'])
  })
})
