import { createMermaidPlugin } from '@streamdown/mermaid'

/**
 * Mermaid in its strict mode: no HTML labels or click handlers from the diagram's text, which a
 * model (or a tool result it read) wrote. Its diagram types load lazily, as chunks of our own.
 */
export const mermaid = createMermaidPlugin({
  config: { securityLevel: 'strict', fontFamily: 'inherit' },
})
