// Fleet.provisionAll on the in-memory engine over the emulator, on TestClock: a fleet applied once (exactly its
// organizations and teams, nothing twice), re-applied with no write, one failing spec reported while the others apply
// and leaving no orphan, every spec checked before any request, interruption; and a fleet read from files (YAML
// streams, folders). Imports `effect`, @effect/platform-node (files), src/.
import { NodeServices } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Fiber, Schema } from "effect"
import { TestClock } from "effect/testing"
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Emulator from "../../src/testing/Emulator.js"
import * as Fleet from "../../src/workflows/Fleet.js"
import * as FleetResult from "../../src/workflows/FleetResult.js"
import type { ProvisionSpec } from "../../src/workflows/ProvisionSpec.js"
import { acmeSpec, held, layer, runTimeout, settle, succeed, writes } from "./helpers.js"

const seeded = new Set([11, 12, 13])

/** A spec without feature controls: only the spec that keeps them reaches the PATCH a fault is aimed at. */
const plain = (name: string, teams: number = 2): ProvisionSpec => ({ ...acmeSpec(name, teams), featureControls: [] })

/** The organizations the fleet made (not the emulator's seed), by name, with their live teams' names. */
const state = Effect.gen(function*() {
  const emulator = yield* Emulator.Emulator
  const organizations = (yield* emulator.organizations).filter((org) => !seeded.has(org.id))
  return yield* Effect.forEach(organizations, (org) =>
    Effect.map(held(org.id), ({ teams }) => ({
      id: `/organizations/${org.id}`,
      name: org.name,
      teams: teams.filter((team) => team.deleted !== true && team.name !== "My Team").map((team) => team.name).sort()
    })))
})

/** `n` turns of the event loop (the runs' digests complete outside it). */
const turns = (n: number) =>
  Effect.forEach(
    Array.from({ length: n }),
    () => Effect.promise(() => new Promise<void>((resolve) => setImmediate(resolve))),
    { discard: true }
  )

/** Turns of the event loop until `condition` holds (the test's timeout guards a condition that never does). */
const until = (condition: Effect.Effect<boolean, never, Emulator.Emulator>) =>
  Effect.gen(function*() {
    while (!(yield* condition)) yield* turns(1)
  })

