// The bad-input suite: invalid arguments to every service, and invalid configurations. Each must fail with
// InvalidInput (a typed failure, never a defect) before anything is sent: the emulator's request log stays empty.
import { describe, expect, it } from "@effect/vitest"
import { Cause, DateTime, Effect, Exit, Option, Redacted, Stream } from "effect"
import * as AdminTeams from "../src/AdminTeams.js"
import * as Billing from "../src/Billing.js"
import * as FeatureControls from "../src/FeatureControls.js"
import * as Invitations from "../src/Invitations.js"
import * as MakeConfig from "../src/MakeConfig.js"
import type * as MakeError from "../src/MakeError.js"
import * as Organizations from "../src/Organizations.js"
import * as OrganizationVariables from "../src/OrganizationVariables.js"
import { Emulator, MakeTest } from "../src/testing/index.js"
import * as Usage from "../src/Usage.js"

interface Services {
  readonly orgs: Organizations.Service
  readonly invitations: Invitations.Service
  readonly billing: Billing.Service
  readonly variables: OrganizationVariables.Service
  readonly usage: Usage.Service
  readonly controls: FeatureControls.Service
  readonly teams: AdminTeams.Service
}

type Case = readonly [label: string, call: (s: Services) => Effect.Effect<unknown, MakeError.MakeError>]

const long = (n: number) => "x".repeat(n)
const validOrg = { name: "Acme", regionId: 1, timezoneId: 113, countryId: 1 }

