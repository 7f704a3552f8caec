// Helpers of the rate-limit, secrets, mock and operation suites: a tracer and a logger that keep everything the client
// emits, and an HttpClient that answers what the test says. Imports `effect` and `effect/http` only.
import { Cause, Effect, Exit, Layer, Logger, type Option, References, Tracer } from "effect"
import type { Context } from "effect"
import { HttpClient, type HttpClientRequest, HttpClientResponse } from "effect/http"

let spanCount = 0

/** A span that keeps its name, attributes and events, for inspection. */
export class RecordingSpan implements Tracer.Span {
  readonly _tag = "Span"
  readonly spanId = String(++spanCount)
  readonly traceId = "trace"
  readonly sampled = true
  readonly attributes = new Map<string, unknown>()
  readonly links: Array<Tracer.SpanLink> = []
  readonly events: Array<string> = []
  status: Tracer.SpanStatus
  constructor(
    readonly name: string,
    readonly parent: Option.Option<Tracer.AnySpan>,
    readonly annotations: Context.Context<never>,
    readonly kind: Tracer.SpanKind,
    startTime: bigint,
    private readonly onEnd: (span: RecordingSpan) => void
  ) {
    this.status = { _tag: "Started", startTime }
  }
  end(endTime: bigint, exit: Exit.Exit<unknown, unknown>) {
    this.status = { _tag: "Ended", startTime: this.status.startTime, endTime, exit }
    this.onEnd(this)
  }
  attribute(key: string, value: unknown) {
    this.attributes.set(key, value)
  }
  event(name: string, _startTime: bigint, attributes?: Record<string, unknown>) {
    this.events.push(`${name} ${JSON.stringify(attributes ?? {})}`)
  }
  addLinks(links: ReadonlyArray<Tracer.SpanLink>) {
    this.links.push(...links)
  }
}

/** A span's attributes, events and how it ended, as text (what an exporter would send). */
export const spanText = (span: RecordingSpan): string =>
  [
    span.name,
    JSON.stringify([...span.attributes].map(([k, v]) => [k, String(v)])),
    ...span.events,
    span.status._tag === "Ended" && Exit.isFailure(span.status.exit) ? Cause.pretty(span.status.exit.cause) : ""
  ].join("\n")

/**
 * Hands every span started (and again when it ends) and every log line (any level, in the logfmt and JSON forms the
 * built-in loggers print, cause included) to the given callbacks.
 */
export const recorder = (on: {
  readonly span: (span: RecordingSpan) => void
  readonly ended?: ((span: RecordingSpan) => void) | undefined
  readonly line: (line: string) => void
}): Layer.Layer<never> =>
  Layer.mergeAll(
    Layer.succeed(
      Tracer.Tracer,
      Tracer.make({
        span: (options) => {
          const span = new RecordingSpan(
            options.name,
            options.parent,
            options.annotations,
            options.kind,
            options.startTime,
            (ended) => on.ended?.(ended)
          )
          on.span(span)
          return span
        }
      })
    ),
    Logger.layer([
      Logger.map(Logger.formatLogFmt, on.line),
      Logger.map(Logger.formatJson, on.line),
      Logger.make(({ cause }) => on.line(Cause.pretty(cause)))
    ]),
    Layer.succeed(References.MinimumLogLevel, "All")
  )

/** The forms an error is printed in: `String`, JSON, message and stack, `Cause.pretty`. */
export const printedForms = (error: unknown): ReadonlyArray<string> => [
  String(error),
  JSON.stringify(error),
  error instanceof Error ? `${error.message}\n${error.stack ?? ""}` : "",
  Cause.pretty(Cause.fail(error))
]

/** One answer: its status, body (none for a 204, whatever is given) and headers over `content-type: application/json`. */
export interface Answer {
  readonly status: number
  readonly body: string | Uint8Array<ArrayBuffer>
  readonly headers?: Readonly<Record<string, string>> | undefined
}

/** A stand-in for Make without a socket: an `HttpClient` answering each request with `answer(request)`. */
export const answering = (answer: (request: HttpClientRequest.HttpClientRequest) => Answer): HttpClient.HttpClient =>
  HttpClient.make((request) =>
    Effect.sync(() => {
      const { body, headers, status } = answer(request)
      // a 204 has no body at all: `Response` refuses even an empty one
      return HttpClientResponse.fromWeb(
        request,
        new Response(status === 204 ? null : body, {
          status,
          headers: { "content-type": "application/json", ...headers }
        })
      )
    })
  )

/** The message of the defect an effect died with, if it died. */
export const defectOf = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<string | undefined, never, R> =>
  Effect.map(Effect.exit(effect), (exit) => {
    if (Exit.isSuccess(exit)) return undefined
    const defect = exit.cause.reasons.find(Cause.isDieReason)
    return defect === undefined
      ? undefined
      : defect.defect instanceof Error
      ? defect.defect.message
      : String(defect.defect)
  })
