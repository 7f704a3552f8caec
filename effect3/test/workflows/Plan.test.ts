// plan(spec): what provision would do, read from the emulator without a single write; empty for an applied spec.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import { Emulator, MakeTest } from "../../src/testing/index.js"
import * as Plan from "../../src/workflows/Plan.js"
import * as Provision from "../../src/workflows/Provision.js"
import type { ProvisionSpec } from "../../src/workflows/ProvisionSpec.js"
import { acmeSpec, layer, runTimeout, settle, writes } from "./helpers.js"

describe("plan", { timeout: runTimeout }, () => {
  it.effect("a new organization: everything to create, nothing written", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const plan = yield* Plan.plan(acmeSpec("Nu", 2))
      expect(plan.changes.map((c) => `${c.action} ${c.resource} ${c.key}`)).toEqual([
        "create organization Nu",
        "create team Team 1",
        "create team Team 2",
        "create variable region",
        "create variable dailyLimit",
        "create invitation ops@nu.example.com",
        "update featureControl 7"
      ])
      expect((yield* emulator.requests).map((r) => `${r.method} ${r.path}`)).toEqual(["GET /organizations"])
    }).pipe(Effect.provide(layer())))

  it.effect("the plan of an applied spec is empty; a change to the spec shows as exactly that change", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const spec = acmeSpec("Xi", 2)
      const applied = yield* settle(Provision.provision(spec))
      expect(Exit.isSuccess(applied)).toBe(true)
      yield* emulator.clearRequests
      const plan = yield* Plan.plan(spec)
      expect(plan.changes).toEqual([])
      expect(plan.organization.action).toBe("keep")
      expect(plan.invitations).toMatchObject([{ action: "keep", detail: "sent by an earlier run" }])

      const changed: ProvisionSpec = {
        ...spec,
        teams: [...spec.teams, { name: "Team 3" }],
        variables: [{ name: "region", typeId: 2, value: "us" }, { name: "dailyLimit", typeId: 1, value: 100 }],
        featureControls: [{ id: 7, enabled: false }]
      }
      const next = yield* Plan.plan(changed)
      expect(next.changes.map((c) => `${c.action} ${c.resource} ${c.key}`)).toEqual([
        "create team Team 3",
        "update variable region",
        // the spec changed, so no earlier run of this spec sent its invitation: Make cannot tell
        "create invitation ops@xi.example.com",
        "update featureControl 7"
      ])
      expect(writes(yield* emulator.requests)).toEqual([])
    }).pipe(Effect.provide(layer())))

  it.effect("needs no workflow engine: over the services alone, invitations are to create", () =>
    Effect.gen(function*() {
      const plan = yield* Plan.plan(acmeSpec("Acme", 1))
      expect(plan.organization).toMatchObject({ id: 11, action: "keep" })
      expect(plan.featureControls).toMatchObject([{ key: "7", action: "keep" }]) // Acme has 7 on already
      expect(plan.changes.map((c) => `${c.action} ${c.resource} ${c.key}`)).toEqual([
        "create team Team 1",
        "create variable region",
        "update variable dailyLimit", // Acme's is 250; the spec says 100
        "create invitation ops@acme.example.com"
      ])
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("a licence without custom variables: the variables are skipped", () =>
    Effect.gen(function*() {
      const plan = yield* Plan.plan({
        organization: { name: "Gamma", regionId: 1, timezoneId: 113, countryId: 1 },
        teams: [],
        variables: [{ name: "tier", typeId: 2, value: "gold" }],
        invitations: [],
        featureControls: []
      })
      expect(plan.variables).toEqual([
        { resource: "variable", key: "tier", action: "skip", detail: "the licence lacks customVariables" }
      ])
      expect(plan.changes).toEqual([])
    }).pipe(Effect.provide(layer())))
})
