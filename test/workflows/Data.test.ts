// The workflows' data on Effect 4: run options checked before any request, progress events published and rendered,
// and a run's failure a Schema the durable engine can journal (encoded and decoded back to the same error).
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Fiber, Schema, Stream } from "effect"
import * as Progress from "../../src/workflows/Progress.js"
import * as ProvisionOptions from "../../src/workflows/ProvisionOptions.js"
import { Conflict, entries, ProvisionFailed, type ProvisionResult } from "../../src/workflows/ProvisionResult.js"

describe("ProvisionOptions", () => {
  it.effect("fills in the defaults and lists every bad option", () =>
    Effect.gen(function*() {
      expect(yield* ProvisionOptions.resolveOptions()).toEqual(ProvisionOptions.defaultOptions)
      expect(yield* ProvisionOptions.resolveOptions({ concurrency: 8, rateLimit: { requestsPerMinute: 30 } }))
        .toEqual({ ...ProvisionOptions.defaultOptions, concurrency: 8, rateLimit: { requestsPerMinute: 30 } })
      const error = yield* Effect.flip(ProvisionOptions.resolveOptions({ concurrency: 0, maxAttempts: 21 }))
      expect(error).toMatchObject({ _tag: "InvalidInput", operation: "provision options" })
      expect(error.issues.map((issue) => issue.split(":")[0])).toEqual(["concurrency", "maxAttempts"])
    }))
})

describe("Progress", () => {
  it("renders each event as one line", () => {
    const entry = { resource: "team", key: "Support", id: 42, status: "created" } as const
    expect([
      Progress.render({ _tag: "StepStarted", executionId: "x", step: "teams", total: 3 }),
      Progress.render({ _tag: "EntityDone", executionId: "x", step: "teams", entry }),
      Progress.render({ _tag: "Adopted", executionId: "x", step: "teams", entry, after: "ServerError" }),
      Progress.render({ _tag: "StepDone", executionId: "x", step: "teams", counts: { created: 2, kept: 1 } }),
      Progress.render({ _tag: "StepDone", executionId: "x", step: "variables", counts: {} }),
      Progress.render({
        _tag: "Compensated",
        executionId: "x",
        rolledBack: { resource: "team", key: "Support", id: 42, outcome: "deleted" }
      }),
      Progress.render({ _tag: "Finished", executionId: "x", outcome: "failed" })
    ]).toEqual([
      "teams: 3 to apply",
      "  team Support (42): created",
      "  team Support: the create got no answer (ServerError); found it, adopted 42",
      "teams: done (2 created, 1 kept)",
      "variables: done (nothing to do)",
      "  rolled back team Support (42): deleted",
      "run failed"
    ])
  })

  it.effect("a subscriber sees the events published after it subscribed, in order", () =>
    Effect.gen(function*() {
      const progress = yield* Progress.Progress
      const seen = yield* Deferred.make<void>()
      const collected = yield* Progress.events.pipe(
        Stream.tap(() => Deferred.succeed(seen, undefined)),
        Stream.takeUntil((event) => event._tag === "Finished"),
        Stream.runCollect,
        Effect.forkChild
      )
      // The stream subscribes once its fiber runs: publish until it has seen one event, whenever that is.
      while (!(yield* Deferred.isDone(seen))) {
        yield* progress.publish({ _tag: "StepStarted", executionId: "x", step: "organization", total: 1 })
        yield* Effect.yieldNow
      }
      yield* progress.publish({ _tag: "Finished", executionId: "x", outcome: "succeeded" })
      const events = yield* Fiber.join(collected)
      expect(events.at(-1)).toEqual({ _tag: "Finished", executionId: "x", outcome: "succeeded" })
      expect(events.slice(0, -1).every((event) => event._tag === "StepStarted")).toBe(true)
    }).pipe(Effect.provide(Progress.layer)))
})

describe("ProvisionResult", () => {
  it("a failure survives the journal: encoded and decoded back, message and all", () => {
    const failed = new ProvisionFailed({
      executionId: "x",
      step: "organization",
      error: new Conflict({ resource: "organization", detail: "2 organizations are named \"Acme\"" }),
      rolledBack: [{ resource: "team", key: "Support", id: 42, outcome: "gone" }],
      applied: []
    })
    const decoded = Schema.decodeUnknownSync(ProvisionFailed)(Schema.encodeSync(ProvisionFailed)(failed))
    expect(decoded).toEqual(failed)
    expect(decoded.message).toBe(
      "Provisioning failed at step \"organization\": The spec's organization is ambiguous: 2 organizations are named " +
        "\"Acme\"; rolled back team Support (gone)"
    )
  })

  it("lists a result's entries, organization first", () => {
    const result: ProvisionResult = {
      executionId: "x",
      organization: { resource: "organization", key: "Acme", id: 11, status: "kept" },
      teams: [{ resource: "team", key: "Support", id: 42, status: "created" }],
      variables: [{ resource: "variable", key: "tier", status: "skipped", detail: "no licence" }],
      invitations: [],
      featureControls: [{ resource: "featureControl", key: "7", id: 7, status: "updated" }]
    }
    expect(entries(result).map((entry) => entry.key)).toEqual(["Acme", "Support", "tier", "7"])
  })
})
