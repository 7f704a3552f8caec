// A call's surroundings entered and left in one region (internal/callScope.ts) against what they replace,
// `mapError` + `locallyWith(currentRedactedNames)` + `withSpan`: for every outcome of the call (success, failure,
// defect, interruption from inside or from outside while it waits) in every surrounding (a parent span or none, links
// and annotations from the caller, tracing on, off or untimed), both give the same exit, record the same spans (name,
// parent, kind, attributes, links, times, exit) and show the call the same span and header names, and both leave the
// caller's span and header names as they found them.
import { Headers } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Chunk, Clock, type Context, Effect, Exit, Fiber, FiberRef, Option, TestClock, Tracer } from "effect"
import * as CallScope from "../../src/internal/callScope.js"

type Run = <A, E, E2>(
  site: CallScope.Site,
  widen: (names: ReadonlyArray<string | RegExp>) => ReadonlyArray<string | RegExp>,
  effect: Effect.Effect<A, E>,
  onFailure: (error: E) => E2
) => Effect.Effect<A, E2>

/** What the call scope replaces, as Effect says it. */
const reference: Run = (site, widen, effect, onFailure) =>
  effect.pipe(
    Effect.mapError(onFailure),
    Effect.locallyWith(Headers.currentRedactedNames, widen),
    Effect.withSpan(site.span, site.options)
  )

const site: CallScope.Site = {
  span: "Make.Organizations.get",
  options: { kind: "client", captureStackTrace: false, attributes: { "make.route": "GET /organizations/{id}" } }
}
const widen = (names: ReadonlyArray<string | RegExp>) => [...names, /^x-echo$/i]

const outcomes = ["succeed", "fail", "die", "interrupt", "waitThenSucceed", "interruptedWhileWaiting"] as const
const tracings = ["on", "off", "untimed"] as const

interface Scenario {
  readonly outcome: typeof outcomes[number]
  readonly parent: boolean
  readonly linked: boolean
  readonly annotated: boolean
  readonly tracing: typeof tracings[number]
}

/** Every combination: 144, few enough to try them all rather than a sample. */
const scenarios: ReadonlyArray<Scenario> = outcomes.flatMap((outcome) =>
  [false, true].flatMap((parent) =>
    [false, true].flatMap((linked) =>
      [false, true].flatMap((annotated) => tracings.map((tracing) => ({ outcome, parent, linked, annotated, tracing })))
    )
  )
)

/** A span as a test can compare it: everything but its ids. */
class Recorded implements Tracer.Span {
  readonly _tag = "Span"
  readonly spanId = "span"
  readonly traceId = "trace"
  readonly sampled = true
  readonly attributes = new Map<string, unknown>()
  status: Tracer.SpanStatus
  constructor(
    readonly name: string,
    readonly parent: Option.Option<Tracer.AnySpan>,
    readonly context: Context.Context<never>,
    readonly links: Array<Tracer.SpanLink>,
    startTime: bigint,
    readonly kind: Tracer.SpanKind
  ) {
    this.status = { _tag: "Started", startTime }
  }
  end(endTime: bigint, exit: Exit.Exit<unknown, unknown>) {
    this.status = { _tag: "Ended", startTime: this.status.startTime, endTime, exit }
  }
  attribute(key: string, value: unknown) {
    this.attributes.set(key, value)
  }
  event() {}
  addLinks(links: ReadonlyArray<Tracer.SpanLink>) {
    this.links.push(...links)
  }
}

const since = (origin: bigint, time: bigint) => time === 0n ? "untimed" : time - origin

const describeExit = (exit: Exit.Exit<unknown, unknown>) =>
  Exit.match(exit, {
    onSuccess: (value) => ({ value }),
    onFailure: (cause) => ({
      failures: Chunk.toReadonlyArray(Cause.failures(cause)),
      defects: Chunk.toReadonlyArray(Cause.defects(cause)).map(String),
      interrupted: Cause.isInterrupted(cause)
    })
  })

/** Times from `origin` (the clock when the observation began; never 0), or 0 when the span was not timed. */
const describeSpan = (origin: bigint) => (span: Recorded) => ({
  name: span.name,
  parent: Option.match(span.parent, { onNone: () => "none", onSome: (p) => p._tag === "Span" ? p.name : p.spanId }),
  kind: span.kind,
  attributes: [...span.attributes].sort(([a], [b]) => a.localeCompare(b)),
  links: span.links.map((link) => link.span.spanId),
  status: span.status._tag === "Ended"
    ? {
      start: since(origin, span.status.startTime),
      end: since(origin, span.status.endTime),
      exit: describeExit(span.status.exit)
    }
    : { start: since(origin, span.status.startTime), end: "open" }
})

