/**
 * The workflows' per-organization rate limit across the replicas of a cluster: one window per organization, held by
 * the `effect/cluster` entity `effect-make/OrganizationLimiter` (its shard decides which runner keeps it), whose
 * leases every replica's runs wait for.
 *
 * @since 1.0.0
 */
// The cluster limits, behind the durable entry (with the durable engine) so that the main entry never loads
// `effect/cluster`: imports `effect` (with `effect/cluster`, `effect/rpc`), the client (MakeConfig), workflows/.
import { Clock, Deferred, Duration, Effect, Layer, Schedule, Schema } from "effect"
import { Entity, Sharding } from "effect/cluster"
import { Rpc } from "effect/rpc"
import type * as RateLimit from "../internal/rateLimiter.js"
import * as MakeConfig from "../MakeConfig.js"
import { LeaseWindow } from "./internal/leaseWindow.js"
import * as Limits from "./internal/limits.js"

/**
 * Waits until the window of the organization has room for one more request (first come, first served), then takes
 * a slot for the lease `lease` (chosen by the caller, unique in the cluster: asking again for a lease already
 * granted answers at once). `limit`: the window's limit for this request (a run told one limit for every
 * organization); absent, the limit learned for the organization, else the lowest plan's.
 *
 * @since 1.0.0
 * @category rpcs
 */
export const Acquire = Rpc.make("Acquire", {
  payload: { lease: Schema.String, limit: Schema.optional(Schema.Int) }
})

/**
 * The request of `lease` has its answer (or failed, or was abandoned): its slot counts until a window from now.
 *
 * @since 1.0.0
 * @category rpcs
 */
export const Release = Rpc.make("Release", { payload: { lease: Schema.String } })

/**
 * The organization's licence allows `apiLimit` requests a minute.
 *
 * @since 1.0.0
 * @category rpcs
 */
export const Learn = Rpc.make("Learn", { payload: { apiLimit: Schema.Int } })

/**
 * The entity that keeps one organization's window (its id: `organization-{id}`, or `shared` for the requests about
 * no organization). Every runner registers it (see {@link layer}); the shard of the id decides which one holds it.
 *
 * @since 1.0.0
 * @category entities
 */
export const OrganizationLimiter = Entity.make("effect-make/OrganizationLimiter", [Acquire, Release, Learn])

/**
 * The entity id of the window a request counts against.
 *
 * @example
 * ```ts
 * import { ClusterLimits } from "effect-make/workflows/durable"
 *
 * ClusterLimits.entityId(42) // "organization-42"
 * ClusterLimits.entityId(undefined) // "shared"
 * ```
 *
 * @since 1.0.0
 * @category entities
 */
export const entityId = (organizationId: RateLimit.OrganizationId): string =>
  organizationId === undefined ? "shared" : `organization-${organizationId}`

/**
 * How the cluster's windows count. `leaseTimeout`: how long a lease never released (its replica died mid-request)
 * counts from its grant; it must cover the longest attempt (`MakeConfig.timeout`) plus the window, plus the time a
 * grant takes to reach its caller. Default: the client's default timeout + 60 s + 30 s.
 *
 * @since 1.0.0
 * @category models
 */
export interface Options {
  readonly leaseTimeout?: Duration.Input | undefined
}

const window = Duration.minutes(1)

/** The default {@link Options.leaseTimeout}: a default attempt, the window, and a margin for the grant's way back. */
const defaultLeaseTimeout = Duration.sum(Duration.sum(MakeConfig.defaultTimeout, window), Duration.seconds(30))

/** Millis now on the entity's clock: every time a window holds is on its runner's clock. */
const now = Clock.currentTimeMillis

/**
 * Waits for `lease`'s turn and a free slot, then grants it. The window is changed only in synchronous steps; while it
 * cannot grant, the handler sleeps until the earliest slot frees or until something changes (a release, a learned
 * limit, a waiter leaving). Interrupted (its caller gave up), the lease leaves the queue.
 */
const acquire = (state: LeaseWindow, lease: string, limit: number | undefined): Effect.Effect<void> => {
  const attempt: Effect.Effect<void> = Effect.flatMap(now, (at) => {
    if (state.tryGrant(lease, limit, at)) return Effect.void
    const changed = Deferred.await(state.changed())
    const freesAt = state.freesAt(at)
    const wait = freesAt === undefined ? changed : Effect.raceFirst(changed, Effect.sleep(freesAt - at))
    return Effect.andThen(wait, attempt)
  })
  return Effect.suspend(() => {
    if (state.isGranted(lease)) return Effect.void
    state.enqueue(lease)
    return Effect.onInterrupt(attempt, () => Effect.sync(() => state.leave(lease)))
  })
}

