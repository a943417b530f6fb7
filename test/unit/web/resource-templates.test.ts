import { describe, expect, it } from 'vitest'
import { expandTemplate, templateVariables } from '../../../src/web/components/template-form.tsx'

describe('resource templates (RFC 6570, the forms servers publish)', () => {
  it('finds each variable once, in order', () => {
    expect(templateVariables('demo://resource/dynamic/text/{resourceId}')).toEqual(['resourceId'])
    expect(templateVariables('file:///{+path}{?rev,mode}')).toEqual(['path', 'rev', 'mode'])
    expect(templateVariables('db://{table}/{id}/{table}')).toEqual(['table', 'id'])
    expect(templateVariables('plain://no/variables')).toEqual([])
  })

  it('fills them in, encoded for where they stand', () => {
    expect(expandTemplate('demo://resource/dynamic/text/{resourceId}', { resourceId: '7' })).toBe(
      'demo://resource/dynamic/text/7',
    )
    // A simple variable is one segment: its slashes and spaces are encoded.
    expect(expandTemplate('notes://{name}', { name: 'a b/c' })).toBe('notes://a%20b%2Fc')
    // `+` keeps reserved characters: a path stays a path.
    expect(expandTemplate('file:///{+path}', { path: 'docs/read me.md' })).toBe(
      'file:///docs/read%20me.md',
    )
    expect(expandTemplate('search://q{?term,page}', { term: 'a&b', page: '2' })).toBe(
      'search://q?term=a%26b&page=2',
    )
    expect(expandTemplate('search://q{?term,page}', { term: 'x' })).toBe('search://q?term=x')
  })
})
