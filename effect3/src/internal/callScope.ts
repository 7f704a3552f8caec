// One service method call's surroundings, entered and left once: its client span (the parent of everything inside
// and ended with the call's exit), the header names the platform's spans and logs redact (widened), and the mapping
// of its failures. Internal to MakeClient; imports `effect` and `@effect/platform`.
//
// Why not `Effect.withSpan` + `Effect.locallyWith` + `Effect.mapError`, which say the same: each of the first two is
// an acquire/use/release of its own (`withSpan` one for the span and one for the parent in context, `locallyWith` one
// for the header names), about sixty runtime steps per call in all, which measured as the largest share of a
// loopback call's CPU that was ours (bench/run.ts). Here one uninterruptible region does all of it in about fifteen.
// The span is still made by `Effect.makeSpan`, so tracer, parent, links, annotations, timing and a disabled tracer
// follow Effect's own rules, and it ends as `withSpan` ends it.
/**
 * @since 0.1.0
 * @internal
 */
import { Headers } from "@effect/platform"
import { Cause, Clock, Context, Effect, Exit, FiberRef, FiberRefs, Tracer } from "effect"

/**
 * Where a call comes from: its span's name and options.
 *
 * @internal
 */
export interface Site {
  readonly span: string
  readonly options: Tracer.SpanOptions
}

/**
 * What a call's span says of where it comes from: a client span named `Make.<Service>.<method>`, with the route and
 * the HTTP method. A library method's call site says nothing the span name does not, so no stack trace is captured
 * (it costs one).
 *
 * @internal
 */
export const site = (call: { readonly span: string; readonly route: string; readonly method: string }): Site => ({
  span: call.span,
  options: {
    kind: "client",
    captureStackTrace: false,
    attributes: { "make.route": call.route, "http.request.method": call.method }
  }
})

/**
 * Runs `effect` under a new span named by `site`, with `widen` applied to the header names the platform redacts,
 * every failure mapped by `onFailure` (before the span records the exit). Whatever the exit, including interruption,
 * both fiber refs get their values back and the span ends, as with `withSpan` and `locallyWith`.
 *
 * @internal
 */
export const run = <A, E, E2>(
  site: Site,
  widen: (names: ReadonlyArray<string | RegExp>) => ReadonlyArray<string | RegExp>,
  effect: Effect.Effect<A, E>,
  onFailure: (error: E) => E2
): Effect.Effect<A, E2> =>
  Effect.uninterruptibleMask((restore) =>
    Effect.flatMap(Effect.makeSpan(site.span, site.options), (span) =>
      Effect.withFiberRuntime((fiber) => {
        const context = fiber.currentContext
        const names = fiber.getFiberRef(Headers.currentRedactedNames)
        const clock = Context.get(fiber.currentDefaultServices, Clock.Clock)
        const timed = fiber.getFiberRef(FiberRef.currentTracerTimingEnabled)
        const set = (value: Context.Context<never>, redacted: ReadonlyArray<string | RegExp>) =>
          Effect.updateFiberRefs((fiberId, refs) =>
            FiberRefs.updateAs(
              FiberRefs.updateAs(refs, { fiberId, fiberRef: FiberRef.currentContext, value }),
              { fiberId, fiberRef: Headers.currentRedactedNames, value: redacted }
            )
          )
        const leave = (exit: Exit.Exit<A, E2>) =>
          Effect.zipRight(
            set(context, names),
            Effect.suspend(() => {
              // as `withSpan` ends it: once, at the clock's time when timing is on
              if (span.status._tag !== "Ended") span.end(timed ? clock.unsafeCurrentTimeNanos() : BigInt(0), exit)
              return exit
            })
          )
        return Effect.zipRight(
          set(Context.add(context, Tracer.ParentSpan, span), widen(names)),
          Effect.matchCauseEffect(restore(effect), {
            onFailure: (cause) => leave(Exit.failCause(Cause.map(cause, onFailure))),
            onSuccess: (value) => leave(Exit.succeed(value))
          })
        )
      }))
  )
