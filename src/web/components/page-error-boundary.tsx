import { Component, type ReactNode } from 'react'
import { ErrorState } from './error-state.tsx'

/**
 * Keeps a page that fails to render from blanking the whole app: the shell stays, the page shows
 * the error with "Try again". Keyed by the path where it is used, so navigating away resets it.
 */
export class PageErrorBoundary extends Component<{ children: ReactNode }, { error: unknown }> {
  override state: { error: unknown } = { error: null }

  static getDerivedStateFromError(error: unknown) {
    return { error }
  }

  override componentDidCatch(error: unknown) {
    console.error('page failed to render', error)
  }

  override render() {
    if (this.state.error) {
      return <ErrorState error={this.state.error} onRetry={() => this.setState({ error: null })} />
    }
    return this.props.children
  }
}
