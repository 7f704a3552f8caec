// The contract as the client and emulator read it (HttpApi.reflect): each real body in fixtures/make-api decodes
// through its endpoint's success schema, JSON codec included, to the value the Effect 3 line decodes it to; the
// tolerant envelopes take every accepted shape and encode to the canonical one.
import { describe, expect, it } from "@effect/vitest"
import { Option, Schema } from "effect"
import { HttpApi } from "effect/http-api"
import { readFileSync } from "node:fs"
import { ListTeamsParams, TeamCreated, TeamList } from "../../src/api/AdminTeamsApi.js"
import { PaymentList, PaymentsParams, SubscriptionEnvelope } from "../../src/api/BillingApi.js"
import * as Envelope from "../../src/api/Envelope.js"
import { InvitationEnvelope, InviteAnswerEnvelope } from "../../src/api/InvitationsApi.js"
import { MakeHttpApi } from "../../src/api/MakeHttpApi.js"
import {
  ListOrganizationsParams,
  OrganizationCreated,
  OrganizationEnvelope,
  OrganizationList
} from "../../src/api/OrganizationsApi.js"
import { BooleanFromString, NumberFromString } from "../../src/api/Params.js"
import { UsageList } from "../../src/api/UsageApi.js"
import { Subscription } from "../../src/domain/Billing.js"
import { Invitation } from "../../src/domain/Invitation.js"

