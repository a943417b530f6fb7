import { reasonOf } from '../../shared/error-reasons.ts'
import type { UserModelKeyView } from '../../shared/model-providers.ts'
import type { SecretBox } from '../crypto/secret-box.ts'
import type { Db } from '../db/database.ts'
import { readUserModelSettings, writeUserModelSettings } from '../db/model-providers.ts'
import { AppError } from '../errors.ts'
import type { ModelDirectory } from './model-directory.ts'

// A user's own OpenRouter key: sealed for them, used for their conversations only (see
// chooseChatModel), and only while the admin allows users to bring their own.

export interface UserModelKeyDeps {
  db: Db
  box: SecretBox
  now: () => Date
  modelDirectory: ModelDirectory
}

export async function getUserModelKey(
  deps: UserModelKeyDeps,
  input: { userId: string },
): Promise<UserModelKeyView> {
  const [setup, settings] = await Promise.all([
    deps.modelDirectory.current(),
    readUserModelSettings(deps.db, input.userId),
  ])
  return { allowed: setup.userKeysAllowed, hasKey: settings.openrouterKey !== null }
}

/** Sets the key; 403 while the admin does not allow users' own keys. */
export async function setUserModelKey(
  deps: UserModelKeyDeps,
  input: { userId: string; apiKey: string },
): Promise<UserModelKeyView> {
  const setup = await deps.modelDirectory.current()
  if (!setup.userKeysAllowed) {
    throw new AppError('forbidden', 'your administrator does not let users bring their own key', {
      reason: reasonOf('modelProvider.userKeysOff', {}),
    })
  }
  await writeUserModelSettings(deps.db, {
    userId: input.userId,
    openrouterKey: deps.box.seal(input.userId, input.apiKey),
    at: deps.now(),
  })
  return { allowed: true, hasKey: true }
}

/** Removes the key (also while keys are not allowed: a user can always take theirs back). */
export async function removeUserModelKey(
  deps: UserModelKeyDeps,
  input: { userId: string },
): Promise<void> {
  await writeUserModelSettings(deps.db, {
    userId: input.userId,
    openrouterKey: null,
    at: deps.now(),
  })
}
