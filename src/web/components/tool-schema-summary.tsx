import { useTranslation } from 'react-i18next'

type JsonObject = Record<string, unknown>

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const MAX_ENUM_VALUES = 4

/** A JSON Schema's type in a few characters: `string`, `number[]`, `"a" | "b"`, `object`. */
export function describeSchemaType(schema: unknown): string {
  if (!isObject(schema)) return 'any'
  if (Array.isArray(schema.enum)) {
    const values = schema.enum.slice(0, MAX_ENUM_VALUES).map((v) => JSON.stringify(v))
    return values.join(' | ') + (schema.enum.length > MAX_ENUM_VALUES ? ' | …' : '')
  }
  if ('const' in schema) return JSON.stringify(schema.const)
  if (Array.isArray(schema.type)) return schema.type.map(String).join(' | ')
  if (schema.type === 'array') return `${describeSchemaType(schema.items)}[]`
  if (typeof schema.type === 'string') return schema.type
  const union = schema.anyOf ?? schema.oneOf
  if (Array.isArray(union)) return union.map(describeSchemaType).join(' | ')
  return 'any'
}

/** The tool's parameters from its input schema: name, type, and whether it is required. */
export function ToolSchemaSummary({ inputSchema }: { inputSchema: JsonObject }) {
  const { t } = useTranslation()
  const properties = isObject(inputSchema.properties) ? Object.entries(inputSchema.properties) : []
  const required = new Set(
    Array.isArray(inputSchema.required) ? inputSchema.required.map(String) : [],
  )
  return (
    <div className="flex flex-col gap-1.5 text-sm">
      <p className="flex gap-2 text-xs text-muted-foreground">
        <span className="font-medium tracking-wide uppercase">{t('tools.parameters')}</span>
        {required.size > 0 && <span aria-hidden="true">{t('tools.requiredLegend')}</span>}
      </p>
      {properties.length === 0 ? (
        <p className="text-muted-foreground">{t('tools.noParameters')}</p>
      ) : (
        <ul className="flex flex-wrap gap-1.5">
          {properties.map(([name, schema]) => (
            <li
              key={name}
              className="inline-flex max-w-full items-baseline gap-1.5 rounded-md border px-2 py-0.5 font-mono text-xs"
              title={
                isObject(schema) && typeof schema.description === 'string'
                  ? schema.description
                  : undefined
              }
            >
              <span className="font-semibold break-all">{name}</span>
              {required.has(name) && (
                <span className="text-destructive" title={t('tools.required')}>
                  <span aria-hidden="true">*</span>
                  <span className="sr-only">{t('tools.requiredLabel')}</span>
                </span>
              )}
              <span className="break-all text-muted-foreground">{describeSchemaType(schema)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