const fixture = (path: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../fixtures/make-api/${path}`, import.meta.url), "utf8"))
const effect3: Record<string, unknown> = JSON.parse(
  readFileSync(new URL("../../fixtures/decoded.json", import.meta.url), "utf8")
)

/** `group.endpoint` → its success schemas by status, as the derived client decodes them. */
const successes = new Map<string, ReadonlyMap<number, ReadonlyArray<Schema.Top>>>()
HttpApi.reflect(MakeHttpApi, {
  onGroup: () => {},
  onEndpoint: ({ endpoint, group, successes: byStatus }) => {
    successes.set(`${group.identifier}.${endpoint.identifier}`, byStatus)
  }
})

/**
 * The envelope's JSON codec, once it is checked to be the one `operation` declares at `status`: the endpoint holds
 * `Schema.toCodecJson(envelope)`, whose AST is memoized, so the same AST means the same decoder the client runs.
 */
const declared = <T, E>(operation: string, envelope: Schema.Codec<T, E>, status = 200) => {
  const codec = Schema.toCodecJson(envelope)
  const schemas = successes.get(operation)?.get(status) ?? []
  expect([operation, status, schemas.map((schema) => schema.ast === codec.ast)]).toEqual([operation, status, [true]])
  return codec
}

describe("the fixtures through the contract's endpoints", () => {
  const rows: ReadonlyArray<readonly [file: string, operation: string, envelope: Schema.Codec<unknown, unknown>]> = [
    ["organizations/list.json", "organizations.list", OrganizationList],
    ["organizations/get.json", "organizations.get", OrganizationEnvelope],
    ["organizations/create.json", "organizations.create", OrganizationCreated],
    ["organizations/update.json", "organizations.update", OrganizationEnvelope],
    ["teams/list.json", "adminTeams.list", TeamList],
    ["teams/create.json", "adminTeams.create", TeamCreated]
  ]
  for (const [file, operation, envelope] of rows) {
    it(`${file} decodes through ${operation}'s 200 to the Effect 3 line's value`, () => {
      const decoded = Schema.decodeUnknownSync(declared(operation, envelope))(fixture(file))
      expect(decoded).toStrictEqual(effect3[file])
    })
  }

  it("the 30 endpoints each declare a success at 200, and the void ones also at 204", () => {
    expect(successes.size).toBe(30)
    const voids = [...successes].filter(([, byStatus]) => byStatus.has(204)).map(([operation]) => operation)
    expect(voids.sort()).toEqual([
      "adminTeams.delete",
      "billing.cancelSubscription",
      "organizationVariables.delete",
      "organizations.delete"
    ])
    for (const [operation, byStatus] of successes) expect([operation, byStatus.has(200)]).toEqual([operation, true])
  })

  it("a void call's body is any text: empty, a bare id, JSON, not JSON", () => {
    const body = declared("adminTeams.delete", Envelope.AnyBody)
    expect(declared("adminTeams.delete", Envelope.AnyBodyNoContent, 204).ast).toBe(Envelope.AnyBodyNoContent.ast)
    for (const text of ["", "401", "{\"team\":24}", "null", "Deleted."]) {
      expect(Schema.decodeUnknownSync(body)(text)).toBe(text)
    }
  })
})

// ---------------------------------------------------------------------------
// Envelopes: every accepted shape decodes to the value it carries; encoding gives the canonical key
// ---------------------------------------------------------------------------

describe("envelopes", () => {
  it.prop(
    "a subscription under any accepted key decodes to itself, and encodes under `subscription`",
    [Schema.toType(Subscription)],
    ([value]) => {
      const wire = Schema.encodeSync(Subscription)(value)
      for (const body of [{ subscription: wire }, { subscriptions: wire }, { data: wire, pg: {} }]) {
        expect(Schema.decodeUnknownSync(SubscriptionEnvelope)(body)).toEqual(value)
      }
      expect(Schema.encodeSync(SubscriptionEnvelope)(value)).toEqual({ subscription: wire })
    },
    { arbitrary: { runs: 100 } }
  )

  it.prop(
    "an invitation directly, under data or inside its membership record decodes to itself",
    [Schema.toType(Invitation)],
    ([value]) => {
      const whole = Schema.encodeSync(Invitation)(value)
      const { organizationId, usersRoleId, ...inner } = whole
      const wrapped = {
        userOrganizationRole: {
          userId: 1,
          organizationId,
          ...(usersRoleId === undefined ? {} : { usersRoleId }),
          invitation: inner
        }
      }
      for (const body of [{ invitation: whole }, { invitations: whole }, { data: whole }, wrapped]) {
        expect(Schema.decodeUnknownSync(InvitationEnvelope)(body)).toEqual(value)
        expect(Schema.decodeUnknownSync(InviteAnswerEnvelope)(body)).toEqual(value)
      }
    },
    { arbitrary: { runs: 100 } }
  )

  it("an invitation read needs its e-mail and name; an invite's answer may leave them to the request", () => {
    const membership = {
      userOrganizationRole: {
        userId: 7,
        organizationId: 12,
        usersRoleId: 2,
        invitation: { hash: "bf1e", note: null, teamsId: [24], accepted: false }
      }
    }
    expect(Schema.decodeUnknownSync(InviteAnswerEnvelope)(membership)).toEqual({
      hash: "bf1e",
      organizationId: 12,
      usersRoleId: 2,
      teamsId: [24],
      accepted: false
    })
    expect(() => Schema.decodeUnknownSync(InvitationEnvelope)(membership)).toThrow()
  })

  it("usage as seen from a Make-compatible server: {data: [...], timezone}", () => {
    const days = [{ date: "2026-10-01", operations: 3, dataTransfer: "1024", centicredits: 1 }]
    expect(Schema.decodeUnknownSync(UsageList)({ data: days, timezone: "Europe/Prague" })).toEqual([
      { date: "2026-10-01", operations: 3, dataTransfer: 1024, centicredits: 1 }
    ])
    expect(Schema.decodeUnknownSync(UsageList)(days)).toHaveLength(1)
    expect(Schema.decodeUnknownSync(UsageList)({ usages: days })).toHaveLength(1)
  })

  it("a page without a pg echo, or with pg: null, has an empty one", () => {
    const payments = declared("billing.payments", PaymentList)
    const payment = { id: 505, priceId: 201, quantity: "1", amount: "34.12", currency: "USD", status: "paid" }
    const decoded = { id: 505, priceId: 201, quantity: 1, amount: 34.12, currency: "USD", status: "paid" }
    for (const body of [{ payments: [payment] }, { data: [payment], pg: null }, { payment: [payment] }]) {
      expect(Schema.decodeUnknownSync(payments)(body)).toEqual({ items: [decoded], pg: {} })
    }
  })
})

// ---------------------------------------------------------------------------
// Query and path values as they travel: Make's wire names, numbers and booleans as text
// ---------------------------------------------------------------------------

describe("query and path values", () => {
  it("a list query decodes from Make's wire names and encodes back to them", () => {
    const wire = {
      "pg[offset]": "10",
      "pg[limit]": "50",
      "pg[sortBy]": "name",
      "pg[sortDir]": "desc",
      "cols[]": ["id", "name"],
      zone: "eu1.make.com"
    }
    const decoded = Schema.decodeUnknownSync(ListOrganizationsParams)(wire)
    expect(decoded).toEqual({
      offset: 10,
      limit: 50,
      sortBy: "name",
      sortDir: "desc",
      cols: ["id", "name"],
      zone: "eu1.make.com"
    })
    expect(Schema.encodeSync(ListOrganizationsParams)(decoded)).toEqual(wire)
    expect(Schema.encodeSync(ListTeamsParams)({ organizationId: 11, limit: 10 })).toEqual({
      organizationId: "11",
      "pg[limit]": "10"
    })
  })

  it.prop(
    "paging out of Make's range, or not a number, is refused",
    [Schema.Literals(["-1", "1.5", "abc", "", "NaN"]), Schema.Literals(["0", "10001", "2.5", "x"])],
    ([offset, limit]) => {
      expect(Schema.decodeUnknownOption(PaymentsParams)({ "pg[offset]": offset })).toEqual(Option.none())
      expect(Schema.decodeUnknownOption(PaymentsParams)({ "pg[limit]": limit })).toEqual(Option.none())
    }
  )

  it("ids in a path are numeric text, as on the Effect 3 line; `true` / `false` are the only booleans", () => {
    expect(Schema.decodeUnknownSync(NumberFromString)("11")).toBe(11)
    expect(Schema.encodeSync(NumberFromString)(11)).toBe("11")
    // Effect 4's own NumberFromString reads "abc" as NaN and FiniteFromString reads "" as 0: neither is taken here
    for (const text of ["abc", "", "  ", "11abc"]) {
      expect([text, Option.isNone(Schema.decodeUnknownOption(NumberFromString)(text))]).toEqual([text, true])
    }
    expect(Schema.decodeUnknownSync(BooleanFromString)("true")).toBe(true)
    expect(Schema.decodeUnknownSync(BooleanFromString)("false")).toBe(false)
    expect(Schema.encodeSync(BooleanFromString)(true)).toBe("true")
    for (const text of ["yes", "1", "TRUE", ""]) {
      expect([text, Option.isNone(Schema.decodeUnknownOption(BooleanFromString)(text))]).toEqual([text, true])
    }
  })
})