describe("Fleet.provisionAll", () => {
  it.effect("applies a fleet of 20 specs once each; applying it again sends no write", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const specs = Array.from({ length: 20 }, (_, i) => acmeSpec(`Fleet ${i + 1}`, 3))
      const first = succeed(yield* settle(Fleet.provisionAll(specs)))
      expect(first.lines.map((line) => [line.source, line.outcome])).toEqual(
        specs.map((spec) => [spec.organization.name, "applied"])
      )
      // organization, 3 teams, 2 variables, an invitation created; the feature control updated
      expect(first.lines[0]?.counts).toEqual({ created: 7, updated: 1, unchanged: 0, skipped: 0, unconfirmed: 0 })
      expect(first.summary).toEqual({
        specs: 20,
        applied: 20,
        unchanged: 0,
        failed: 0,
        counts: { created: 140, updated: 20, unchanged: 0, skipped: 0, unconfirmed: 0 }
      })
      const made = yield* state
      expect(made.map((org) => org.name).sort()).toEqual(specs.map((spec) => spec.organization.name).sort())
      for (const org of made) expect(org.teams).toEqual(["Team 1", "Team 2", "Team 3"])
      const ids = first.lines.map((line) => line.organizationId)
      expect(new Set(ids).size).toBe(20)

      yield* emulator.clearRequests
      const again = succeed(yield* settle(Fleet.provisionAll(specs)))
      const log = yield* emulator.requests
      expect(writes(log)).toEqual([])
      expect(log.length).toBeGreaterThan(0)
      expect(again.summary).toMatchObject({ specs: 20, applied: 0, unchanged: 20, failed: 0 })
      expect(again.summary.counts).toMatchObject({ created: 0, updated: 0, unchanged: 160 })
      expect(again.lines.map((line) => line.organizationId)).toEqual(ids)
      expect(yield* state).toEqual(made)
    }).pipe(Effect.provide(layer())), runTimeout)

  it.effect(
    "one spec failing is reported with its tag; the others apply; the failed one leaves no orphan",
    () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        // every feature-control PATCH answers a 5xx: only the one spec with feature controls sends one
        yield* emulator.setFaults({
          seed: 7,
          serverError: 1,
          match: (r) => r.method === "PATCH" && r.path.endsWith("/feature-controls")
        })
        const specs = [plain("Alpha Co"), plain("Bravo Co"), acmeSpec("Doomed Co", 2), plain("Delta Co")]
        const result = succeed(yield* settle(Fleet.provisionAll(specs, { concurrency: 2 })))
        expect(result.lines.map((line) => [line.source, line.outcome])).toEqual([
          ["Alpha Co", "applied"],
          ["Bravo Co", "applied"],
          ["Doomed Co", "failed"],
          ["Delta Co", "applied"]
        ])
        const doomed = result.lines[2]
        expect(doomed?.error).toMatchObject({ tag: "ProvisionFailed", step: "featureControls", reason: "ServerError" })
        expect(doomed?.error?.message).toContain("Provisioning failed at step \"featureControls\"")
        // the invitation it sent cannot be taken back; everything it created was
        expect(doomed?.counts).toEqual({ created: 1, updated: 0, unchanged: 0, skipped: 0, unconfirmed: 0 })
        expect(result.summary).toMatchObject({ specs: 4, applied: 3, unchanged: 0, failed: 1 })
        const left = yield* state
        expect(left.map((org) => org.name).sort()).toEqual(["Alpha Co", "Bravo Co", "Delta Co"])
        const doomedId = doomed?.organizationId ?? 0
        expect(doomedId).toBeGreaterThan(0)
        expect(yield* emulator.organization(doomedId)).toMatchObject({ _tag: "None" })
        expect((yield* emulator.teams(doomedId)).filter((team) => team.deleted !== true)).toEqual([])
        // the JSON of the result decodes with its schema
        const json = Schema.encodeSync(Schema.fromJsonString(FleetResult.FleetResult))(result)
        expect(Schema.decodeUnknownSync(Schema.fromJsonString(FleetResult.FleetResult))(json)).toEqual(result)
      }).pipe(Effect.provide(layer())),
    runTimeout
  )

  it.effect("checks every spec before any request: an invalid spec, an organization named twice", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const bad = { ...plain("Echo Co"), organization: { ...plain("Echo Co").organization, regionId: -1 } }
      const invalid = yield* Effect.flip(
        Fleet.provisionAll([{ source: "a.yaml", spec: plain("Foxtrot Co") }, { source: "b.yaml", spec: bad }])
      )
      expect(invalid).toMatchObject({ _tag: "InvalidInput", operation: "ProvisionSpec" })
      expect(invalid.issues).toEqual([expect.stringMatching(/^b\.yaml: organization\.regionId: .*-1/)])
      const twice = yield* Effect.flip(Fleet.provisionAll([
        { source: "a.yaml", spec: plain("Golf Co") },
        { source: "b.yaml", spec: plain("Hotel Co") },
        { source: "c.yaml", spec: plain("Golf Co") }
      ]))
      expect(twice).toMatchObject({
        _tag: "InvalidInput",
        operation: "Fleet",
        issues: ["the organization \"Golf Co\" is named by a.yaml, c.yaml: keep one spec per organization"]
      })
      const byExternalId = (name: string) => ({
        ...plain(name),
        organization: { ...plain(name).organization, externalId: "wl-1" }
      })
      const sameExternal = yield* Effect.flip(Fleet.provisionAll([byExternalId("India Co"), byExternalId("Juliet")]))
      expect(sameExternal.issues).toEqual([
        "the organization externalId \"wl-1\" is named by India Co, Juliet: keep one spec per organization"
      ])
      const badConcurrency = yield* Effect.flip(Fleet.provisionAll([plain("Kilo Co")], { concurrency: 0 }))
      expect(badConcurrency).toMatchObject({ _tag: "InvalidInput", operation: "Fleet concurrency" })
      expect(yield* emulator.requests).toEqual([])
    }).pipe(Effect.provide(layer())))

  it.effect(
    "interrupting the fleet interrupts every run under way: nothing more is sent; applying again converges",
    () =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const specs = Array.from({ length: 6 }, (_, i) => plain(`Lima ${i + 1}`))
        const fiber = yield* Effect.forkChild(Fleet.provisionAll(specs, { concurrency: 3 }))
        // the first three runs create their organizations, then wait for the zone to sync them (2 s, never reached)
        yield* until(Effect.map(state, (made) => made.length === 3))
        const exit = yield* Fiber.interrupt(fiber).pipe(Effect.andThen(Fiber.await(fiber)))
        expect(Exit.hasInterrupts(exit)).toBe(true)
        const sent = yield* emulator.requests
        for (let second = 0; second < 60; second++) {
          yield* TestClock.adjust("1 second")
          yield* turns(10)
        }
        // each run ends the call it had in flight (the read that waits for the zone), and sends nothing more
        const after = (yield* emulator.requests).slice(sent.length)
        expect(after.map((r) => `${r.method} ${r.path}`).sort()).toEqual(
          (yield* state).map((org) => `GET ${org.id}`).sort()
        )
        expect(writes(yield* emulator.requests).map((r) => `${r.method} ${r.path}`)).toEqual(
          Array.from({ length: 3 }, () => "POST /organizations")
        )
        // no run got past its organization, and the three specs not started never started
        expect((yield* state).map((org) => org.name).sort()).toEqual(["Lima 1", "Lima 2", "Lima 3"])
        expect((yield* state).filter((org) => org.teams.length > 0)).toEqual([])
        // applying the fleet again converges: the interrupted runs' organizations found, not made twice
        const again = succeed(yield* settle(Fleet.provisionAll(specs)))
        expect(again.summary).toMatchObject({ specs: 6, applied: 6, failed: 0 })
        const converged = yield* state
        expect(converged.map((org) => org.name).sort()).toEqual(specs.map((spec) => spec.organization.name))
        for (const org of converged) expect(org.teams).toEqual(["Team 1", "Team 2"])
      }).pipe(Effect.provide(layer())),
    runTimeout
  )
})

