// The `provision` and `decommission` commands: the workflows from the shell, with a live progress display on a TTY
// (step, counts, elapsed) and plain lines otherwise (JSON lines with --json). Floor "the command": workflows/, cli/.
/**
 * The `provision [--plan] [--keep-partial] [--concurrency N]` and `decommission` commands of `effect-make`, over the workflows on the
 * in-memory engine (`Workflows.layerMemory`).
 *
 * @since 1.0.0
 */
import { Clock, Effect, Option, Ref, Schedule, type Scope, Stream } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import * as Decommission from "../workflows/Decommission.js"
import * as Plan from "../workflows/Plan.js"
import * as Progress from "../workflows/Progress.js"
import * as Provision from "../workflows/Provision.js"
import type * as ProvisionOptions from "../workflows/ProvisionOptions.js"
import * as ProvisionResult from "../workflows/ProvisionResult.js"
import * as ProvisionSpec from "../workflows/ProvisionSpec.js"
import * as Workflows from "../workflows/Workflows.js"
import * as Global from "./Global.js"
import * as Output from "./Output.js"

const specArg = Argument.File("SPEC", { mustExist: true }).pipe(
  Argument.withDescription("Spec file (.json, .yaml): organization, teams, variables, invitations, featureControls")
)

/**
 * A plan as table rows, one per entity of the spec in the order a run takes them, every row with the same columns
 * (a table cell never holds a JSON array).
 */
const planRows = (plan: ProvisionResult.Plan) =>
  [plan.organization, ...plan.teams, ...plan.variables, ...plan.invitations, ...plan.featureControls].map((
    change
  ) => ({
    resource: change.resource,
    key: change.key,
    id: change.id,
    action: change.action,
    detail: change.detail
  }))

/** What a decommission removed, as table rows with the same columns each. */
const removedRows = (result: ProvisionResult.DecommissionResult) =>
  result.removed.map((entity) => ({
    resource: entity.resource,
    key: entity.key,
    id: entity.id,
    outcome: entity.outcome,
    detail: entity.detail
  }))

interface Display {
  readonly step: string
  readonly done: number
  readonly total: number
}

/**
 * Prints every progress event while `program` runs: on a TTY a status line redrawn in place (step, done/total,
 * elapsed) above the finished steps; otherwise one plain line per event on stderr; with `json`, one JSON line per
 * event on stdout.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as WorkflowCommands from "effect-make/cli/WorkflowCommands"
 *
 * const shown = (run: Effect.Effect<number>) => WorkflowCommands.withProgress(run, false)
 * ```
 *
 * @since 1.0.0
 * @category progress
 */
export const withProgress = <A, E, R>(
  program: Effect.Effect<A, E, R>,
  json: boolean
): Effect.Effect<A, E, R | Output.Output | Progress.Progress | Scope.Scope> =>
  Effect.gen(function*() {
    const output = yield* Effect.service(Output.Output)
    const started = yield* Clock.currentTimeMillis
    const state = yield* Ref.make<Display>({ step: "", done: 0, total: 0 })
    const live = output.tty && !json
    const elapsed = Effect.map(Clock.currentTimeMillis, (now) => `${((now - started) / 1000).toFixed(1)}s`)
    const status = Effect.gen(function*() {
      const s = yield* Ref.get(state)
      if (s.step === "") return
      yield* output.stderrInline(`\r\x1b[K${s.step}: ${s.done}/${s.total}  ${yield* elapsed}`)
    })
    const clear = live ? output.stderrInline("\r\x1b[K") : Effect.void
    const onEvent = (event: Progress.ProgressEvent) =>
      Effect.gen(function*() {
        if (json) return yield* output.stdout(Output.toJson(event))
        if (!live) return yield* output.stderr(Progress.render(event))
        switch (event._tag) {
          case "StepStarted":
            yield* Ref.set(state, { step: event.step, done: 0, total: event.total })
            break
          case "EntityDone":
          case "Adopted":
            yield* Ref.update(state, (s) => ({ ...s, done: s.done + 1 }))
            break
          default:
            yield* clear
            yield* output.stderr(`${Progress.render(event)}  ${yield* elapsed}`)
        }
        yield* status
      })
    yield* Effect.forkScoped(Progress.events.pipe(Stream.runForEach(onEvent)))
    // let the subscription start before the run publishes its first event
    yield* Effect.yieldNow
    if (live) yield* Effect.forkScoped(Effect.repeat(status, Schedule.spaced("100 millis")))
    const result = yield* program
    // the last events reach the printer (an unbounded PubSub) before the display is cleared
    yield* Effect.sleep("10 millis")
    yield* clear
    return result
  })

