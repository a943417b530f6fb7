import type { ModelInfo } from '../../shared/models.ts'

/** "128K", "2M" (English) or "128.000", "2 Mio." (German): a context length as people read it. */
export function formatTokens(tokens: number, language: string): string {
  return new Intl.NumberFormat(language, { notation: 'compact', maximumFractionDigits: 0 }).format(
    tokens,
  )
}

/** Dollars per million tokens: "$15", "$0.60", "$0.025". */
export function formatPrice(dollars: number, language: string): string {
  return new Intl.NumberFormat(language, {
    style: 'currency',
    currency: 'USD',
    minimumFractionDigits: Number.isInteger(dollars) ? 0 : 2,
    maximumFractionDigits: dollars > 0 && dollars < 0.1 ? 3 : 2,
  }).format(dollars)
}

/**
 * Whether every word of the search appears in the model's name or id, in any case: "gpt mini"
 * finds "OpenAI: GPT-4o-mini".
 */
export function matchesModel(model: Pick<ModelInfo, 'id' | 'label'>, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean)
  if (words.length === 0) return true
  const text = `${model.label} ${model.id}`.toLowerCase()
  return words.every((word) => text.includes(word))
}
