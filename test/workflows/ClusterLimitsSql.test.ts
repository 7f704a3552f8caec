// The cluster limits' slots in PostgreSQL (ClusterLimits.slotsSql): kept by lease, the latest end of each, those that
// no longer count deleted; a window that moves to a fresh runner over the same database starts from the slots still
// counting; the limits on a SingleRunner over PostgreSQL (the durable engine's runner), and under a
// ClusterWorkflowEngine provisioning a spec (the shape a replica takes). Real time, asserted by counts (a wait of two
// seconds shows a full window): the local PostgreSQL, a database of its own.
import { PgClient } from "@effect/sql-pg"
import { describe, expect, it } from "@effect/vitest"
import { Clock, Context, Effect, Exit, Layer, Option, Schema, Scope } from "effect"
import { ClusterWorkflowEngine, SingleRunner, TestRunner } from "effect/cluster"
import * as Digest from "effect/crypto/Digest"
import * as Emulator from "../../src/testing/Emulator.js"
import * as MakeTest from "../../src/testing/MakeTest.js"
import * as ClusterLimits from "../../src/workflows/ClusterLimits.js"
import * as Limits from "../../src/workflows/internal/limits.js"
import * as Provision from "../../src/workflows/Provision.js"
import * as Workflows from "../../src/workflows/Workflows.js"
import { acmeSpec } from "./helpers.js"
import { admin, connect, freshDatabase, probe } from "./postgres.js"

const Row = Schema.Struct({ entity_id: Schema.String, lease: Schema.String, until: Schema.Number })

/** The rows of the slots' table, as the database holds them. */
const rows = Effect.gen(function*() {
  const sql = yield* PgClient.PgClient
  const found = yield* sql`select entity_id, lease, until_ms::float8 as until from effect_make_organization_slots
    order by entity_id, lease`
  return yield* Schema.decodeUnknownEffect(Schema.Array(Row))(found)
})

/** Waits until the runner holds its shards (a message sent before is retried a moment later). */
const ready = Effect.flatMap(
  ClusterLimits.OrganizationLimiter.client,
  (client) => client("ready").Learn({ apiLimit: 60 })
)

const postgres = await probe("the cluster limits' SQL tests")

/** A fresh database of its own, its client, and the slots over it. */
const database = Effect.gen(function*() {
  if (!postgres.reachable) return yield* Effect.die(`PostgreSQL is unreachable under CI: ${postgres.detail}`)
  return connect(yield* freshDatabase("effect_make_slots"))
})

