// plan(spec): what provision would do, read from the emulator without a single write; empty for an applied spec.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { AdminTeams } from "../../src/AdminTeams.js"
import { FeatureControls } from "../../src/FeatureControls.js"
import { Organizations } from "../../src/Organizations.js"
import { OrganizationVariables } from "../../src/OrganizationVariables.js"
import * as Emulator from "../../src/testing/Emulator.js"
import * as MakeTest from "../../src/testing/MakeTest.js"
import { PreviousInvitations } from "../../src/workflows/internal/prepare.js"
import * as Plan from "../../src/workflows/Plan.js"
import type { Plan as PlanOf } from "../../src/workflows/ProvisionResult.js"
import * as ProvisionSpec from "../../src/workflows/ProvisionSpec.js"

/** A spec: one organization, its teams, two variables, an invitation and a feature control. */
const acmeSpec = (name: string, teams: number = 3): ProvisionSpec.ProvisionSpec => ({
  organization: { name, regionId: 1, timezoneId: 113, countryId: 1 },
  teams: Array.from({ length: teams }, (_, i) => ({ name: `Team ${i + 1}` })),
  variables: [
    { name: "region", typeId: 2, value: "eu" },
    { name: "dailyLimit", typeId: 1, value: 100 }
  ],
  invitations: [{
    email: `ops@${name.toLowerCase().replace(/[^a-z0-9]/g, "")}.example.com`,
    name: "Ops",
    teams: ["Team 1"]
  }],
  featureControls: [{ id: 7, enabled: true }]
})

/** The writes (non-GET requests) the emulator received. */
const writes = (log: ReadonlyArray<Emulator.RecordedRequest>) => log.filter((r) => r.method !== "GET")

/** `create organization Nu`, one line per change. */
const lines = (plan: PlanOf) => plan.changes.map((c) => `${c.action} ${c.resource} ${c.key}`)

/**
 * Makes the emulator hold what `spec` says, over the services. On Effect 3 the test ran `Provision.provision`; the
 * engine is not ported yet, so the writes a run would send are sent here, one by one.
 */
const apply = (spec: ProvisionSpec.ProvisionSpec) =>
  Effect.gen(function*() {
    const orgs = yield* Organizations
    const teams = yield* AdminTeams
    const variables = yield* OrganizationVariables
    const controls = yield* FeatureControls
    const { countryId, name, regionId, timezoneId } = spec.organization
    const { organization } = yield* orgs.create({ name, regionId, timezoneId, countryId })
    for (const team of spec.teams) yield* teams.create({ name: team.name, organizationId: organization.id })
    for (const variable of spec.variables) yield* variables.create(organization.id, variable)
    for (const control of spec.featureControls) yield* controls.update(organization.id, control)
    return organization.id
  })

describe("plan", () => {
  it.effect("a new organization: everything to create, nothing written", () =>
    Effect.gen(function*() {
      const plan = yield* Plan.plan(acmeSpec("Nu", 2))
      expect(lines(plan)).toEqual([
        "create organization Nu",
        "create team Team 1",
        "create team Team 2",
        "create variable region",
        "create variable dailyLimit",
        "create invitation ops@nu.example.com",
        "update featureControl 7"
      ])
      expect((yield* Emulator.requests).map((r) => `${r.method} ${r.path}`)).toEqual(["GET /organizations"])
    }).pipe(Effect.provide(MakeTest.layer())))

  // On Effect 3 the spec was applied by `provision` on the in-memory engine, whose journal told plan which invitations
  // earlier runs sent. Without the engine (not ported yet) the spec is applied over the services, and the engine's
  // answer is the one the workflows layer will give through `PreviousInvitations`: the invitation, for this spec only.
  it.effect("the plan of an applied spec is empty; a change to the spec shows as exactly that change", () =>
    Effect.gen(function*() {
      const spec = acmeSpec("Xi", 2)
      const organizationId = yield* apply(spec)
      yield* (yield* Emulator.Emulator).clearRequests
      const applied = yield* Effect.map(ProvisionSpec.encode(spec), (encoded) => ProvisionSpec.canonicalJson(encoded))
      const engine = Layer.succeed(PreviousInvitations)((prepared) =>
        Effect.map(
          ProvisionSpec.encode(prepared.spec),
          (encoded) =>
            ProvisionSpec.canonicalJson(encoded) === applied
              ? [{ organizationId, email: "ops@xi.example.com" }]
              : []
        ).pipe(Effect.orDie)
      )

      const plan = yield* Plan.plan(spec).pipe(Effect.provide(engine))
      expect(plan.changes).toEqual([])
      expect(plan.organization.action).toBe("keep")
      expect(plan.invitations).toMatchObject([{ action: "keep", detail: "sent by an earlier run" }])

      const changed: ProvisionSpec.ProvisionSpec = {
        ...spec,
        teams: [...spec.teams, { name: "Team 3" }],
        variables: [{ name: "region", typeId: 2, value: "us" }, { name: "dailyLimit", typeId: 1, value: 100 }],
        featureControls: [{ id: 7, enabled: false }]
      }
      const next = yield* Plan.plan(changed).pipe(Effect.provide(engine))
      expect(lines(next)).toEqual([
        "create team Team 3",
        "update variable region",
        // the spec changed, so no earlier run of this spec sent its invitation: Make cannot tell
        "create invitation ops@xi.example.com",
        "update featureControl 7"
      ])
      expect(writes(yield* Emulator.requests)).toEqual([])
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("needs no workflow engine: over the services alone, invitations are to create", () =>
    Effect.gen(function*() {
      const plan = yield* Plan.plan(acmeSpec("Acme", 1))
      expect(plan.organization).toMatchObject({ id: 11, action: "keep" })
      expect(plan.featureControls).toMatchObject([{ key: "7", action: "keep" }]) // Acme has 7 on already
      expect(lines(plan)).toEqual([
        "create team Team 1",
        "create variable region",
        "update variable dailyLimit", // Acme's is 250; the spec says 100
        "create invitation ops@acme.example.com"
      ])
      expect(writes(yield* Emulator.requests)).toEqual([])
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
    }).pipe(Effect.provide(MakeTest.layer())))
})
