import { secureHeaders } from 'hono/secure-headers'

type Policy = NonNullable<NonNullable<Parameters<typeof secureHeaders>[0]>['contentSecurityPolicy']>

/**
 * What the web app's pages may load: its own files and nothing from anywhere else.
 * - script-src 'self': the Vite build emits only external module scripts, no inline ones, and
 *   the app never evals (src/web/zod-config.ts turns off zod's compiled parsers, which would).
 * - style-src 'unsafe-inline': two libraries add <style> elements at run time, sonner (its
 *   stylesheet, on import) and Radix's scroll lock (a computed one, while a dialog is open);
 *   neither takes a nonce. Allowing them costs little: CSS cannot carry data off the page when
 *   img, font, media and connect are limited to our origin, and Tailwind's class names already
 *   let injected markup look like anything.
 * - img-src/media-src data: blob:: tool results show images and play audio from base64 data.
 * - connect-src 'self': the app talks only to its own API (fetch and server-sent events).
 * - frame-src 'self': MCP Apps run in our sandbox page (/mcp-app-sandbox), which gives them an
 *   opaque origin and their own CSP; nothing from elsewhere is framed.
 */
export const WEB_POLICY: Policy = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  mediaSrc: ["'self'", 'data:', 'blob:'],
  connectSrc: ["'self'"],
  frameSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
}

/**
 * The API reference (Swagger UI, served from our own origin: see routes/docs.ts). It needs no
 * inline script or style; its icons are data: images; "Try it out" calls our own API.
 */
export const DOCS_POLICY: Policy = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
}

/** Everything else (JSON, server-sent events, redirects): nothing to load, never framed. */
export const API_POLICY: Policy = {
  defaultSrc: ["'none'"],
  frameAncestors: ["'none'"],
}

/**
 * Sets Content-Security-Policy and nothing else (the app-wide secureHeaders() sets the other
 * headers). With `fallback`, a policy already set further in, by a route group's own, is kept:
 * the app-wide default stays the strictest and a group opts into what its pages need.
 */
export function contentSecurityPolicy(policy: Policy, options: { fallback?: boolean } = {}) {
  return secureHeaders({
    contentSecurityPolicy: policy,
    overwrite: !options.fallback,
    crossOriginEmbedderPolicy: false,
    crossOriginResourcePolicy: false,
    crossOriginOpenerPolicy: false,
    originAgentCluster: false,
    referrerPolicy: false,
    strictTransportSecurity: false,
    xContentTypeOptions: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xFrameOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
    removePoweredBy: false,
  })
}
