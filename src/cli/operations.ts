import { z } from 'zod'
import type { AppDeps } from '../server/app-deps.ts'
import { createAccount } from '../server/auth/accounts.ts'
import { createApiToken } from '../server/auth/api-tokens.ts'
import { describeIssues } from '../server/config/load-config.ts'
import { findUserByEmail } from '../server/db/users.ts'
import { AppError } from '../server/errors.ts'
import { ApiTokenCreateSchema, RegisterSchema, UserRoleSchema } from '../shared/auth.ts'

interface Operation<I extends z.ZodType, O extends z.ZodType> {
  input: I
  output: O
  run(deps: AppDeps, input: z.output<I>): Promise<z.input<O>>
}

function defineOperation<I extends z.ZodType, O extends z.ZodType>(op: Operation<I, O>) {
  return op
}

/**
 * The writes a CLI command makes either in its own process or, while `serve` has the embedded
 * database, inside that process through the control channel. Each is defined once, so both paths
 * run the same code on input parsed by the same schema.
 */
export const OPERATIONS = {
  'user.create': defineOperation({
    input: RegisterSchema.extend({ role: UserRoleSchema.optional() }),
    output: z.object({ id: z.string(), email: z.string(), role: UserRoleSchema }),
    run: async (deps, { role, ...account }) => {
      const user = await createAccount(deps, role ? { ...account, role } : account)
      return { id: user.id, email: user.email, role: user.role }
    },
  }),
  'token.create': defineOperation({
    input: ApiTokenCreateSchema.extend({ email: z.string() }),
    output: z.object({ secret: z.string() }),
    run: async (deps, input) => {
      const user = await findUserByEmail(deps.db, { email: input.email })
      if (!user) throw new AppError('not_found', `no user with email ${input.email}`)
      return { secret: (await createApiToken(deps, { userId: user.id, name: input.name })).secret }
    },
  }),
}

export type OperationName = keyof typeof OPERATIONS
export type OperationInput<N extends OperationName> = z.input<(typeof OPERATIONS)[N]['input']>
export type OperationOutput<N extends OperationName> = z.output<(typeof OPERATIONS)[N]['output']>

export function isOperationName(name: string): name is OperationName {
  return Object.hasOwn(OPERATIONS, name)
}

/** Parses the input with the operation's schema and runs it. */
export async function performOperation<N extends OperationName>(
  deps: AppDeps,
  name: N,
  input: unknown,
): Promise<OperationOutput<N>> {
  const op: Operation<z.ZodType, z.ZodType> = OPERATIONS[name]
  const parsed = op.input.safeParse(input)
  if (!parsed.success) throw new AppError('validation_failed', describeIssues(parsed.error))
  return op.output.parse(await op.run(deps, parsed.data)) as OperationOutput<N>
}