/** A fleet as the property draws it: per spec, how many teams, and whether it has variables and an invitation. */
const Drawn = Schema.Array(Schema.Struct({
  teams: Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 3 })),
  variables: Schema.Boolean,
  invitation: Schema.Boolean
})).check(Schema.isMinLength(1), Schema.isMaxLength(6))

const specOf = (drawn: typeof Drawn.Type[number], i: number): ProvisionSpec => {
  const whole = acmeSpec(`Prop ${i + 1}`, drawn.teams)
  return {
    ...whole,
    variables: drawn.variables ? whole.variables : [],
    invitations: drawn.invitation ? whole.invitations.map((invitation) => ({ ...invitation, teams: [] })) : [],
    featureControls: []
  }
}

describe("Fleet.provisionAll, as a property", () => {
  it.effect.prop(
    "any fleet converges: exactly its organizations and teams; applying it again writes nothing",
    { fleet: Drawn },
    ({ fleet }) =>
      Effect.gen(function*() {
        const emulator = yield* Emulator.Emulator
        const specs = fleet.map(specOf)
        const first = succeed(yield* settle(Fleet.provisionAll(specs, { concurrency: 3 })))
        expect(first.summary).toMatchObject({ specs: specs.length, applied: specs.length, failed: 0 })
        const made = yield* state
        expect(made.map((org) => [org.name, org.teams]).sort()).toEqual(
          specs.map((spec) => [spec.organization.name, spec.teams.map((team) => team.name).sort()]).sort()
        )
        yield* emulator.clearRequests
        const again = succeed(yield* settle(Fleet.provisionAll(specs, { concurrency: 3 })))
        expect(writes(yield* emulator.requests)).toEqual([])
        expect(again.summary).toMatchObject({ specs: specs.length, applied: 0, unchanged: specs.length, failed: 0 })
        expect(yield* state).toEqual(made)
      }).pipe(Effect.provide(layer())),
    { timeout: runTimeout, arbitrary: { runs: 8, seed: 20261206 } }
  )
})