/** What the caller sees from where it stands: its span's name and how many header names are redacted. */
const surroundings = Effect.all({
  span: Effect.map(Effect.option(Effect.currentSpan), Option.match({ onNone: () => "none", onSome: (s) => s.name })),
  redacted: Effect.map(FiberRef.get(Headers.currentRedactedNames), (names) => names.length)
})

const observe = (run: Run, scenario: Scenario) =>
  Effect.gen(function*() {
    // the clock only moves forward, from a second past 0 on: a timed span never starts at 0 (which means untimed)
    if ((yield* Clock.currentTimeMillis) === 0) yield* TestClock.adjust("1 second")
    const origin = yield* Clock.currentTimeNanos
    const spans: Array<Recorded> = []
    const tracer = Tracer.make({
      span: (name, parent, context, links, startTime, kind) => {
        const span = new Recorded(name, parent, context, [...links], startTime, kind)
        spans.push(span)
        return span
      },
      context: (f) => f()
    })
    const seen: Array<unknown> = []
    const waits = scenario.outcome === "waitThenSucceed" || scenario.outcome === "interruptedWhileWaiting"
    const inner = Effect.gen(function*() {
      seen.push(yield* surroundings)
      // the test's own fiber moves the clock while a forked call waits; otherwise the call moves it
      if (!waits) yield* TestClock.adjust("1 second")
      switch (scenario.outcome) {
        case "succeed":
          return "answer"
        case "fail":
          return yield* Effect.fail("not found")
        case "die":
          return yield* Effect.die("boom")
        case "interrupt":
          return yield* Effect.interrupt
        case "waitThenSucceed":
          yield* Effect.sleep("2 seconds")
          return "late answer"
        case "interruptedWhileWaiting":
          yield* Effect.sleep("2 seconds")
          return yield* Effect.never
      }
    })
    const call = run(site, widen, inner, (error) => ({ mapped: error }))
    const outcome = waits
      ? Effect.gen(function*() {
        const fiber = yield* Effect.fork(call)
        yield* TestClock.adjust("3 seconds")
        if (scenario.outcome === "interruptedWhileWaiting") yield* Fiber.interrupt(fiber)
        return yield* Fiber.await(fiber)
      })
      : Effect.exit(call)
    // (the caller's own span records this value: the exit as described, Cause trees equal as causes, not as shapes)
    let caller = Effect.all({ before: surroundings, exit: Effect.map(outcome, describeExit), after: surroundings })
    if (scenario.parent) caller = Effect.withSpan(caller, "caller")
    if (scenario.linked) caller = Effect.linkSpans(caller, Tracer.externalSpan({ spanId: "linked", traceId: "t" }))
    if (scenario.annotated) caller = Effect.annotateSpans(caller, "tenant", "t1")
    if (scenario.tracing === "off") caller = Effect.withTracerEnabled(caller, false)
    if (scenario.tracing === "untimed") caller = Effect.withTracerTiming(caller, false)
    const { after, before, exit } = yield* Effect.withTracer(caller, tracer)
    return { exit, spans: spans.map(describeSpan(origin)), seen, before, after }
  })

describe("CallScope.run", () => {
  it.effect("gives the same exit, spans and surroundings as mapError + locallyWith + withSpan, in all 144 cases", () =>
    Effect.gen(function*() {
      expect(scenarios).toHaveLength(144)
      for (const scenario of scenarios) {
        const ours = yield* observe(CallScope.run, scenario)
        const theirs = yield* observe(reference, scenario)
        expect({ scenario, ...ours }).toStrictEqual({ scenario, ...theirs })
        // and the caller's surroundings are as the call found them
        expect(ours.after).toStrictEqual(ours.before)
      }
    }))

  it.effect("a failed call's span ends with the mapped failure, under the caller's span, at the clock's time", () =>
    Effect.gen(function*() {
      const observed = yield* observe(CallScope.run, {
        outcome: "fail",
        parent: true,
        linked: false,
        annotated: true,
        tracing: "on"
      })
      expect(observed.exit).toStrictEqual({ failures: [{ mapped: "not found" }], defects: [], interrupted: false })
      const call = observed.spans.find((span) => span.name === site.span)
      expect(call).toMatchObject({
        parent: "caller",
        kind: "client",
        attributes: [["make.route", "GET /organizations/{id}"], ["tenant", "t1"]],
        status: { start: 0n, end: 1_000_000_000n, exit: observed.exit }
      })
      expect(observed.seen).toStrictEqual([{ span: site.span, redacted: observed.before.redacted + 1 }])
    }))
})