/**
 * The entity's handlers: one {@link LeaseWindow} per activation. Handlers run concurrently (an `Acquire` that waits
 * must not hold up the `Release` that frees its slot). The entity is kept at least a lease timeout and a window after
 * its last message, so that it never drops a slot that still counts.
 */
const entityLayer = (leaseTimeout: Duration.Duration) =>
  OrganizationLimiter.toLayer(
    Effect.sync(() => {
      const state = new LeaseWindow(Limits.lowestApiLimit, Duration.toMillis(window), Duration.toMillis(leaseTimeout))
      return OrganizationLimiter.of({
        Acquire: ({ payload }) => acquire(state, payload.lease, payload.limit),
        Release: ({ payload }) => Effect.map(now, (at) => state.release(payload.lease, at)),
        Learn: ({ payload }) => Effect.sync(() => state.learn(payload.apiLimit))
      })
    }),
    { concurrency: "unbounded", maxIdleTime: Duration.sum(leaseTimeout, window) }
  )

/**
 * How long a caller keeps asking while the cluster cannot deliver (the entity moving between runners, a runner
 * restarting): a run waits for its permit as it would for a full window, and dies past this, saying why.
 */
const deliveryRetry = Schedule.min([Schedule.exponential("100 millis"), Schedule.spaced("5 seconds")]).pipe(
  Schedule.upTo({ duration: "2 minutes" })
)

/**
 * The {@link Limits.Limits} of the cluster: each permit a lease of the organization's entity, released when the task
 * ends (however it ends). A task interrupted while it waits takes no slot: the interruption reaches the entity's
 * handler, which takes the lease out of the queue.
 */
const clientLimits: Effect.Effect<Limits.Limits, never, Sharding.Sharding> = Effect.gen(function*() {
  const clientFor = yield* OrganizationLimiter.client
  const sharding = yield* Sharding.Sharding
  const delivered = <A, E>(effect: Effect.Effect<A, E>, what: string) =>
    effect.pipe(
      Effect.retry(deliveryRetry),
      Effect.mapError((error) => new Error(`${what} not delivered: ${String(error)}`)),
      Effect.orDie
    )
  const limiter = (organizationId: RateLimit.OrganizationId, requestsPerMinute?: number): RateLimit.Limiter => {
    const entity = clientFor(entityId(organizationId))
    return (task) =>
      Effect.uninterruptibleMask((restore) =>
        Effect.gen(function*() {
          const lease = String(yield* sharding.getSnowflake)
          yield* restore(delivered(entity.Acquire({ lease, limit: requestsPerMinute }), "OrganizationLimiter.Acquire"))
          return yield* restore(task).pipe(
            Effect.onExit(() => Effect.ignore(entity.Release({ lease })))
          )
        })
      )
  }
  return {
    limiter,
    learn: (organizationId, apiLimit) =>
      delivered(clientFor(entityId(organizationId)).Learn({ apiLimit }), "OrganizationLimiter.Learn")
  }
})

/**
 * The workflows' rate limits shared by every replica of a cluster: registers the `OrganizationLimiter` entity on
 * this runner and provides the limits the runs take their permits from. Give it to `Workflows.layerWith` on each
 * replica, over the cluster's `Sharding`.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { TestRunner } from "effect/cluster"
 * import { WorkflowEngine } from "effect/workflow"
 * import { Workflows } from "effect-make"
 * import { ClusterLimits } from "effect-make/workflows/durable"
 *
 * const workflows = Workflows.layerWith({ limits: ClusterLimits.layer() }).pipe(
 *   Layer.provideMerge(WorkflowEngine.layerMemory),
 *   Layer.provide(TestRunner.layer)
 * )
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layer = (options?: Options): Layer.Layer<Limits.OrganizationLimits, never, Sharding.Sharding> => {
  const leaseTimeout = Duration.fromInputUnsafe(options?.leaseTimeout ?? defaultLeaseTimeout)
  return Layer.effect(Limits.OrganizationLimits, clientLimits).pipe(Layer.merge(entityLayer(leaseTimeout)))
}
