/**
 * OpenTelemetry traces (README: "Traces"): one trace from the HTTP request through the chat
 * turn, its model requests (the AI SDK's own spans) and each tool call to the upstream
 * `tools/call`, whose `params._meta` carries the W3C trace context on to the MCP server
 * (MCP 2026-07-28, SEP-414). On when an OTLP endpoint is configured (`config.tracing.url`).
 * Off, every part is a pass-through and the AI SDK gets no tracer: nothing is recorded, sent or
 * propagated.
 *
 * One tracer provider per app, built by the composition root and flushed by its `close()`,
 * never registered as the API's global provider: two apps in one process (tests) trace apart.
 * Services get the one narrow part they use (`tracing.http`, `tracing.chat`,
 * `tracing.toolCalls`), as with metrics.
 *
 * @module
 */
import {
  type Context,
  type ContextManager,
  context,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api'
import { ExportResultCode, W3CTraceContextPropagator } from '@opentelemetry/core'
import type { SpanExporter } from '@opentelemetry/sdk-trace'
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_VERSION,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions'
import type { TelemetrySettings } from 'ai'
import type { ChatMessageStatus } from '../../shared/chat.ts'
import type { ToolCallSource, ToolCallStatus } from '../../shared/tool-calls.ts'
import type { Config } from '../config/config.ts'
import type { Logger } from '../log.ts'

/** One HTTP request, in its server span (`GET /api/user/mcp-servers/:id`). */
export interface HttpTracing {
  /**
   * Runs `handle` (the rest of the middleware chain) in the request's span, which continues the
   * caller's trace when the request carries a `traceparent` header. `handle` says how it went:
   * the route pattern that answered, the status, and the error behind a 5xx.
   */
  request(
    input: { method: string; path: string; header: (name: string) => string | undefined },
    handle: () => Promise<{ route: string; status: number; error?: unknown }>,
  ): Promise<void>
}

/** One chat answer (`chat.turn`), with the AI SDK's spans of its model requests inside. */
export interface ChatTracing {
  /** The AI SDK's `experimental_telemetry`: prompts and outputs are never recorded. */
  modelTelemetry: TelemetrySettings
  turn(input: { conversationId: string; model: string }): TurnSpan
}

export interface TurnSpan {
  /** `fn`, running with the turn as the active span: what it starts becomes the turn's child. */
  bind<F extends (...args: never[]) => unknown>(fn: F): F
  /** Ends the turn as it ended; `error`: what failed it (a thrown error, or a reason's key). */
  end(input: { status: ChatMessageStatus; error?: unknown }): void
}

/** One tool call through the proxy (`tool_call {tool}`) and its upstream `tools/call`. */
export interface ToolCallTracing {
  /** Runs the call in its span, which ends with the call's final status. */
  call<T extends { status: ToolCallStatus; errorCode: string | null }>(
    input: { callId: string; tool: string; serverId: string; source: ToolCallSource },
    run: () => Promise<T>,
  ): Promise<T>
  /**
   * Runs the upstream request in its client span (`tools/call {tool}`), handing it the span's
   * W3C trace context to send on; null when tracing is off.
   */
  upstream<T>(input: { tool: string }, run: (trace: TraceContext | null) => Promise<T>): Promise<T>
}

/** W3C trace context (https://www.w3.org/TR/trace-context/), as headers or `_meta` carry it. */
export interface TraceContext {
  traceparent: string
  tracestate?: string
}

export interface Tracing {
  /** False: the parts are pass-throughs and nothing is ever sent. */
  enabled: boolean
  http: HttpTracing
  chat: ChatTracing
  toolCalls: ToolCallTracing
  /** Sends the spans still buffered, then stops (the composition root's `close()`, last). */
  close(): Promise<void>
}

const SERVICE_NAME = 'switchboard'
/** GenAI and MCP conventions are not stable yet: their names are copied, not imported. */
const ATTR_GEN_AI_OPERATION_NAME = 'gen_ai.operation.name'
const ATTR_GEN_AI_REQUEST_MODEL = 'gen_ai.request.model'
const ATTR_GEN_AI_TOOL_NAME = 'gen_ai.tool.name'
const ATTR_MCP_METHOD_NAME = 'mcp.method.name'
/** A tool's own error result is data for the model, and a cancel was asked for: not failures. */
const NOT_FAILURES: readonly string[] = ['tool_error', 'cancelled']

const OFF: Tracing = {
  enabled: false,
  http: { request: async (_, handle) => void (await handle()) },
  chat: {
    modelTelemetry: { isEnabled: false },
    turn: () => ({ bind: (fn) => fn, end: () => {} }),
  },
  toolCalls: {
    call: (_, run) => run(),
    upstream: (_, run) => run(null),
  },
  close: async () => {},
}

/**
 * The app's tracing: a tracer provider exporting to `config.tracing.url`, or all pass-throughs.
 * The SDK, the exporter and the context manager are loaded only when tracing is on: an instance
 * that does not trace never holds them in memory.
 */
export async function createTracing(
  config: Pick<Config, 'tracing' | 'version'>,
  log: Logger,
): Promise<Tracing> {
  const { url } = config.tracing
  if (url === null) return OFF
  const [{ AsyncLocalStorageContextManager }, { OTLPTraceExporter }, resources, sdk] =
    await Promise.all([
      import('@opentelemetry/context-async-hooks'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/resources'),
      import('@opentelemetry/sdk-trace'),
    ])
  const { defaultResource, resourceFromAttributes } = resources
  const { BatchSpanProcessor, TracerProvider } = sdk
  registerAsyncContext(new AsyncLocalStorageContextManager())
  const provider = new TracerProvider({
    resource: defaultResource().merge(
      resourceFromAttributes({
        [ATTR_SERVICE_NAME]: SERVICE_NAME,
        [ATTR_SERVICE_VERSION]: config.version,
      }),
    ),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: reportFailures(new OTLPTraceExporter({ url }), url, log),
      }),
    ],
  })
  const tracer = provider.getTracer(SERVICE_NAME, config.version)
  return {
    enabled: true,
    http: httpTracing(tracer),
    chat: chatTracing(tracer),
    toolCalls: toolCallTracing(tracer),
    close: () => provider.shutdown(),
  }
}

