/** A problem with how the command was called: printed with usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}

/** A failure the operator can act on: its message is printed as one line, exit code 1. */
export class CommandError extends Error {
  override name = 'CommandError'
}
