import type { BrowserContext } from 'playwright-core'

interface Violation {
  directive: string
  blocked: string
  sample: string
  source: string
}

/**
 * Records every CSP violation of every page of the context, as the page itself sees them
 * (`securitypolicyviolation`), plus the console's "Refused to …" lines. Init scripts and bindings
 * come in through the DevTools protocol, so the policy under test does not block the recorder.
 */
export async function recordViolations(context: BrowserContext): Promise<string[]> {
  const seen: string[] = []
  await context.exposeFunction('__recordCspViolation', (v: Violation) => {
    seen.push(`${v.directive} blocked ${v.blocked || 'inline'} (${v.source}) ${v.sample}`)
  })
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const record = (window as unknown as Record<string, (v: Violation) => void>)
        .__recordCspViolation
      record?.({
        directive: e.effectiveDirective,
        blocked: e.blockedURI,
        sample: e.sample,
        source: `${e.sourceFile}:${e.lineNumber}`,
      })
    })
  })
  context.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) seen.push(`console: ${msg.text()}`)
  })
  return seen
}
