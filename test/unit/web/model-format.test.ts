import { describe, expect, it } from 'vitest'
import { acceptsImages } from '../../../src/shared/models.ts'
import {
  formatPrice,
  formatTokens,
  matchesModel,
} from '../../../src/web/components/model-format.ts'

describe('the model picker', () => {
  it('finds a model by every word typed, in its name or id, in any case', () => {
    const model = { id: 'openai/gpt-4o-mini', label: 'OpenAI: GPT-4o-mini' }
    expect(matchesModel(model, 'gpt mini')).toBe(true)
    expect(matchesModel(model, 'OPENAI/GPT')).toBe(true)
    expect(matchesModel(model, '  ')).toBe(true)
    expect(matchesModel(model, 'gpt claude')).toBe(false)
  })

  it('writes context lengths and prices per million tokens as people read them', () => {
    expect(formatTokens(128_000, 'en')).toBe('128K')
    expect(formatTokens(131_072, 'en')).toBe('131K')
    expect(formatTokens(1_048_576, 'en')).toBe('1M')
    expect(formatPrice(0.6, 'en')).toBe('$0.60')
    expect(formatPrice(15, 'en')).toBe('$15')
    expect(formatPrice(0.025, 'en')).toBe('$0.025')
    expect(formatPrice(0.6, 'de')).toMatch(/^0,60\s\$$/)
  })

  it('says a model reads images only when the provider says so', () => {
    expect(acceptsImages({ inputModalities: ['text', 'image'] })).toBe(true)
    expect(acceptsImages({ inputModalities: ['text'] })).toBe(false)
    expect(acceptsImages({ inputModalities: null })).toBeNull()
  })
})