// Each @ts-expect-error below is a JavaScript caller's mistake the types already refuse: the run-time check must too.
const cases: ReadonlyArray<Case> = [
  // ids: Organizations
  ["get(0)", (s) => s.orgs.get(0)],
  ["get(-1)", (s) => s.orgs.get(-1)],
  ["get(1.5)", (s) => s.orgs.get(1.5)],
  ["get(NaN)", (s) => s.orgs.get(Number.NaN)],
  ["get(2^53)", (s) => s.orgs.get(2 ** 53)],
  ["get(Infinity)", (s) => s.orgs.get(Number.POSITIVE_INFINITY)],
  // @ts-expect-error -- a string id
  ["get(\"11\")", (s) => s.orgs.get("11")],
  // @ts-expect-error -- an object id
  ["get({})", (s) => s.orgs.get({})],
  ["update(-1)", (s) => s.orgs.update(-1, { name: "A" })],
  ["delete(0)", (s) => s.orgs.delete(0, { confirmed: true })],
  ["apps(NaN)", (s) => s.orgs.apps(Number.NaN)],
  ["awaitSynced(-5)", (s) => s.orgs.awaitSynced(-5)],
  // paging
  ["list offset -1", (s) => s.orgs.list({ offset: -1 })],
  ["list offset 1.5", (s) => s.orgs.list({ offset: 1.5 })],
  ["list limit 0", (s) => s.orgs.list({ limit: 0 })],
  ["list limit 10001", (s) => s.orgs.list({ limit: 10_001 })],
  ["list limit 2.5", (s) => s.orgs.list({ limit: 2.5 })],
  ["list sortBy empty", (s) => s.orgs.list({ sortBy: "" })],
  // @ts-expect-error -- not a direction
  ["list sortDir up", (s) => s.orgs.list({ sortDir: "up" })],
  // @ts-expect-error -- not a column
  ["list cols password", (s) => s.orgs.list({ cols: ["password"] })],
  ["list zone empty", (s) => s.orgs.list({ zone: "" })],
  ["list externalId blank", (s) => s.orgs.list({ externalId: "   " })],
  ["stream offset -1", (s) => Stream.runDrain(s.orgs.stream({ offset: -1 }))],
  // names and bodies: Organizations
  ["create name empty", (s) => s.orgs.create({ ...validOrg, name: "" })],
  ["create name blank", (s) => s.orgs.create({ ...validOrg, name: "   " })],
  ["create name 256 chars", (s) => s.orgs.create({ ...validOrg, name: long(256) })],
  ["create regionId 0", (s) => s.orgs.create({ ...validOrg, regionId: 0 })],
  ["create timezoneId -3", (s) => s.orgs.create({ ...validOrg, timezoneId: -3 })],
  ["create countryId 1.5", (s) => s.orgs.create({ ...validOrg, countryId: 1.5 })],
  // @ts-expect-error -- the name is missing
  ["create without name", (s) => s.orgs.create({ regionId: 1, timezoneId: 113, countryId: 1 })],
  ["update name empty", (s) => s.orgs.update(11, { name: "" })],
  ["update countryId 0", (s) => s.orgs.update(11, { countryId: 0 })],
  // @ts-expect-error -- confirmed is a boolean
  ["delete confirmed \"yes\"", (s) => s.orgs.delete(11, { confirmed: "yes" })],
  ["permission empty", (s) => s.orgs.checkTeamPermission(11, "")],
  ["permission injection", (s) => s.orgs.checkTeamPermission(11, "DROP TABLE;")],
  // Invitations
  ["invite email plain", (s) => s.invitations.invite(11, { email: "not-an-email", name: "Ann" })],
  ["invite email no tld", (s) => s.invitations.invite(11, { email: "ann@example", name: "Ann" })],
  ["invite email space", (s) => s.invitations.invite(11, { email: "ann @example.com", name: "Ann" })],
  ["invite email 255", (s) => s.invitations.invite(11, { email: `${long(250)}@a.com`, name: "Ann" })],
  ["invite name empty", (s) => s.invitations.invite(11, { email: "ann@example.com", name: "" })],
  ["invite teamsId 0", (s) => s.invitations.invite(11, { email: "ann@example.com", name: "Ann", teamsId: [0] })],
  ["invite teamsId 1.5", (s) => s.invitations.invite(11, { email: "ann@example.com", name: "Ann", teamsId: [1.5] })],
  ["invite role -1", (s) => s.invitations.invite(11, { email: "ann@example.com", name: "Ann", usersRoleId: -1 })],
  ["invite note 1001", (s) => s.invitations.invite(11, { email: "ann@example.com", name: "Ann", note: long(1001) })],
  ["invite org 0", (s) => s.invitations.invite(0, { email: "ann@example.com", name: "Ann" })],
  ["invitation hash empty", (s) => s.invitations.get("")],
  ["invitation hash path", (s) => s.invitations.get("a/../b")],
  ["invitation hash long", (s) => s.invitations.get(long(200))],
  ["accept hash path", (s) => s.invitations.accept("../../etc/passwd")],
  // Billing
  ["payments org 0", (s) => s.billing.payments(0)],
  ["payments limit -1", (s) => s.billing.payments(11, { limit: -1 })],
  ["payment priceId 0", (s) => s.billing.createSinglePayment(11, { priceId: 0, quantity: 1 })],
  ["payment quantity 0", (s) => s.billing.createSinglePayment(11, { priceId: 201, quantity: 0 })],
  ["payment quantity 1.5", (s) => s.billing.createSinglePayment(11, { priceId: 201, quantity: 1.5 })],
  ["payment coupon", (s) => s.billing.createSinglePayment(11, { priceId: 201, quantity: 1, couponCode: "bad code!" })],
  ["subscribe priceId -1", (s) => s.billing.createSubscription(11, { priceId: -1 })],
  ["change priceId 1.5", (s) => s.billing.changeSubscription(11, { priceId: 1.5 })],
  ["free plan org 0", (s) => s.billing.setFreePlan(0, { confirmed: true })],
  ["coupon empty", (s) => s.billing.applyCoupon(11, "")],
  ["coupon with space", (s) => s.billing.applyCoupon(11, "x y")],
  ["cancel org -2", (s) => s.billing.cancelSubscription(-2)],
  // Variables: names, types, values
  ["variable name path", (s) => s.variables.create(11, { name: "a/../b", typeId: 2, value: "x" })],
  ["variable name empty", (s) => s.variables.create(11, { name: "", typeId: 2, value: "x" })],
  ["variable name space", (s) => s.variables.create(11, { name: "has space", typeId: 2, value: "x" })],
  ["variable name 129", (s) => s.variables.create(11, { name: long(129), typeId: 2, value: "x" })],
  ["variable name dash", (s) => s.variables.create(11, { name: "my-var", typeId: 2, value: "x" })],
  ["variable value Infinity", (s) => s.variables.create(11, { name: "n", typeId: 1, value: Number.POSITIVE_INFINITY })],
  ["variable value NaN", (s) => s.variables.create(11, { name: "n", typeId: 1, value: Number.NaN })],
  ["variable string 4097", (s) => s.variables.create(11, { name: "n", typeId: 2, value: long(4097) })],
  // @ts-expect-error -- typeId 1 wants a number
  ["variable 1 with string", (s) => s.variables.create(11, { name: "n", typeId: 1, value: "12" })],
  // @ts-expect-error -- typeId 3 wants a boolean
  ["variable 3 with string", (s) => s.variables.create(11, { name: "n", typeId: 3, value: "true" })],
  // @ts-expect-error -- typeId 4 wants a DateTime.Utc
  ["variable 4 with string", (s) => s.variables.create(11, { name: "n", typeId: 4, value: "2026-01-01" })],
  // @ts-expect-error -- typeId 2 wants a string
  ["variable 2 with date", (s) => s.variables.create(11, { name: "n", typeId: 2, value: DateTime.unsafeMake(0) })],
  // @ts-expect-error -- there is no typeId 5
  ["variable typeId 5", (s) => s.variables.create(11, { name: "n", typeId: 5, value: 1 })],
  ["update variable name", (s) => s.variables.update(11, "a b", { typeId: 1, value: 1 })],
  // @ts-expect-error -- typeId 1 wants a number
  ["update 1 with boolean", (s) => s.variables.update(11, "dailyLimit", { typeId: 1, value: true })],
  ["delete variable empty", (s) => s.variables.delete(11, "", { confirmed: true })],
  ["history variable path", (s) => s.variables.history(11, "../x")],
  ["variables org 0", (s) => s.variables.list(0)],
  // Usage, feature controls
  ["usage org 0", (s) => s.usage.get(0)],
  // @ts-expect-error -- organizationTimezone is a boolean
  ["usage timezone \"yes\"", (s) => s.usage.get(11, { organizationTimezone: "yes" })],
  ["controls org 0", (s) => s.controls.list(0)],
  ["controls name empty", (s) => s.controls.list(11, { featureControlName: "" })],
  // @ts-expect-error -- not a column
  ["controls cols", (s) => s.controls.list(11, { cols: ["secret"] })],
  ["control id -1", (s) => s.controls.update(11, { id: -1, enabled: true })],
  // @ts-expect-error -- enabled is a boolean
  ["control enabled \"yes\"", (s) => s.controls.update(11, { id: 3, enabled: "yes" })],
  // @ts-expect-error -- a body is required (a JavaScript caller may still leave it out)
  ["control no body", (s) => s.controls.update(11, undefined)],
  // AdminTeams
  ["teams org 0", (s) => s.teams.list(0)],
  ["teams limit 0", (s) => s.teams.list(11, { limit: 0 })],
  ["team name empty", (s) => s.teams.create({ name: "", organizationId: 11 })],
  ["team org -1", (s) => s.teams.create({ name: "Ops", organizationId: -1 })],
  // @ts-expect-error -- a body is required (a JavaScript caller may still leave it out)
  ["team no body", (s) => s.teams.create(undefined)],
  // @ts-expect-error -- a body is required (a JavaScript caller may still leave it out)
  ["org no body", (s) => s.orgs.create(undefined)],
  // @ts-expect-error -- a body is required (a JavaScript caller may still leave it out)
  ["invite no body", (s) => s.invitations.invite(11, undefined)],
  ["team admin 0", (s) => s.teams.create({ name: "Ops", organizationId: 11, userTeamAdmin: 0 })],
  ["team update 2^53", (s) => s.teams.update(2 ** 53, { name: "Ops" })],
  ["team update blank", (s) => s.teams.update(22, { name: " " })],
  ["team delete 1.5", (s) => s.teams.delete(1.5)],
  ["teams stream offset", (s) => Stream.runDrain(s.teams.stream(11, { offset: -1 }))]
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
  usage: Usage.Usage,
  controls: FeatureControls.FeatureControls,
  teams: AdminTeams.AdminTeams
})

