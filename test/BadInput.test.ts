// The bad-input regressions: invalid arguments to the services, and invalid configurations. Each must fail with
// InvalidInput (a typed failure, never a defect) before anything is sent: the emulator's request log stays empty.
// Ported from the Effect 3 line; imports `effect` and src/.
import { describe, expect, it, layer } from "@effect/vitest"
import { Cause, Effect, Exit, Option, Redacted, Stream } from "effect"
import * as AdminTeams from "../src/AdminTeams.js"
import * as Billing from "../src/Billing.js"
import * as FeatureControls from "../src/FeatureControls.js"
import * as Invitations from "../src/Invitations.js"
import * as MakeConfig from "../src/MakeConfig.js"
import type * as MakeError from "../src/MakeError.js"
import * as Organizations from "../src/Organizations.js"
import * as OrganizationVariables from "../src/OrganizationVariables.js"
import * as Emulator from "../src/testing/Emulator.js"
import * as MakeTest from "../src/testing/MakeTest.js"

interface Services {
  readonly orgs: Organizations.Service
  readonly invitations: Invitations.Service
  readonly billing: Billing.Service
  readonly variables: OrganizationVariables.Service
  readonly controls: FeatureControls.Service
  readonly teams: AdminTeams.Service
}

const long = (n: number) => "x".repeat(n)

/** An array nested `depth` deep around `1`. */
const nested = (depth: number): unknown => {
  let value: unknown = 1
  for (let i = 0; i < depth; i++) value = [value]
  return value
}

const newOrganization = { name: "Acme Robotics", regionId: 1, timezoneId: 113, countryId: 1 }

/** An object every read of which throws, as a JavaScript caller's broken Proxy does. */
const throwingProxy = (): never => {
  const trap = () => {
    throw new Error("trap")
  }
  return new Proxy({}, {
    get: trap,
    ownKeys: trap,
    has: trap,
    getOwnPropertyDescriptor: trap,
    getPrototypeOf: trap
  }) as never
}

type Case = readonly [label: string, call: (s: Services) => Effect.Effect<unknown, MakeError.MakeError>]

// The Effect 3 line's named regressions over every service, and the methods no operation table holds (streams, awaits).
// Each @ts-expect-error below is a JavaScript caller's mistake the types already refuse: the run-time check must too.
const cases: ReadonlyArray<Case> = [
  ["get(2^53)", (s) => s.orgs.get(2 ** 53)],
  ["get(NaN)", (s) => s.orgs.get(Number.NaN)],
  // @ts-expect-error -- a string id
  ["get(\"11\")", (s) => s.orgs.get("11")],
  ["awaitSynced(-5)", (s) => s.orgs.awaitSynced(-5)],
  ["awaitSynced timeout 0", (s) => s.orgs.awaitSynced(11, { timeout: 0 })],
  ["stream offset -1", (s) => Stream.runDrain(s.orgs.stream({ offset: -1 }))],
  ["teams stream offset", (s) => Stream.runDrain(s.teams.stream(11, { offset: -1 }))],
  ["permission injection", (s) => s.orgs.checkTeamPermission(11, "DROP TABLE;")],
  ["invite email 255", (s) => s.invitations.invite(11, { email: `${long(250)}@a.com`, name: "Ann" })],
  ["invitation hash path", (s) => s.invitations.get("a/../b")],
  ["accept hash path", (s) => s.invitations.accept("../../etc/passwd")],
  ["payment coupon", (s) => s.billing.createSinglePayment(11, { priceId: 201, quantity: 1, couponCode: "bad code!" })],
  ["variable name path", (s) => s.variables.create(11, { name: "a/../b", typeId: 2, value: "x" })],
  ["variable value Infinity", (s) => s.variables.create(11, { name: "n", typeId: 1, value: Number.POSITIVE_INFINITY })],
  // @ts-expect-error -- typeId 4 wants a DateTime.Utc
  ["variable 4 with string", (s) => s.variables.create(11, { name: "n", typeId: 4, value: "2026-01-01" })],
  // @ts-expect-error -- there is no typeId 5
  ["variable typeId 5", (s) => s.variables.create(11, { name: "n", typeId: 5, value: 1 })],
  ["history variable path", (s) => s.variables.history(11, "../x")],
  // @ts-expect-error -- a body is required (a JavaScript caller may still leave it out)
  ["control no body", (s) => s.controls.update(11, undefined)],
  // @ts-expect-error -- a body is required (a JavaScript caller may still leave it out)
  ["org no body", (s) => s.orgs.create(undefined)],
  // an array nested 4,000 deep where a literal belongs: Effect 3's ParseResult `String` of it overflowed the stack
  // @ts-expect-error -- typeId is 1, 2, 3 or 4
  ["variable typeId nested 4,000 deep", (s) => s.variables.create(11, { name: "n", typeId: nested(4_000), value: 1 })],
  // The same depth through Organizations.create (kept from the Organizations-only port: another schema, a number).
  // @ts-expect-error -- regionId is a number
  ["create regionId nested 4,000 deep", (s) => s.orgs.create({ ...newOrganization, regionId: nested(4_000) })],
  // Arguments that throw when read: calling the method threw at once, before any Effect was returned.
  ["a body whose getter throws", (s) =>
    s.orgs.create({
      ...newOrganization,
      get name(): string {
        throw new Error("boom")
      }
    })],
  ["options that are a Proxy whose traps throw", (s) => s.orgs.get(11, throwingProxy())],
  ["list options that are a Proxy whose traps throw", (s) => s.orgs.list(throwingProxy())]
]

