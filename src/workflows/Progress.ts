/**
 * Progress of provisioning runs as typed events on a PubSub, read as a Stream by a CLI or a log.
 *
 * @since 1.0.0
 */
// The workflows: imports `effect` and workflows/ProvisionResult only.
import { Context, Effect, Layer, PubSub, Schema, Stream } from "effect"
import { Entry, RolledBack, Step } from "./ProvisionResult.js"

/**
 * A step began, with how many entities it covers.
 *
 * @since 1.0.0
 * @category events
 */
export const StepStarted = Schema.TaggedStruct("StepStarted", {
  executionId: Schema.String,
  step: Step,
  total: Schema.Number
})

/**
 * One entity is done: `entry.status` says created, adopted, updated, kept, skipped or unconfirmed.
 *
 * @since 1.0.0
 * @category events
 */
export const EntityDone = Schema.TaggedStruct("EntityDone", {
  executionId: Schema.String,
  step: Step,
  entry: Entry
})

/**
 * A create got no answer (`after` names the error), and the entity was found and adopted instead of being sent again.
 *
 * @since 1.0.0
 * @category events
 */
export const Adopted = Schema.TaggedStruct("Adopted", {
  executionId: Schema.String,
  step: Step,
  entry: Entry,
  after: Schema.String
})

/**
 * A step finished, with how many entities ended in each status (`created`, `kept`, ...).
 *
 * @since 1.0.0
 * @category events
 */
export const StepDone = Schema.TaggedStruct("StepDone", {
  executionId: Schema.String,
  step: Step,
  counts: Schema.Record(Schema.String, Schema.Number)
})

/**
 * An entity this run created was removed by the rollback (or could not be).
 *
 * @since 1.0.0
 * @category events
 */
export const Compensated = Schema.TaggedStruct("Compensated", {
  executionId: Schema.String,
  rolledBack: RolledBack
})

/**
 * The run ended.
 *
 * @since 1.0.0
 * @category events
 */
export const Finished = Schema.TaggedStruct("Finished", {
  executionId: Schema.String,
  outcome: Schema.Literals(["succeeded", "failed"])
})

/**
 * Every progress event.
 *
 * @since 1.0.0
 * @category events
 */
export const ProgressEvent = Schema.Union([StepStarted, EntityDone, Adopted, StepDone, Compensated, Finished])

/**
 * Any progress event (the type of the `ProgressEvent` schema).
 *
 * @since 1.0.0
 * @category events
 */
export type ProgressEvent = typeof ProgressEvent.Type

/**
 * Where runs publish their events. A run resumed by the durable engine publishes again the events of the steps it
 * replays from its journal, so a subscriber of the new process sees the whole run.
 *
 * @since 1.0.0
 * @category models
 */
export interface Service {
  readonly publish: (event: ProgressEvent) => Effect.Effect<void>
  /** Every event published from now on, by every run. */
  readonly events: Stream.Stream<ProgressEvent>
}

/**
 * The progress of the runs of this process.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { Progress } from "effect-make"
 *
 * const printer = Progress.events.pipe(Stream.runForEach((event) => Effect.log(Progress.render(event))))
 * ```
 *
 * @since 1.0.0
 * @category tags
 */
export class Progress extends Context.Service<Progress, Service>()("effect-make/workflows/Progress") {}

/**
 * An unbounded PubSub of events: publishing never waits for a slow subscriber.
 *
 * @since 1.0.0
 * @category layers
 */
export const layer: Layer.Layer<Progress> = Layer.effect(
  Progress,
  Effect.gen(function*() {
    const pubsub = yield* Effect.acquireRelease(PubSub.unbounded<ProgressEvent>(), PubSub.shutdown)
    return {
      publish: (event) => Effect.asVoid(PubSub.publish(pubsub, event)),
      events: Stream.fromPubSub(pubsub)
    }
  })
)

/**
 * The events published from now on (subscribe before starting the run to see all of its events).
 *
 * @since 1.0.0
 * @category accessors
 */
export const events: Stream.Stream<ProgressEvent, never, Progress> = Stream.unwrap(
  Effect.map(Progress, (progress) => progress.events)
)

/**
 * One line of text for an event, as a CLI prints it.
 *
 * @example
 * ```ts
 * import { Progress } from "effect-make"
 *
 * const line = Progress.render({ _tag: "StepStarted", executionId: "…", step: "teams", total: 3 })
 * assert.strictEqual(line, "teams: 3 to apply")
 * ```
 *
 * @since 1.0.0
 * @category rendering
 */
export const render = (event: ProgressEvent): string => {
  switch (event._tag) {
    case "StepStarted":
      return `${event.step}: ${event.total} to apply`
    case "EntityDone":
      return `  ${event.entry.resource} ${event.entry.key}${
        event.entry.id === undefined ? "" : ` (${event.entry.id})`
      }: ${event.entry.status}${event.entry.detail === undefined ? "" : ` — ${event.entry.detail}`}`
    case "Adopted":
      return `  ${event.entry.resource} ${event.entry.key}: the create got no answer (${event.after}); found it, adopted ${
        event.entry.id ?? ""
      }`.trimEnd()
    case "StepDone":
      return `${event.step}: done (${
        Object.entries(event.counts).map(([status, count]) => `${count} ${status}`).join(", ") || "nothing to do"
      })`
    case "Compensated":
      return `  rolled back ${event.rolledBack.resource} ${event.rolledBack.key} (${event.rolledBack.id}): ${event.rolledBack.outcome}`
    case "Finished":
      return `run ${event.outcome}`
  }
}