/** The tag of a typed failure, or what else the exit was (a defect, an interruption, a success). */
const outcome = (exit: Exit.Exit<unknown, MakeError.MakeError>): string =>
  Exit.match(exit, {
    onSuccess: () => "success",
    onFailure: (cause) =>
      Option.match(Cause.failureOption(cause), {
        onNone: () => Cause.isDie(cause) ? `defect: ${Cause.pretty(cause)}` : "interrupted",
        onSome: (error) => error._tag
      })
  })

describe("bad input", () => {
  it.effect(`${cases.length} invalid arguments across every service: InvalidInput, nothing sent, no defect`, () =>
    Effect.gen(function*() {
      const s: Services = yield* services
      const results: Array<readonly [string, string]> = []
      for (const [label, call] of cases) {
        results.push([label, outcome(yield* Effect.exit(call(s)))])
      }
      expect(results.filter(([, tag]) => tag !== "InvalidInput")).toEqual([])
      const emulator = yield* Emulator.Emulator
      expect(yield* emulator.requests).toEqual([])
      console.log(`bad-input suite: ${cases.length} invalid calls, ${results.length} InvalidInput, 0 requests sent`)
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect(`${configCases.length} invalid configurations: InvalidInput from MakeConfig`, () =>
    Effect.gen(function*() {
      for (const [label, options] of configCases) {
        const exit = yield* Effect.exit(MakeConfig.make(options))
        expect([label, outcome(exit)]).toEqual([label, "InvalidInput"])
      }
    }))
})
