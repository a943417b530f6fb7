import type { McpAppCsp } from '../../../shared/mcp-apps.ts'

/**
 * The Content-Security-Policy of the sandbox page that runs an app: what its UI resource
 * declared (`_meta.ui.csp`) and nothing else, default-deny otherwise (MCP Apps spec
 * 2026-01-26, "Security"). No `'self'` anywhere: the page is served from Switchboard's origin,
 * and the app must not reach Switchboard. `sandbox allow-scripts` gives it an opaque origin
 * even if it is opened outside its iframe, so it never sees Switchboard's cookies or storage.
 * Inline scripts and styles are allowed because apps are single HTML files.
 */
export function buildSandboxPolicy(csp: McpAppCsp): string {
  const resources = csp.resourceDomains ?? []
  const list = (base: string[], extra: string[] = []) => [...base, ...extra].join(' ') || "'none'"
  return [
    "default-src 'none'",
    `script-src ${list(["'unsafe-inline'"], resources)}`,
    `style-src ${list(["'unsafe-inline'"], resources)}`,
    `img-src ${list(['data:', 'blob:'], resources)}`,
    `font-src ${list(['data:'], resources)}`,
    `media-src ${list(['data:', 'blob:'], resources)}`,
    `connect-src ${list([], csp.connectDomains)}`,
    `frame-src ${list([], csp.frameDomains)}`,
    `base-uri ${list([], csp.baseUriDomains)}`,
    "worker-src 'none'",
    "object-src 'none'",
    "form-action 'none'",
    "frame-ancestors 'self'",
    'sandbox allow-scripts',
  ].join('; ')
}
