/**
 * The workflows' per-organization rate limit across the replicas of a cluster: one sliding window per organization,
 * kept by the `effect/cluster` entity `effect-make/OrganizationLimiter` (the shard of the organization decides which
 * runner holds it), whose leases every replica's requests wait for. Three replicas provisioning into one organization
 * of 60 a minute then send it 60 a minute between them, where the windows of each process (`Workflows.layer`) would
 * let each send 60.
 *
 * How a window counts (as the in-process one does): a request takes a lease before it is sent (`Acquire`: first come,
 * first served, at most the limit of leases counting), and gives it back when its answer comes (`Release`); the slot
 * counts until a minute after the release reaches the entity, since Make counts a request when it arrives. A lease
 * never released (its replica died mid-request) counts until {@link Options.leaseTimeout} after its grant. A caller
 * interrupted while it waits leaves the queue. `Learn` raises (or lowers) the organization's limit for every replica.
 *
 * When a window moves (its runner died, or the shards were rebalanced), the next runner starts it from the slots
 * {@link Slots} kept (each grant and release is written before it is answered), not empty: an empty window would let
 * up to a limit more through within the minute. The learned limit is not kept: a moved window is back at the lowest
 * plan's until a run reads the organization again (slower, never over).
 *
 * @since 1.0.0
 */
// The cluster limits, behind the durable entry (with the durable engine) so that the main entry never loads
// `effect/cluster`: imports `effect` (with `effect/cluster`, `effect/rpc`, `effect/sql`), the client (MakeConfig),
// workflows/.
import { Clock, Context, Deferred, Duration, Effect, Layer, Schedule, Schema } from "effect"
import { Entity, Sharding } from "effect/cluster"
import { Rpc } from "effect/rpc"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import type * as RateLimit from "../internal/rateLimiter.js"
import * as MakeConfig from "../MakeConfig.js"
import { LeaseWindow } from "./internal/leaseWindow.js"
import * as Limits from "./internal/limits.js"

/** A limit: a whole number of requests a minute, at least 1. */
const Limit = Schema.Int.check(Schema.isGreaterThan(0))

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
  payload: { lease: Schema.String, limit: Schema.optional(Limit) }
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
export const Learn = Rpc.make("Learn", { payload: { apiLimit: Limit } })

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

/**
 * A slot as the store keeps it: the lease, and when it stops counting (millis on the clock of the runner that wrote
 * it).
 *
 * @since 1.0.0
 * @category models
 */
export type Slot = readonly [lease: string, until: number]

/**
 * Where each window's slots are written as they change, so that a window that moves to another runner (its runner
 * died, or the shards were rebalanced) starts from the slots that still count rather than empty: an empty window
 * would let through up to a limit more within the minute. `load` and `save` drop the slots that no longer count at `now`
 * (so the store holds about what the windows count). The grant's write completes before `Acquire` answers, so a
 * request never goes out on a slot the store does not know.
 *
 * @since 1.0.0
 * @category services
 */
export class Slots extends Context.Service<Slots, {
  readonly load: (entityId: string, now: number) => Effect.Effect<ReadonlyArray<Slot>, SqlError>
  readonly save: (entityId: string, slot: Slot, now: number) => Effect.Effect<void, SqlError>
}>()("effect-make/workflows/ClusterLimits/Slots") {}

