import type {
  ClientOptions,
  Implementation,
  McpSubscription,
  Request,
  RequestMethod,
  RequestOptions,
  ResultTypeMap,
  StandardSchemaV1,
  SubscriptionFilter,
} from '@modelcontextprotocol/client'
import { Client } from '@modelcontextprotocol/client'

/**
 * The SDK `Client` with the server's request timeout (`timeouts.requestMs`, else
 * `mcp.requestTimeoutMs`) as the deadline of every request that sets none, where the SDK would
 * use its own 60 s: a task's cancel, a `subscriptions/listen` acknowledgement, anything sent
 * without one. Tool calls and checks (ping, tool lists) keep the deadlines they pass.
 */
export class UpstreamClient extends Client {
  readonly #requestTimeoutMs: number

  constructor(info: Implementation, options: ClientOptions, requestTimeoutMs: number) {
    super(info, options)
    this.#requestTimeoutMs = requestTimeoutMs
  }

  override request<M extends RequestMethod>(
    request: { method: M; params?: Record<string, unknown> },
    options?: RequestOptions,
  ): Promise<ResultTypeMap[M]>
  override request<T extends StandardSchemaV1>(
    request: Request,
    resultSchema: T,
    options?: RequestOptions,
  ): Promise<StandardSchemaV1.InferOutput<T>>
  override request(
    request: Request,
    schemaOrOptions?: StandardSchemaV1 | RequestOptions,
    options?: RequestOptions,
  ): Promise<unknown> {
    if (isSchema(schemaOrOptions)) {
      return super.request(request, schemaOrOptions, this.withTimeout(options))
    }
    // Without a schema the SDK accepts spec methods only, and says so for any other.
    const specRequest = request as { method: RequestMethod }
    return super.request(specRequest, this.withTimeout(schemaOrOptions))
  }

  override listen(filter: SubscriptionFilter, options?: RequestOptions): Promise<McpSubscription> {
    return super.listen(filter, this.withTimeout(options))
  }

  private withTimeout(options: RequestOptions | undefined): RequestOptions {
    if (options?.timeout !== undefined) return options
    return { ...options, timeout: this.#requestTimeoutMs }
  }
}

function isSchema(value: StandardSchemaV1 | RequestOptions | undefined): value is StandardSchemaV1 {
  return typeof value === 'object' && value !== null && '~standard' in value
}
