import { Cable } from 'lucide-react'

/** Decorative: always shown beside the product name, which carries the meaning. */
export function Logo() {
  return (
    <span className="flex size-7 items-center justify-center rounded-md bg-primary text-primary-foreground">
      <Cable className="size-4" aria-hidden="true" />
    </span>
  )
}
