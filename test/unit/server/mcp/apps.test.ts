import { describe, expect, it } from 'vitest'
import { buildSandboxPolicy } from '../../../../src/server/mcp/apps/sandbox-policy.ts'
import { toUiResource, uiMetaOf } from '../../../../src/server/mcp/apps/ui-resources.ts'
import { McpAppCspSchema } from '../../../../src/shared/mcp-apps.ts'

const MIME = 'text/html;profile=mcp-app'

describe('uiMetaOf', () => {
  it('reads `_meta.ui.resourceUri` and visibility, and the older `ui/resourceUri` key', () => {
    expect(uiMetaOf({ _meta: { ui: { resourceUri: 'ui://a/app.html' } } })).toEqual({
      resourceUri: 'ui://a/app.html',
    })
    expect(
      uiMetaOf({ _meta: { ui: { resourceUri: 'ui://a/app.html', visibility: ['app'] } } }),
    ).toEqual({ resourceUri: 'ui://a/app.html', visibility: ['app'] })
    expect(uiMetaOf({ _meta: { 'ui/resourceUri': 'ui://b/app.html' } })?.resourceUri).toBe(
      'ui://b/app.html',
    )
  })

  it('gives no app for a tool without one, or one that is not a ui:// resource', () => {
    expect(uiMetaOf({ name: 'x' })).toBeNull()
    expect(uiMetaOf({ _meta: { ui: { resourceUri: 'https://evil.example/app.html' } } })).toBeNull()
  })
})

describe('toUiResource', () => {
  it('keeps the HTML, its declared meta, and a hash that changes with either', () => {
    const one = toUiResource('ui://a', [{ uri: 'ui://a', mimeType: MIME, text: '<p>1</p>' }])
    const two = toUiResource('ui://a', [{ uri: 'ui://a', mimeType: MIME, text: '<p>2</p>' }])
    const csp = toUiResource('ui://a', [
      {
        uri: 'ui://a',
        mimeType: MIME,
        text: '<p>1</p>',
        _meta: { ui: { csp: { connectDomains: ['https://api.example.com'] } } },
      },
    ])
    if (typeof one === 'string' || typeof two === 'string' || typeof csp === 'string') {
      throw new Error('refused')
    }
    expect(one.html).toBe('<p>1</p>')
    expect(one.meta).toBeNull()
    expect(csp.meta).toEqual({ csp: { connectDomains: ['https://api.example.com'] } })
    expect(new Set([one.hash, two.hash, csp.hash]).size).toBe(3)
  })

  it('refuses what is not an app, empty, or too large', () => {
    expect(toUiResource('ui://a', [])).toMatch(/no content/)
    expect(toUiResource('ui://a', [{ uri: 'ui://a', mimeType: 'text/plain', text: 'x' }])).toMatch(
      /not text\/html;profile=mcp-app/,
    )
    expect(toUiResource('ui://a', [{ uri: 'ui://a', mimeType: MIME, text: '' }])).toMatch(/empty/)
    const huge = 'x'.repeat(2 * 1024 * 1024 + 1)
    expect(toUiResource('ui://a', [{ uri: 'ui://a', mimeType: MIME, text: huge }])).toMatch(/limit/)
  })
})

describe('buildSandboxPolicy', () => {
  it('denies every load but inline code when the app declares nothing', () => {
    const policy = buildSandboxPolicy({})
    expect(policy).toContain("default-src 'none'")
    expect(policy).toContain("script-src 'unsafe-inline';")
    expect(policy).toContain("connect-src 'none'")
    expect(policy).toContain("frame-src 'none'")
    expect(policy).toContain("base-uri 'none'")
    expect(policy).toContain('sandbox allow-scripts')
    // 'self' would be Switchboard's own origin: never granted to an app (only who may frame it).
    const withSelf = policy.split('; ').filter((directive) => directive.includes("'self'"))
    expect(withSelf).toEqual(["frame-ancestors 'self'"])
  })

  it('adds exactly the declared origins to their directives', () => {
    const policy = buildSandboxPolicy({
      connectDomains: ['wss://live.example.com'],
      resourceDomains: ['https://*.cdn.example.com'],
      frameDomains: ['https://www.youtube.com'],
    })
    expect(policy).toContain('connect-src wss://live.example.com;')
    expect(policy).toContain('img-src data: blob: https://*.cdn.example.com;')
    expect(policy).toContain('frame-src https://www.youtube.com;')
  })

  it('is only ever given origins: the schema refuses anything that could break out', () => {
    for (const bad of ["https://a.example 'unsafe-eval'", 'https://a.example;', '*', 'data:']) {
      expect(McpAppCspSchema.safeParse({ connectDomains: [bad] }).success).toBe(false)
    }
  })
})
