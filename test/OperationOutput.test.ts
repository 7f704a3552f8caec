// Every method's `output` is the schema of what it answers: each of the 30 methods, called on a fresh emulator with
// valid arguments, answers a value of its output schema, which encodes to JSON (what an agent tool returns and the
// JSON Schema an MCP host is shown). A method that reshapes its endpoint's answer and forgot to say so fails here.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import * as AdminTeams from "../src/AdminTeams.js"
import * as Billing from "../src/Billing.js"
import * as FeatureControls from "../src/FeatureControls.js"
import * as Invitations from "../src/Invitations.js"
import * as MakeApi from "../src/MakeApi.js"
import { MakeClient } from "../src/MakeClient.js"
import type * as Operation from "../src/Operation.js"
import * as Organizations from "../src/Organizations.js"
import * as OrganizationVariables from "../src/OrganizationVariables.js"
import * as MakeTest from "../src/testing/MakeTest.js"
import * as Usage from "../src/Usage.js"

const hash = "bf1effe1-bc9d-4ab3-9414-9c3b66175305"

/** Every method with valid input (as `unknown` takes it) against the emulator's seed. */
const calls: ReadonlyArray<readonly [string, Operation.Any, unknown]> = [
  ["Organizations.list", Organizations.methods.list, { limit: 2 }],
  ["Organizations.get", Organizations.methods.get, { id: 11 }],
  ["Organizations.create", Organizations.methods.create, { name: "Delta", regionId: 1, timezoneId: 113, countryId: 1 }],
  ["Organizations.update", Organizations.methods.update, { id: 12, body: { name: "Beta" } }],
  ["Organizations.delete", Organizations.methods.delete, { id: 11, confirmed: true }],
  ["Organizations.apps", Organizations.methods.apps, 11],
  ["Organizations.checkTeamPermission", Organizations.methods.checkTeamPermission, {
    id: 11,
    teamPermission: "scenario add"
  }],
  ["AdminTeams.list", AdminTeams.methods.list, { organizationId: 11 }],
  ["AdminTeams.create", AdminTeams.methods.create, { name: "Ops", organizationId: 11 }],
  ["AdminTeams.update", AdminTeams.methods.update, { teamId: 21, body: { name: "Core" } }],
  ["AdminTeams.delete", AdminTeams.methods.delete, 22],
  ["OrganizationVariables.list", OrganizationVariables.methods.list, 11],
  ["OrganizationVariables.create", OrganizationVariables.methods.create, {
    organizationId: 11,
    body: { name: "retries", typeId: 1, value: 3 }
  }],
  ["OrganizationVariables.update", OrganizationVariables.methods.update, {
    organizationId: 11,
    name: "maintenanceMode",
    body: { typeId: 3, value: true }
  }],
  ["OrganizationVariables.delete", OrganizationVariables.methods.delete, {
    organizationId: 11,
    name: "apiBaseUrl",
    confirmed: true
  }],
  ["OrganizationVariables.history", OrganizationVariables.methods.history, { organizationId: 11, name: "dailyLimit" }],
  ["Invitations.invite", Invitations.methods.invite, {
    organizationId: 11,
    body: { email: "fox@example.com", name: "Fox Mulder", teamsId: [21] }
  }],
  ["Invitations.get", Invitations.methods.get, hash],
  ["Invitations.accept", Invitations.methods.accept, hash],
  ["Billing.payments", Billing.methods.payments, { organizationId: 11 }],
  ["Billing.createSinglePayment", Billing.methods.createSinglePayment, {
    organizationId: 11,
    body: { priceId: 201, quantity: 2 }
  }],
  ["Billing.subscription", Billing.methods.subscription, { organizationId: 11 }],
  ["Billing.createSubscription", Billing.methods.createSubscription, { organizationId: 13, body: { priceId: 101 } }],
  ["Billing.changeSubscription", Billing.methods.changeSubscription, { organizationId: 11, body: { priceId: 102 } }],
  ["Billing.cancelSubscription", Billing.methods.cancelSubscription, { organizationId: 11 }],
  ["Billing.setFreePlan", Billing.methods.setFreePlan, { organizationId: 11, confirmed: true }],
  ["Billing.applyCoupon", Billing.methods.applyCoupon, { organizationId: 11, couponCode: "SPRING25" }],
  ["Usage.get", Usage.methods.get, { organizationId: 11 }],
  ["FeatureControls.list", FeatureControls.methods.list, { organizationId: 11 }],
  ["FeatureControls.update", FeatureControls.methods.update, { organizationId: 11, body: { id: 7, enabled: false } }]
]

describe("Operation output", () => {
  it("covers every method once", () => {
    const all = Object.values(MakeApi.methods).flatMap((table) => Object.values(table))
    expect(calls.map(([, entry]) => entry)).toEqual(expect.arrayContaining(all))
    expect(calls).toHaveLength(all.length)
  })

  for (const [label, entry, input] of calls) {
    it.effect(`${label} answers a value of its output schema, which encodes to JSON`, () =>
      Effect.gen(function*() {
        const client = yield* MakeClient
        const [service = "", method = ""] = label.split(".")
        const answer = yield* entry.make(client, service, method).unknown(input)
        expect(Schema.is(entry.output)(answer)).toBe(true)
        const json = yield* Schema.encodeUnknownEffect(Schema.toCodecJson(entry.output))(answer)
        expect(JSON.parse(JSON.stringify(json ?? null))).toEqual(json ?? null)
      }).pipe(Effect.provide(MakeTest.layer())))
  }
})