/**
 * The run's options from the flags; none given is no options at all, so that the run is the one `provision(spec)` of
 * the library starts (options take part in the execution id). An out-of-range `--concurrency` is the library's
 * `InvalidInput`, checked before any request.
 */
const runOptions = (keepPartial: boolean, concurrency: Option.Option<number>): ProvisionOptions.Options | undefined =>
  !keepPartial && Option.isNone(concurrency) ? undefined : {
    ...(keepPartial ? { onFailure: "keep" as const } : {}),
    ...(Option.isSome(concurrency) ? { concurrency: concurrency.value } : {})
  }

/** A workflow program over the in-memory engine, its services from the chosen API (real Make or the emulator). */
const onEngine = <A, E, R>(program: Effect.Effect<A, E, R>) => Effect.provide(program, Workflows.layerMemory)

const provision = Command.make(
  "provision",
  {
    spec: specArg,
    plan: Flag.Boolean("plan").pipe(Flag.withDescription("Only show what would change"), Flag.withDefault(false)),
    keepPartial: Flag.Boolean("keep-partial").pipe(
      Flag.withDescription("On failure keep what was created instead of rolling it back"),
      Flag.withDefault(false)
    ),
    concurrency: Flag.Int("concurrency").pipe(
      Flag.withDescription("How many calls of one step are sent at once, 1 to 64 (default 5)"),
      Flag.optional
    )
  },
  ({ concurrency, keepPartial, plan, spec: file }) =>
    Effect.flatMap(Global.root, (globals) =>
      Global.run(onEngine(
        Effect.gen(function*() {
          const spec = yield* ProvisionSpec.load(file)
          const options = runOptions(keepPartial, concurrency)
          if (plan) {
            const planned = yield* Plan.plan(spec, options)
            return globals.json ? planned : planRows(planned)
          }
          const result = yield* withProgress(Provision.provision(spec, options), globals.json)
          return globals.json ? result : ProvisionResult.entries(result)
        })
      )))
).pipe(Command.withDescription("Create or update an organization from a spec file; re-running resumes safely"))

const decommission = Command.make(
  "decommission",
  {
    target: Argument.String("ORG_ID|SPEC").pipe(
      Argument.withDescription("The organization's id, or the spec file it was provisioned from")
    ),
    maxAttempts: Flag.Int("max-attempts").pipe(
      Flag.withDescription("Tries per call on transient failures"),
      Flag.optional
    )
  },
  ({ maxAttempts, target }) =>
    Effect.flatMap(Global.root, (globals) =>
      Global.run(onEngine(
        Effect.gen(function*() {
          const subject = /^\d+$/.test(target) ? Number(target) : yield* ProvisionSpec.load(target)
          const result = yield* withProgress(
            Decommission.decommission(subject, { maxAttempts: Option.getOrUndefined(maxAttempts) }),
            globals.json
          )
          return globals.json ? result : removedRows(result)
        })
      )))
).pipe(Command.withDescription("Delete an organization and everything in it (its teams, variables, ...)"))

/**
 * `effect-make provision` and `effect-make decommission`.
 *
 * @since 1.0.0
 * @category commands
 */
export const commands = [provision, decommission] as const