describe.skipIf(postgres.skip)("ClusterLimits.slotsSql (PostgreSQL)", () => {
  it.live("keeps each lease's latest end; a write drops its window's slots past, a window's start everyone's", () =>
    Effect.gen(function*() {
      const client = yield* database
      yield* Effect.gen(function*() {
        const slots = yield* ClusterLimits.Slots
        yield* slots.save("organization-42", ["a", 70_000], 0)
        yield* slots.save("organization-42", ["b", 30_000], 0)
        yield* slots.save("organization-42", ["a", 90_000.5], 10_000)
        yield* slots.save("shared", ["c", 40_000], 10_000)
        yield* slots.save("organization-7", ["d", 40_000], 10_000)
        // a write drops its window's slots that no longer count: `b` at 35 s
        yield* slots.save("organization-42", ["e", 95_000], 35_000)
        expect((yield* rows).map((row) => row.lease)).toEqual(["a", "e", "d", "c"])
        // a window's start drops everyone's: `c` and `d` at 50 s
        expect(yield* slots.load("organization-42", 50_000)).toEqual([["a", 90_001], ["e", 95_000]])
        expect(yield* rows).toEqual([
          { entity_id: "organization-42", lease: "a", until: 90_001 },
          { entity_id: "organization-42", lease: "e", until: 95_000 }
        ])
      }).pipe(Effect.provide(ClusterLimits.slotsSql.pipe(Layer.provideMerge(client))))
    }).pipe(Effect.scoped, Effect.provide(admin)))

  it.live("replicas starting together on an empty database all create the slots' table (one at a time)", () =>
    Effect.gen(function*() {
      const name = yield* freshDatabase("effect_make_slots")
      // eight processes' worth of pools, each its own connections, building the store at once
      const built = yield* Effect.forEach(
        Array.from({ length: 8 }, () => ClusterLimits.slotsSql.pipe(Layer.provide(connect(name)))),
        (layer) => Effect.exit(Effect.scoped(Layer.build(layer))),
        { concurrency: "unbounded" }
      )
      expect(built.filter(Exit.isFailure)).toEqual([])
    }).pipe(Effect.scoped, Effect.provide(admin)))

  it.live(
    "a window moved to a fresh runner over the same database still counts the slots granted before",
    () =>
      Effect.gen(function*() {
        const client = yield* Layer.build(yield* database)
        const cluster = ClusterLimits.layer().pipe(
          Layer.provideMerge(TestRunner.layer),
          Layer.provide(ClusterLimits.slotsSql),
          Layer.provide(Layer.succeedContext(client))
        )
        // the first runner: two slots of a window of 2, taken and released at once; then it stops
        const first = yield* Scope.make()
        const before = Context.get(yield* Layer.buildWithScope(cluster, first), Limits.OrganizationLimits)
        const started = yield* Clock.currentTimeMillis
        yield* Effect.all([before.limiter(42, 2)(Effect.void), before.limiter(42, 2)(Effect.void)])
        yield* Scope.close(first, Exit.void)
        const kept = yield* Effect.provideContext(rows, client)
        expect(kept.map((row) => row.entity_id)).toEqual(["organization-42", "organization-42"])
        // released: each counts a minute from its answer, not the lease timeout
        for (const row of kept) expect(row.until - started).toBeGreaterThanOrEqual(60_000)
        for (const row of kept) expect(row.until - started).toBeLessThan(61_000 + 5_000)
        // the next runner: the window of 2 is full for a minute; a third request waits (a second shows it; it could
        // pass only if the window had started empty)
        const next = yield* Layer.build(cluster)
        yield* Effect.provideContext(ready, next)
        const after = Context.get(next, Limits.OrganizationLimits)
        const third = yield* Effect.timeoutOption(after.limiter(42, 2)(Effect.succeed("sent")), "2 seconds")
        expect(Option.isNone(third)).toBe(true)
        // another organization's window is empty on it
        expect(yield* after.limiter(43, 2)(Effect.succeed("sent"))).toBe("sent")
      }).pipe(Effect.scoped, Effect.provide(admin)),
    { timeout: 30_000 }
  )

  it.live(
    "on the durable engine's SingleRunner over PostgreSQL: two replicas' callers share one window of 3",
    () =>
      Effect.gen(function*() {
        const client = yield* Layer.build(yield* database)
        const runner = yield* Layer.build(
          SingleRunner.layer({ runnerStorage: "sql" }).pipe(
            Layer.provide(Layer.succeedContext(client)),
            Layer.provide(Digest.layerWebCrypto)
          )
        )
        const [north, south] = yield* Effect.forEach([1, 2], () =>
          Effect.map(
            Layer.build(
              ClusterLimits.layerSql().pipe(
                Layer.fresh,
                Layer.provide(Layer.succeedContext(Context.merge(client, runner)))
              )
            ),
            Context.get(Limits.OrganizationLimits)
          ))
        if (north === undefined || south === undefined) return yield* Effect.die("two replicas")
        yield* Effect.provideContext(ready, runner)
        let sent = 0
        const call = Effect.sync(() => ++sent)
        // 3 each, at once: 3 go, the other 3 wait for the minute (two seconds show it; they could go only over the limit)
        const all = Effect.all(
          [north, south, north, south, north, south].map((limits) => limits.limiter(42, 3)(call)),
          {
            concurrency: "unbounded"
          }
        )
        const done = yield* Effect.timeoutOption(all, "2 seconds")
        expect(Option.isNone(done)).toBe(true)
        expect(sent).toBe(3)
        const kept = yield* Effect.provideContext(rows, client)
        expect(kept.filter((row) => row.entity_id === "organization-42")).toHaveLength(3)
      }).pipe(Effect.scoped, Effect.provide(admin)),
    { timeout: 60_000 }
  )

  it.live(
    "the durable engine (ClusterWorkflowEngine on a SingleRunner) with the cluster's windows provisions a spec",
    () =>
      Effect.gen(function*() {
        const client = yield* database
        // the shape a replica takes: the engine over a runner over PostgreSQL, the workflows over both
        const runner = SingleRunner.layer({ runnerStorage: "sql" }).pipe(
          Layer.provideMerge(client),
          Layer.provide(Digest.layerWebCrypto)
        )
        const engine = ClusterWorkflowEngine.layer.pipe(Layer.provideMerge(runner))
        const live = Workflows.layerWith({ limits: ClusterLimits.layerSql() }).pipe(
          Layer.provideMerge(engine),
          Layer.provideMerge(MakeTest.layer({ syncDelay: "100 millis", rateLimit: true }))
        )
        const { log, result } = yield* Effect.gen(function*() {
          const result = yield* Provision.provision(acmeSpec("Cluster Limits Co", 3))
          const log = yield* Effect.flatMap(Emulator.Emulator, (emulator) => emulator.requests)
          return { log, result }
        }).pipe(Effect.provide(live))
        expect(result.organization.status).toBe("created")
        expect(log.filter((request) => request.status === 429)).toEqual([])
        // each request the run sent took a slot of the cluster's windows, written to the database
        const kept = yield* Effect.provideContext(rows, yield* Layer.build(client))
        expect(kept.length).toBe(log.length)
      }).pipe(Effect.scoped, Effect.provide(admin)),
    { timeout: 60_000 }
  )
})
