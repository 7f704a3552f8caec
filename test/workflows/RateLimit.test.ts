// A provisioning run against Make's per-organization limit, counted by the emulator in a sliding minute: each
// organization held to its licence's apiLimit, shared by concurrent runs, no 429. TestClock; asserts on the request log.
// Ported from the Effect 3 line: the run's limit reaches the client's pipeline through `FiberLimiter`.
import { describe, expect, it } from "@effect/vitest"
import { Clock, Effect, Exit } from "effect"
import * as Emulator from "../../src/testing/Emulator.js"
import * as Provision from "../../src/workflows/Provision.js"
import type * as ProvisionOptions from "../../src/workflows/ProvisionOptions.js"
import type { ProvisionSpec } from "../../src/workflows/ProvisionSpec.js"
import { earliestStarts, mostInAnyWindow } from "../windows.js"
import { concerns, layer, runTimeout, settle } from "./helpers.js"

const minute = 60_000

/** A spec of `teams` new teams (named `prefix 1`, ...) in the organization `name` (Gamma is seeded with a Core licence). */
const teamsSpec = (name: string, prefix: string, teams: number): ProvisionSpec => ({
  organization: { name, regionId: 1, timezoneId: 113, countryId: 1 },
  teams: Array.from({ length: teams }, (_, i) => ({ name: `${prefix} ${i + 1}` })),
  variables: [],
  invitations: [],
  featureControls: []
})

/** Runs the specs at once, on the TestClock; the figures of the organization `organizationId` (or the one created). */
const runAll = (specs: ReadonlyArray<ProvisionSpec>, options?: ProvisionOptions.Options) =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.Emulator
    const exits = yield* settle(
      Effect.zip(
        Effect.forEach(specs, (spec) => Effect.exit(Provision.provision(spec, options)), { concurrency: "unbounded" }),
        Clock.currentTimeMillis
      )
    )
    if (Exit.isFailure(exits)) return yield* Effect.die(exits.cause)
    const [results, done] = exits.value
    return { results, done, log: yield* emulator.requests }
  })

const figuresOf = (log: ReadonlyArray<Emulator.RecordedRequest>, organizationId: number, done: number) => {
  const ofOrganization = log.filter(concerns(organizationId))
  const sent = ofOrganization.map((request) => request.at).sort((a, b) => a - b)
  // the earliest the limit allows this many requests, every one of them ready at once
  const bound = earliestStarts(sent.map(() => ({ at: 0 })), 60, minute).reduce<number>(
    (latest, start) => Math.max(latest, start ?? 0),
    0
  )
  return {
    virtualSeconds: done / 1000,
    boundSeconds: bound / 1000,
    requests: ofOrganization.length,
    answered429: log.filter((request) => request.status === 429).length,
    mostInAnyMinute: mostInAnyWindow(sent, minute)
  }
}

describe("provision under Make's rate limit (the emulator counting a sliding minute)", { timeout: runTimeout }, () => {
  it.effect("130 teams in a Core organization (apiLimit 60): 0 responses 429, never 61 in a minute, done at the bound", () =>
    Effect.gen(function*() {
      const { done, log, results } = yield* runAll([teamsSpec("Gamma", "Team", 130)])
      expect(results.map(Exit.isSuccess)).toEqual([true])
      const figures = figuresOf(log, 13, done)
      console.log("workflow rate limit, 130 teams in Gamma:", JSON.stringify(figures))
      expect(figures.answered429).toBe(0)
      expect(figures.mostInAnyMinute).toBe(60)
      // the sync read, the teams list and 130 creates: the last starts two minutes in, as early as the limit allows
      expect(figures.requests).toBe(132)
      expect(done).toBe(2 * minute)
      expect(figures.boundSeconds).toBe(120)
    }).pipe(Effect.provide(layer({ rateLimit: true }))))

  it.effect("without it (rateLimit: off) the same run meets the limit's 429s", () =>
    Effect.gen(function*() {
      const { log, results } = yield* runAll([teamsSpec("Gamma", "Team", 130)], { rateLimit: "off" })
      const answered429 = log.filter((request) => request.status === 429).length
      console.log(
        "workflow rate limit off, 130 teams in Gamma:",
        JSON.stringify({ answered429, ok: results.map(Exit.isSuccess) })
      )
      expect(answered429).toBeGreaterThan(0)
    }).pipe(Effect.provide(layer({ rateLimit: true }))))

  it.effect("two runs on one organization at once share its window: 0 responses 429", () =>
    Effect.gen(function*() {
      const { done, log, results } = yield* runAll([
        teamsSpec("Gamma", "North", 70),
        teamsSpec("Gamma", "South", 70)
      ])
      expect(results.map(Exit.isSuccess)).toEqual([true, true])
      const figures = figuresOf(log, 13, done)
      console.log("workflow rate limit, two runs of 70 teams in Gamma:", JSON.stringify(figures))
      expect(figures.answered429).toBe(0)
      expect(figures.mostInAnyMinute).toBeLessThanOrEqual(60)
      expect(figures.requests).toBe(144)
      expect(done).toBe(2 * minute)
    }).pipe(Effect.provide(layer({ rateLimit: true }))))

  it.effect("a new organization's licence is read: a Teams plan (240) is not held to 60", () =>
    Effect.gen(function*() {
      const { done, log, results } = yield* runAll([teamsSpec("Zeta", "Team", 130)])
      expect(results.map(Exit.isSuccess)).toEqual([true])
      const answered429 = log.filter((request) => request.status === 429).length
      expect(answered429).toBe(0)
      // the sync delay (2 s) and the reads of the sync wait, not a minute of the limit
      expect(done).toBeLessThan(minute)
    }).pipe(Effect.provide(layer({ rateLimit: true }))))

  it.effect("a fixed limit for every organization ({ requestsPerMinute }) against an emulator enforcing it", () =>
    Effect.gen(function*() {
      const { done, log, results } = yield* runAll([teamsSpec("Zeta", "Team", 70), teamsSpec("Eta", "Team", 70)], {
        rateLimit: { requestsPerMinute: 30 }
      })
      expect(results.map(Exit.isSuccess)).toEqual([true, true])
      expect(log.filter((request) => request.status === 429).length).toBe(0)
      expect(done).toBeGreaterThanOrEqual(2 * minute)
    }).pipe(Effect.provide(layer({ rateLimit: { perMinute: 30 } }))))
})