describe("Fleet.load and Fleet.parseAll", () => {
  const folder = mkdtempSync(join(tmpdir(), "fleet-"))
  const specYaml = (name: string) => `organization: { name: ${name}, regionId: 1, timezoneId: 113, countryId: 1 }\n`
  mkdirSync(join(folder, "specs"))
  mkdirSync(join(folder, "specs", "nested"))
  writeFileSync(join(folder, "specs", "b.yaml"), specYaml("Bravo"))
  writeFileSync(join(folder, "specs", "a.yml"), `${specYaml("Alpha")}---\n${specYaml("Alpha Two")}---\n`)
  writeFileSync(
    join(folder, "specs", "c.json"),
    JSON.stringify({ organization: { name: "Charlie", regionId: 1, timezoneId: 113, countryId: 1 } })
  )
  writeFileSync(join(folder, "specs", "notes.txt"), "not a spec")
  writeFileSync(join(folder, "specs", ".hidden.yaml"), "not: [a spec")
  writeFileSync(join(folder, "specs", "nested", "d.yaml"), specYaml("Delta"))
  mkdirSync(join(folder, "bad"))
  writeFileSync(join(folder, "bad", "one.yaml"), `${specYaml("One")}---\norganization: { name: Two }\n`)
  writeFileSync(join(folder, "bad", "two.yaml"), "organization: [unclosed\n")
  mkdirSync(join(folder, "empty"))

  it.effect("a folder's .yaml, .yml and .json files by name, a YAML stream's documents each a spec", () =>
    Effect.gen(function*() {
      const specs = join(folder, "specs")
      const members = yield* Fleet.load([specs, join(specs, "b.yaml")])
      expect(members.map((m) => [m.source, m.spec.organization.name])).toEqual([
        [`${join(specs, "a.yml")}#1`, "Alpha"],
        [`${join(specs, "a.yml")}#2`, "Alpha Two"],
        [join(specs, "b.yaml"), "Bravo"],
        [join(specs, "c.json"), "Charlie"]
      ])
    }).pipe(Effect.provide(NodeServices.layer)))

  it.effect("every problem of every file in one InvalidInput, each naming its file (and document)", () =>
    Effect.gen(function*() {
      const bad = join(folder, "bad")
      const error = yield* Effect.flip(Fleet.load([bad, join(folder, "empty"), join(folder, "missing.yaml")]))
      expect(error).toMatchObject({ _tag: "InvalidInput", operation: "ProvisionSpec" })
      const issues = error.issues.map((issue) => issue.replaceAll(folder, "<dir>"))
      expect(issues).toContain("<dir>/empty: the folder holds no .yaml, .yml or .json file")
      expect(issues.some((issue) => issue.startsWith("<dir>/missing.yaml: "))).toBe(true)
      expect(issues.some((issue) => issue.startsWith("<dir>/bad/one.yaml#2: organization.regionId: "))).toBe(true)
      expect(issues.some((issue) => issue.startsWith("<dir>/bad/one.yaml#1"))).toBe(false)
      expect(issues.some((issue) => issue.startsWith("<dir>/bad/two.yaml: the text is neither YAML nor JSON"))).toBe(
        true
      )
      const empty = yield* Effect.flip(Fleet.parseAll("# nothing\n---\n", "empty.yaml"))
      expect(empty.issues).toEqual(["empty.yaml: holds no spec"])
    }).pipe(Effect.provide(NodeServices.layer)))
})
