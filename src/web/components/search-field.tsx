import { Search } from 'lucide-react'
import type { ComponentProps, ReactNode } from 'react'
import { cn } from './ui/cn.ts'
import { Input } from './ui/input.tsx'

/** A search box with its magnifier: the filter over a list. `children` sit inside it (a spinner). */
export function SearchField({
  label,
  onValueChange,
  className,
  inputClassName,
  children,
  ...props
}: Omit<ComponentProps<'input'>, 'type' | 'aria-label' | 'onChange'> & {
  /** Its accessible name. */
  label: string
  onValueChange: (value: string) => void
  inputClassName?: string
  children?: ReactNode
}) {
  return (
    <div className={cn('relative', className)}>
      <Search
        className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground"
        aria-hidden="true"
      />
      <Input
        type="search"
        aria-label={label}
        onChange={(event) => onValueChange(event.target.value)}
        className={cn('pl-8', inputClassName)}
        {...props}
      />
      {children}
    </div>
  )
}