/**
 * A lone surrogate in each path or query string the issue named: sent as U+FFFD (another text than the one given)
 * until the arguments' strings were checked. Named regressions, with the field each error must name.
 */
const illFormed: ReadonlyArray<
  readonly [string, string, (s: Services) => Effect.Effect<unknown, MakeError.MakeError>]
> = [
  ["organizations externalId", "externalId", (s) => s.orgs.list({ externalId: "\ud800" })],
  ["organizations zone", "zone", (s) => s.orgs.list({ zone: "\ud800" })],
  ["organizations pg[sortBy]", "sortBy", (s) => s.orgs.list({ sortBy: "\ud800" })],
  ["organizations stream pg[sortBy]", "sortBy", (s) => Stream.runDrain(s.orgs.stream({ sortBy: "\ud800" }))],
  ["teams externalId", "externalId", (s) => s.teams.list(11, { externalId: "\ud800" })],
  ["teams stream externalId", "externalId", (s) => Stream.runDrain(s.teams.stream(11, { externalId: "\udc00" }))],
  ["teams pg[sortBy]", "sortBy", (s) => s.teams.list(11, { sortBy: "na\udfffme" })],
  [
    "feature controls featureControlName",
    "featureControlName",
    (s) => s.controls.list(11, { featureControlName: "\ud800" })
  ]
]

const token = Redacted.make("6f1d3c52-8a9e-4c1b-9d2e-3f4a5b6c7d8e")
const configCases: ReadonlyArray<readonly [string, MakeConfig.Options]> = [
  ["zone with path", { token, zone: "eu1.make.com/../x" }],
  ["zone with scheme", { token, zone: "http://example.com" }],
  ["zone empty", { token, zone: "" }],
  ["zone with port", { token, zone: "eu1.make.com:443" }],
  ["zone with @", { token, zone: "user@eu1.make.com" }],
  ["base URL plain http", { token, baseUrl: "http://example.com/api/v2" }],
  ["base URL javascript:", { token, baseUrl: "javascript:alert(1)" }],
  ["base URL relative", { token, baseUrl: "/api/v2" }],
  ["zone with a lone surrogate", { token, zone: "eu1.make.com\ud800" }],
  ["base URL with a lone surrogate", { token, baseUrl: "https://eu1.make.com/api/v2/\ud800" }],
  ["token of 5,000 characters", { token: Redacted.make("a".repeat(5_000)), zone: "eu1.make.com" }],
  ["token of 257 characters", { token: Redacted.make("a".repeat(257)), zone: "eu1.make.com" }],
  ["token empty", { token: Redacted.make(""), zone: "eu1.make.com" }],
  ["token with newline", { token: Redacted.make("abc\r\nX-Evil: 1"), zone: "eu1.make.com" }],
  ["timeout negative", { token, zone: "eu1.make.com", timeout: -1 }],
  ["retry attempts 0", { token, zone: "eu1.make.com", retry: { maxAttempts: 0 } }]
]

const services = Effect.all({
  orgs: Organizations.Organizations,
  invitations: Invitations.Invitations,
  billing: Billing.Billing,
  variables: OrganizationVariables.OrganizationVariables,
  controls: FeatureControls.FeatureControls,
  teams: AdminTeams.AdminTeams
})

/** The tag of a typed failure, or what else the exit was (a defect, an interruption, a success). */
const outcome = (exit: Exit.Exit<unknown, MakeError.MakeError>): string =>
  Exit.match(exit, {
    onSuccess: () => "success",
    onFailure: (cause) =>
      Option.match(Cause.findErrorOption(cause), {
        onNone: () => Cause.hasDies(cause) ? `defect: ${Cause.pretty(cause)}` : "interrupted",
        onSome: (error) => error._tag
      })
  })

describe("bad input", () => {
  // one emulator for all: none of these may reach it
  layer(MakeTest.layer())((it) => {
    for (const [label, call] of cases) {
      it.effect(`${label}: InvalidInput, nothing sent`, () =>
        Effect.gen(function*() {
          expect(outcome(yield* Effect.exit(call(yield* services)))).toBe("InvalidInput")
          expect(yield* Emulator.requests).toEqual([])
        }))
    }
  })

  layer(MakeTest.layer())((it) => {
    for (const [label, field, call] of illFormed) {
      it.effect(`a lone surrogate in ${label}: InvalidInput naming ${field}, nothing sent`, () =>
        Effect.gen(function*() {
          const exit = yield* Effect.exit(call(yield* services))
          expect(outcome(exit)).toBe("InvalidInput")
          const issues = Exit.match(exit, {
            onSuccess: () => [],
            onFailure: (cause) =>
              Option.match(Cause.findErrorOption(cause), {
                onNone: () => [],
                onSome: (error) => error._tag === "InvalidInput" ? error.issues : []
              })
          })
          expect(issues).toEqual([expect.stringMatching(new RegExp(`^${field}: must be well-formed Unicode`))])
          expect(yield* Emulator.requests).toEqual([])
        }))
    }
  })

  it.effect(`${configCases.length} invalid configurations: InvalidInput from MakeConfig`, () =>
    Effect.gen(function*() {
      for (const [label, options] of configCases) {
        const exit = yield* Effect.exit(MakeConfig.make(options))
        expect([label, outcome(exit)]).toEqual([label, "InvalidInput"])
      }
    }))
})
