// decommission(organizationId | spec): teams, then the organization (confirmed), each reported. Ported from the
// Effect 3 line: the in-memory engine over the emulator, TestClock.
import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Exit, Option } from "effect"
import * as Emulator from "../../src/testing/Emulator.js"
import * as Decommission from "../../src/workflows/Decommission.js"
import * as Provision from "../../src/workflows/Provision.js"
import { acmeSpec, layer, runTimeout, settle, succeed } from "./helpers.js"

const failureTag = <A, E extends { readonly _tag: string }>(exit: Exit.Exit<A, E>) =>
  Exit.isFailure(exit) ? Option.map(Cause.findErrorOption(exit.cause), (e) => e._tag) : Option.none()

describe("decommission", { timeout: runTimeout }, () => {
  it.effect("removes the spec's organization: its teams one by one, then the organization with confirmed=true", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const spec = acmeSpec("Rho", 2)
      const provisioned = succeed(yield* settle(Provision.provision(spec)))
      const id = provisioned.organization.id
      const teams = (yield* emulator.teams(id)).filter((t) => !t.deleted)
      yield* emulator.clearRequests
      const result = succeed(yield* settle(Decommission.decommission(spec)))
      expect(result).toEqual({
        organizationId: id,
        removed: [
          ...teams.map((t) => ({ resource: "team", key: t.name, id: t.id, outcome: "deleted" })),
          { resource: "organization", key: String(id), id, outcome: "deleted" }
        ]
      })
      expect((yield* emulator.requests).filter((r) => r.method === "DELETE").map((r) => [r.path, r.query])).toEqual([
        ...teams.map((t) => [`/admin/teams/${t.id}`, {}]),
        [`/organizations/${id}`, { confirmed: "true" }]
      ])
      expect(yield* emulator.organization(id)).toEqual(Option.none())
    }).pipe(Effect.provide(layer())))

  it.effect("by id, an organization with active scenarios; an organization already gone removes nothing", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const result = succeed(yield* settle(Decommission.decommission(11)))
      expect(result.removed.map((r) => `${r.resource} ${r.id} ${r.outcome}`)).toEqual([
        // in Make's listing order
        "team 22 deleted",
        "team 21 deleted",
        "organization 11 deleted"
      ])
      expect(yield* emulator.organization(11)).toEqual(Option.none())
      const none = yield* settle(Decommission.decommission(acmeSpec("Never provisioned")))
      expect(none).toEqual(Exit.succeed({ organizationId: 0, removed: [] }))
    }).pipe(Effect.provide(layer())))

  it.effect("by id, an organization that does not exist is NotFound, and nothing is removed", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const exit = yield* settle(Decommission.decommission(99))
      expect(failureTag(exit)).toEqual(Option.some("NotFound"))
      expect((yield* emulator.requests).map((r) => `${r.method} ${r.path}`)).toEqual(["GET /organizations/99"])
      // the same for an organization a completed run removed: the second run finds nothing to decommission
      const first = yield* settle(Decommission.decommission(12))
      expect(Exit.isSuccess(first)).toBe(true)
      const again = yield* settle(Decommission.decommission(12))
      expect(failureTag(again)).toEqual(Option.some("NotFound"))
    }).pipe(Effect.provide(layer())))
})
