/**
 * The one sanitizer for text from outside: what MCP servers say about themselves and their
 * tools, their errors and questions, OAuth servers' errors, model and provider errors. Such text
 * is shown to people and handed to models, so it must not carry what neither can see.
 *
 * @module
 */

// C0 controls except tab and line feed, DEL, C1 controls; zero-width and invisible formatting
// characters (U+200B–U+200F, U+2060–U+2064, U+FEFF, U+061C, U+180E: they hide words from a
// reader but not from a model); bidi embeddings, overrides and isolates (they reorder what a
// reader sees, "Trojan Source"); Unicode tag characters (they smuggle invisible text to a model).
const INVISIBLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]|[\u{e0000}-\u{e007f}]/gu

export interface SanitizeOptions {
  /** Cap in code points, a trailing '…' included. */
  maxChars?: number
  /** Keep line breaks and tabs; otherwise any run of whitespace becomes one space. */
  multiline?: boolean
}

/**
 * Untrusted text made safe to show and to hand to a model: control and invisible formatting
 * characters removed, line endings normalized (kept when `multiline`, else whitespace runs
 * become one space), trimmed, and capped at `maxChars` code points with a trailing '…'.
 */
export function sanitizeText(text: string, options: SanitizeOptions = {}): string {
  // Invisible characters go first: JavaScript counts U+FEFF as whitespace.
  const visible = text.replace(/\r\n?/g, '\n').replace(INVISIBLE, '')
  const clean = (options.multiline ? visible : visible.replace(/\s+/g, ' ')).trim()
  return options.maxChars === undefined ? clean : truncate(clean, options.maxChars)
}

function truncate(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text
  const chars = Array.from(text)
  return chars.length <= maxChars ? text : `${chars.slice(0, maxChars - 1).join('')}…`
}