/**
 * Spans find their parent in the API's active context, which lives in a process-wide context
 * manager: AsyncLocalStorage carries it across awaits. The first app that traces registers it;
 * it stays, since another app of the process may be tracing with it.
 */
function registerAsyncContext(manager: ContextManager & { disable(): unknown }): void {
  if (!context.setGlobalContextManager(manager.enable())) manager.disable()
}

const propagator = new W3CTraceContextPropagator()

function httpTracing(tracer: Tracer): HttpTracing {
  return {
    async request(input, handle) {
      const caller = propagator.extract(ROOT_CONTEXT, input, {
        keys: () => [],
        get: (carrier, key) => carrier.header(key),
      })
      const span = tracer.startSpan(
        input.method,
        {
          kind: SpanKind.SERVER,
          attributes: { [ATTR_HTTP_REQUEST_METHOD]: input.method, [ATTR_URL_PATH]: input.path },
        },
        caller,
      )
      try {
        const answer = await context.with(trace.setSpan(caller, span), handle)
        // Named by the pattern, known once routing is done (HTTP semantic conventions).
        span.updateName(`${input.method} ${answer.route}`)
        span.setAttributes({
          [ATTR_HTTP_ROUTE]: answer.route,
          [ATTR_HTTP_RESPONSE_STATUS_CODE]: answer.status,
        })
        if (answer.status >= 500) fail(span, answer.error ?? String(answer.status))
      } catch (error) {
        fail(span, error)
        throw error
      } finally {
        span.end()
      }
    },
  }
}

function chatTracing(tracer: Tracer): ChatTracing {
  return {
    modelTelemetry: { isEnabled: true, tracer, recordInputs: false, recordOutputs: false },
    turn(input) {
      const span = tracer.startSpan('chat.turn', {
        attributes: {
          'switchboard.conversation.id': input.conversationId,
          [ATTR_GEN_AI_REQUEST_MODEL]: input.model,
        },
      })
      return {
        bind: (fn) => context.bind(trace.setSpan(context.active(), span), fn),
        end({ status, error }) {
          span.setAttribute('switchboard.chat.status', status)
          if (status === 'error') fail(span, error ?? status)
          span.end()
        },
      }
    },
  }
}

function toolCallTracing(tracer: Tracer): ToolCallTracing {
  return {
    call: (input, run) =>
      tracer.startActiveSpan(
        `tool_call ${input.tool}`,
        {
          attributes: {
            [ATTR_GEN_AI_OPERATION_NAME]: 'execute_tool',
            [ATTR_GEN_AI_TOOL_NAME]: input.tool,
            'switchboard.tool_call.id': input.callId,
            'switchboard.tool_call.source': input.source,
            'switchboard.server.id': input.serverId,
          },
        },
        async (span) => {
          try {
            const state = await run()
            span.setAttribute('switchboard.tool_call.status', state.status)
            if (state.errorCode !== null && !NOT_FAILURES.includes(state.errorCode)) {
              fail(span, state.errorCode)
            }
            return state
          } catch (error) {
            fail(span, error)
            throw error
          } finally {
            span.end()
          }
        },
      ),
    upstream: (input, run) =>
      tracer.startActiveSpan(
        `tools/call ${input.tool}`,
        {
          kind: SpanKind.CLIENT,
          attributes: {
            [ATTR_MCP_METHOD_NAME]: 'tools/call',
            [ATTR_GEN_AI_TOOL_NAME]: input.tool,
          },
        },
        async (span) => {
          try {
            return await run(traceContextOf(context.active()))
          } catch (error) {
            fail(span, error)
            throw error
          } finally {
            span.end()
          }
        },
      ),
  }
}

function traceContextOf(active: Context): TraceContext | null {
  const carrier: Partial<TraceContext> = {}
  propagator.inject(active, carrier, defaultTextMapSetter)
  const { traceparent, tracestate } = carrier
  if (!traceparent) return null
  return tracestate ? { traceparent, tracestate } : { traceparent }
}

/** Marks `span` failed: by an exception (recorded), or by an error code or message. */
function fail(span: Span, error: unknown): void {
  if (error instanceof Error) {
    span.recordException(error)
    span.setAttribute(ATTR_ERROR_TYPE, error.name)
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.message })
  } else {
    span.setAttribute(ATTR_ERROR_TYPE, String(error))
    span.setStatus({ code: SpanStatusCode.ERROR })
  }
}

/**
 * The exporter, saying in the log when spans stop reaching the collector and when they reach it
 * again (once each, not per batch: a collector that is down would otherwise fill the log).
 */
function reportFailures(exporter: SpanExporter, url: string, log: Logger): SpanExporter {
  let failing = false
  return {
    export(spans, done) {
      exporter.export(spans, (result) => {
        const failed = result.code !== ExportResultCode.SUCCESS
        if (failed && !failing) {
          log.warn({ url, err: result.error?.message }, 'traces could not be sent')
        } else if (!failed && failing) {
          log.info({ url }, 'traces are sent again')
        }
        failing = failed
        done(result)
      })
    },
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
  }
}
