/**
 * What the Markdown components need to know about a text before rendering it, in plain
 * functions (no React, no streamdown: the first page imports some of this).
 */

export type MarkdownFeature = 'code' | 'math' | 'mermaid'

const FENCE = /^ {0,3}(?:`{3,}|~{3,})[ \t]*([^\s`]*)/gm
// `$$…$$` blocks, or `$…$` inline math (no space just inside the dollars, as remark-math wants).
const MATH = /\$\$|\$[^\s$](?:[^$\n]*[^\s$])?\$/

/** Which heavy parts a Markdown text needs. */
export function markdownFeatures(text: string): MarkdownFeature[] {
  const features: MarkdownFeature[] = []
  let code = false
  let mermaid = false
  for (const match of text.matchAll(FENCE)) {
    if (match[1]?.toLowerCase() === 'mermaid') mermaid = true
    else if (match[1]) code = true
  }
  if (code) features.push('code')
  if (mermaid) features.push('mermaid')
  if (MATH.test(text)) features.push('math')
  return features
}

// What Markdown looks like at the start of a line (headings, fences, quotes, tables) or in it
// (links, bold). One of these is enough: plain text and JSON have none of them.
const BLOCK_SIGNS = [
  /^#{1,6}[ \t]+\S/m,
  /^ {0,3}(?:`{3,}|~{3,})/m,
  /^>[ \t]?\S/m,
  /^\|?[^|\n]*\|[^\n]*\n\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$/m,
]
const INLINE_SIGNS = [/\[[^\]\n]+\]\([^)\s]+\)/, /\*\*[^*\n]+\*\*/]
const LIST_ITEM = /^[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]+\S/gm

/**
 * Whether a tool's text reads as Markdown. MCP text content carries no media type, so this
 * looks for Markdown's marks; a text with none (plain words, JSON, a log) stays as it is.
 */
export function looksLikeMarkdown(text: string): boolean {
  if (/^\s*[[{]/.test(text)) return false
  if (BLOCK_SIGNS.some((sign) => sign.test(text))) return true
  if (INLINE_SIGNS.some((sign) => sign.test(text))) return true
  return (text.match(LIST_ITEM)?.length ?? 0) >= 2
}

/** The schemes a link may open. Anything else (javascript:, data:, vbscript:, custom) is text. */
const LINK_PROTOCOLS = new Set(['http:', 'https:', 'mailto:'])

/** The URL a Markdown link may really point at, or null when it must not be followed. */
export function safeHref(href: unknown, base = window.location.href): string | null {
  if (typeof href !== 'string' || href.trim() === '') return null
  try {
    const url = new URL(href, base)
    return LINK_PROTOCOLS.has(url.protocol) ? url.href : null
  } catch {
    return null
  }
}