/**
 * The slots in this process's memory: enough when the windows never leave the process (`TestRunner`, one
 * `SingleRunner`), and for tests; a cluster of several processes needs {@link slotsSql}.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { ClusterLimits } from "effect-make/workflows/durable"
 *
 * const limits = ClusterLimits.layer().pipe(Layer.provide(ClusterLimits.slotsMemory))
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const slotsMemory: Layer.Layer<Slots> = Layer.sync(Slots, () => {
  const byEntity = new Map<string, Map<string, number>>()
  const prune = (entityId: string, now: number): Map<string, number> => {
    const slots = byEntity.get(entityId) ?? new Map<string, number>()
    // deleting the entry being visited is safe while iterating a Map
    for (const [lease, until] of slots) if (until <= now) slots.delete(lease)
    if (slots.size === 0) byEntity.delete(entityId)
    return slots
  }
  return {
    load: (entityId, now) => Effect.sync(() => [...prune(entityId, now)]),
    save: (entityId, [lease, until], now) =>
      Effect.sync(() => {
        byEntity.set(entityId, prune(entityId, now).set(lease, until))
      })
  }
})

const SlotRows = Schema.Array(Schema.Struct({ lease: Schema.String, until: Schema.Number }))

/**
 * The slots in the cluster's database (the `SqlClient` its runners share), in the table
 * `effect_make_organization_slots` (made on start when missing): one row a lease; rows that no longer count are
 * deleted as the window writes (its own) and starts (everyone's). Times are each runner's clock: keep the runners' clocks in step (NTP); a runner a second ahead
 * lets a moved window free its slots a second early.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { ClusterLimits } from "effect-make/workflows/durable"
 *
 * const limits = ClusterLimits.layer().pipe(Layer.provide(ClusterLimits.slotsSql))
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const slotsSql: Layer.Layer<Slots, SqlError, SqlClient.SqlClient> = Layer.effect(
  Slots,
  Effect.gen(function*() {
    const sql = (yield* SqlClient.SqlClient).withoutTransforms()
    // `create table if not exists` is not safe when replicas start together on an empty database (two creations race
    // on pg_type's unique index and one fails): one process at a time, under a transaction-scoped advisory lock.
    yield* sql.unsafe(`select pg_advisory_xact_lock(${slotsTableLock})`).pipe(
      Effect.andThen(sql`create table if not exists effect_make_organization_slots (
        entity_id text not null, lease text not null, until_ms bigint not null, primary key (entity_id, lease))`),
      sql.withTransaction
    )
    const decode = Schema.decodeUnknownEffect(SlotRows)
    return {
      load: (entityId, now) =>
        Effect.gen(function*() {
          yield* sql`delete from effect_make_organization_slots where until_ms <= ${now}`
          const rows = yield* sql`select lease, until_ms::float8 as until from effect_make_organization_slots
            where entity_id = ${entityId}`
          return (yield* Effect.orDie(decode(rows))).map((row): Slot => [row.lease, row.until])
        }),
      save: (entityId, [lease, until], now) =>
        Effect.asVoid(Effect.andThen(
          sql`delete from effect_make_organization_slots where entity_id = ${entityId} and until_ms <= ${now}`,
          sql`insert into effect_make_organization_slots (entity_id, lease, until_ms)
            values (${entityId}, ${lease}, ${Math.ceil(until)})
            on conflict (entity_id, lease) do update set until_ms = excluded.until_ms`
        ))
    }
  })
)

/** The advisory lock held while the slots' table is created: one 64-bit key ("slots" in ASCII), apart from the
 * engine's migration lock and from the cluster's shard locks (pairs of 32-bit keys, a separate space). */
const slotsTableLock = 0x736c6f7473

/** The store's retries before a window gives up on it (see {@link entityLayer}). */
const storeRetry = Schedule.exponential("50 millis").pipe(Schedule.upTo({ times: 4 }))

/** Millis now on the entity's clock: every time a window holds is on its runner's clock. */
const now = Clock.currentTimeMillis

/**
 * Waits for `lease`'s turn and a free slot, then grants it. The window is changed only in synchronous steps; while it
 * cannot grant, the handler sleeps until the earliest slot frees or until something changes (a release, a learned
 * limit, a waiter leaving). Interrupted (its caller gave up), the lease leaves the queue.
 */
