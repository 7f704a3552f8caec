// A tracer and a logger that keep everything the client emits, for tests that look for what must not be there (the
// token): every span with its attributes and events, every log line at every level with its annotations and cause.
import { Cause, type Context, type Exit, Layer, Logger, LogLevel, type Option, Tracer } from "effect"

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
    readonly context: Context.Context<never>,
    readonly kind: Tracer.SpanKind,
    startTime: bigint
  ) {
    this.status = { _tag: "Started", startTime }
  }
  end(endTime: bigint, exit: Exit.Exit<unknown, unknown>) {
    this.status = { _tag: "Ended", startTime: this.status.startTime, endTime, exit }
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

/** Hands every span started and every log line (any level: message, annotations, cause) to the given callbacks. */
export const recorder = (on: {
  readonly span: (span: RecordingSpan) => void
  readonly line: (line: string) => void
}): Layer.Layer<never> =>
  Layer.mergeAll(
    Layer.setTracer(Tracer.make({
      span: (name, parent, context, _links, startTime, kind) => {
        const span = new RecordingSpan(name, parent, context, kind, startTime)
        on.span(span)
        return span
      },
      context: (f) => f()
    })),
    Logger.replace(
      Logger.defaultLogger,
      Logger.make(({ annotations, cause, logLevel, message }) =>
        on.line(
          `${logLevel.label} ${JSON.stringify(message)} ${JSON.stringify([...annotations])} ${Cause.pretty(cause)}`
        )
      )
    ),
    Logger.minimumLogLevel(LogLevel.All)
  )
