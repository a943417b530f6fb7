import { Ajv, type Options, type ValidateFunction } from 'ajv'
import { Ajv2019 } from 'ajv/dist/2019.js'
import { Ajv2020 } from 'ajv/dist/2020.js'

/**
 * JSON Schema for the tools' schemas, in one place: which dialect a schema declares, and ajv
 * engines for it. Discovery compiles a tool's schemas to prove they are usable; the tool-call
 * proxy compiles them to validate arguments.
 */

export type Dialect = '2020-12' | '2019-09' | 'draft-07'
const DIALECTS: Record<string, Dialect> = {
  'json-schema.org/draft/2020-12/schema': '2020-12',
  'json-schema.org/draft/2019-09/schema': '2019-09',
  'json-schema.org/draft-07/schema': 'draft-07',
  'json-schema.org/draft-06/schema': 'draft-07',
}

/**
 * The JSON Schema dialect a schema declares (`$schema`); none means 2020-12, the MCP default
 * (spec 2025-11-25, basic, "JSON Schema Usage"; SEP-1613), as the SDK's own validator assumes.
 * Throws for a dialect we do not know.
 */
export function dialectOf(declared: unknown): Dialect {
  if (declared === undefined) return '2020-12'
  const key =
    typeof declared === 'string' ? declared.replace(/^https?:\/\//, '').replace(/#$/, '') : ''
  const dialect = DIALECTS[key]
  if (!dialect) throw new Error(`unsupported $schema ${JSON.stringify(declared).slice(0, 80)}`)
  return dialect
}

const PURPOSES = {
  // Only validity matters: no optimized code, no schema registry.
  prove: { addUsedSchema: false, code: { optimize: false, source: false } },
  // Every problem, so the user and the model can fix them all at once.
  validate: { allErrors: true },
} satisfies Record<string, Options>

/**
 * Compiles tool schemas, one ajv engine per dialect made on first use (`strict: false`: servers
 * use keywords of their own; formats are not checked). Each schema is compiled against its
 * engine's own meta-schema, since `$schema` spellings (http/https, '#') vary; a throw means the
 * schema is not usable.
 */
export function createSchemaCompiler(
  purpose: keyof typeof PURPOSES,
): (schema: Record<string, unknown>) => ValidateFunction {
  const engines = new Map<Dialect, Ajv>()
  const options: Options = {
    strict: false,
    logger: false,
    validateFormats: false,
    ...PURPOSES[purpose],
  }
  return (schema) => {
    const dialect = dialectOf(schema.$schema)
    let engine = engines.get(dialect)
    if (!engine) {
      engine =
        dialect === '2020-12'
          ? new Ajv2020(options)
          : dialect === '2019-09'
            ? new Ajv2019(options)
            : new Ajv(options)
      engines.set(dialect, engine)
    }
    const { $schema: _declared, $id: _id, ...body } = schema
    return engine.compile(body)
  }
}