const acquire = (
  state: LeaseWindow,
  lease: string,
  limit: number | undefined,
  save: (slot: Slot, now: number) => Effect.Effect<void>
): Effect.Effect<void> => {
  const attempt: Effect.Effect<void> = Effect.flatMap(now, (at) => {
    if (state.tryGrant(lease, limit, at)) return save([lease, at + state.leaseMillis], at)
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
 * The entity's handlers: one {@link LeaseWindow} per activation, starting from the slots {@link Slots} kept for it
 * (those that still count), each change written back. A store that fails (after a few retries) is logged, not fatal:
 * a window that cannot load starts full (a limit of slots counting for a lease timeout: too slow for a while, never
 * too fast); a write that fails leaves that slot unknown to the next runner, should the window move. Handlers run
 * concurrently (an `Acquire` that waits must not hold up the `Release` that frees its slot). The entity is kept a
 * lease timeout and a window after its last message, so that a slot still counting is never dropped with it.
 */
const entityLayer = (leaseTimeout: Duration.Duration) =>
  OrganizationLimiter.toLayer(
    Effect.gen(function*() {
      const { entityId } = yield* Entity.CurrentAddress
      const slots = yield* Slots
      const state = new LeaseWindow(Limits.lowestApiLimit, Duration.toMillis(window), Duration.toMillis(leaseTimeout))
      const started = yield* now
      state.restore(
        yield* slots.load(entityId, started).pipe(
          Effect.retry(storeRetry),
          Effect.catch((error) =>
            Effect.as(
              Effect.logWarning(`OrganizationLimiter ${entityId}: slots not loaded, starting full`, error),
              Array.from({ length: state.limit }, (_, i): Slot => [`unknown-${i}`, started + state.leaseMillis])
            )
          )
        )
      )
      const save = (slot: Slot, at: number) =>
        slots.save(entityId, slot, at).pipe(
          Effect.retry(storeRetry),
          Effect.catch((error) => Effect.logWarning(`OrganizationLimiter ${entityId}: slot not saved`, error))
        )
      return OrganizationLimiter.of({
        Acquire: ({ payload }) => acquire(state, payload.lease, payload.limit, save),
        Release: ({ payload }) =>
          Effect.flatMap(now, (at) => {
            state.release(payload.lease, at)
            return save([payload.lease, at + state.windowMillis], at)
          }),
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
 * A release that cannot be delivered (the entity moving, its runner gone) is given up after a few tries and a bound:
 * the lease then counts until its timeout, later than needed but never too early, and the task's end is not held up.
 */
const release = <E>(send: Effect.Effect<void, E>): Effect.Effect<void> =>
  send.pipe(
    Effect.retry(Schedule.exponential("100 millis").pipe(Schedule.upTo({ times: 3 }))),
    Effect.timeoutOption("10 seconds"),
    Effect.ignore
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
          return yield* restore(task).pipe(Effect.onExit(() => release(entity.Release({ lease }))))
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
 * replica, over the cluster's `Sharding` and the {@link Slots} ({@link layerSql}: in the cluster's database).
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { TestRunner } from "effect/cluster"
 * import { WorkflowEngine } from "effect/workflow"
 * import { Workflows } from "effect-make"
 * import { ClusterLimits } from "effect-make/workflows/durable"
 *
 * // one process: the windows never leave it, their slots may stay in memory
 * const limits = ClusterLimits.layer().pipe(Layer.provide(ClusterLimits.slotsMemory))
 * const workflows = Workflows.layerWith({ limits }).pipe(
 *   Layer.provideMerge(WorkflowEngine.layerMemory),
 *   Layer.provide(TestRunner.layer)
 * )
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layer = (
  options?: Options
): Layer.Layer<Limits.OrganizationLimits, never, Sharding.Sharding | Slots> => {
  const leaseTimeout = Duration.fromInputUnsafe(options?.leaseTimeout ?? defaultLeaseTimeout)
  return Layer.effect(Limits.OrganizationLimits, clientLimits).pipe(Layer.merge(entityLayer(leaseTimeout)))
}

/**
 * {@link layer} with the slots in the cluster's database ({@link slotsSql}): what each replica of a cluster on
 * PostgreSQL gives `Workflows.layerWith`, over the cluster's `Sharding` and `SqlClient`.
 *
 * @example
 * ```ts
 * import { Workflows } from "effect-make"
 * import { ClusterLimits } from "effect-make/workflows/durable"
 *
 * // provide the cluster's Sharding and SqlClient (with the engine) below it
 * const workflows = Workflows.layerWith({ limits: ClusterLimits.layerSql() })
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layerSql = (
  options?: Options
): Layer.Layer<Limits.OrganizationLimits, SqlError, Sharding.Sharding | SqlClient.SqlClient> =>
  layer(options).pipe(Layer.provide(slotsSql))
