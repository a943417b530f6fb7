/** Joins class names, skipping falsy ones. Later classes do not override earlier ones: avoid conflicts. */
export function cn(...classes: Array<string | false | null | undefined>): string {
  return classes.filter(Boolean).join(' ')
}
