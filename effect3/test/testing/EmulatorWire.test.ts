// The emulator's answers are typed by the contract: a body the client could not decode does not compile, Make's
// quirks (counters as strings, `license.apps` a bare string) do; and what is sent decodes through the contract.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { TeamCreated } from "../../src/api/AdminTeamsApi.js"
import { SubscriptionEnvelope } from "../../src/api/BillingApi.js"
import { OrganizationEnvelope } from "../../src/api/OrganizationsApi.js"
import { answer } from "../../src/testing/emulator/Wire.js"

const sent = (response: ReturnType<typeof answer>) =>
  Effect.sync(() => {
    const body = response.body
    return body._tag === "Uint8Array" ? JSON.parse(new TextDecoder().decode(body.body)) : undefined
  })

describe("Emulator: bodies typed by the contract", () => {
  it("a body the client could not decode fails the type check", () => {
    // @ts-expect-error: counters are numbers or numeric strings, never booleans
    answer(OrganizationEnvelope, { organization: { id: 11, name: "Acme", operations: true } })
    // @ts-expect-error: an organization has an id
    answer(OrganizationEnvelope, { organization: { name: "Acme" } })
    // @ts-expect-error: a team's organizationId is a number
    answer(TeamCreated, { team: { id: 1, name: "Ops", organizationId: "11" } })
    // @ts-expect-error: a subscription has a status
    answer(SubscriptionEnvelope, { subscription: { id: 401 } })
    expect(true).toBe(true)
  })

  it.effect("Make's quirks type-check and decode: counters as strings, license.apps a bare string", () =>
    Effect.gen(function*() {
      const body = yield* sent(answer(OrganizationEnvelope, {
        organization: { id: 12, name: "Beta Labs", operations: "0", license: { apps: "T2", apiLimit: 240 } }
      }))
      expect(body).toEqual({
        organization: { id: 12, name: "Beta Labs", operations: "0", license: { apps: "T2", apiLimit: 240 } }
      })
      const decoded = yield* Schema.decodeUnknown(OrganizationEnvelope)(body)
      expect(decoded.organization).toMatchObject({ operations: 0, license: { apps: ["T2"] } })
      const team = yield* sent(answer(TeamCreated, {
        team: { id: 30, name: "Ops", organizationId: 11, operationsLimit: 0, transferLimit: "0" }
      }))
      expect((yield* Schema.decodeUnknown(TeamCreated)(team)).team.transferLimit).toBe(0)
    }))
})
