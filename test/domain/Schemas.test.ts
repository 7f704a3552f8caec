// The domain schemas beyond the fixtures: every entity round-trips through its wire form, the tolerant readers
// (payment and subscription dates, variable history, mismatched variables) read every name they accept, and request
// bodies refuse what Make would, with a message a user can act on.
import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, DateTime, Result, Schema } from "effect"
import * as Billing from "../../src/domain/Billing.js"
import * as Common from "../../src/domain/Common.js"
import * as FeatureControl from "../../src/domain/FeatureControl.js"
import * as Invitation from "../../src/domain/Invitation.js"
import * as Organization from "../../src/domain/Organization.js"
import * as Variable from "../../src/domain/OrganizationVariable.js"
import * as Team from "../../src/domain/Team.js"
import * as Usage from "../../src/domain/Usage.js"
import * as MakeError from "../../src/MakeError.js"

/** The problems a request body has, as `InvalidInput` would list them (empty when it is accepted). */
const problems = (schema: Schema.Codec<unknown, unknown>, value: unknown): ReadonlyArray<string> =>
  Result.match(Schema.decodeUnknownResult(schema)(value, { errors: "all" }), {
    onSuccess: () => [],
    onFailure: (error) => MakeError.formatIssues(error)
  })

const roundTrip = <S extends Schema.Codec<unknown, unknown>>(name: string, schema: S) =>
  it.prop(`${name}: any value encodes to a wire body that decodes back to it`, [Schema.toType(schema)], ([value]) => {
    const wire = Schema.encodeSync(schema)(value)
    // (not through JSON text: the arbitrary draws NaN and Infinity, which JSON cannot carry and Make never sends)
    expect(Schema.decodeUnknownSync(schema)(wire)).toEqual(value)
  }, { arbitrary: { runs: 100 } })

describe("round trips", () => {
  roundTrip("Organization", Organization.Organization)
  roundTrip("Team", Team.Team)
  roundTrip("Invitation", Invitation.Invitation)
  roundTrip("FeatureControl", FeatureControl.FeatureControl)
  roundTrip("UsageDay", Usage.UsageDay)
  roundTrip("Payment", Billing.Payment)
  roundTrip("Subscription", Billing.Subscription)

  // a value marked mismatched that has the type its typeId says reads back typed, as on the Effect 3 line: such a value
  // is not one Make can send, so the arbitrary leaves it out
  const matches = (variable: Variable.OrganizationVariable) =>
    !Variable.isMismatched(variable) ||
    Result.isFailure(Schema.decodeUnknownResult(Variable.VariableValue[variable.typeId])(variable.value))
  it.prop(
    "OrganizationVariable: any value encodes to a wire body that decodes back to it",
    [Arbitrary.filter(Arbitrary.schema(Schema.toType(Variable.OrganizationVariable)), matches)],
    ([value]) => {
      const wire = Schema.encodeSync(Variable.OrganizationVariable)(value)
      expect(Schema.decodeUnknownSync(Variable.OrganizationVariable)(wire)).toEqual(value)
    },
    { arbitrary: { runs: 200 } }
  )
})

describe("tolerant readers", () => {
  it.prop("Count: a number, or any finite number written as a string", [Schema.Finite], ([n]) => {
    expect(Schema.decodeUnknownSync(Common.Count)(n)).toBe(n)
    expect(Schema.decodeUnknownSync(Common.Count)(String(n))).toBe(Object.is(n, -0) ? 0 : n)
    expect(Schema.encodeSync(Common.Count)(n)).toBe(n)
  })

  it("Count: text that is no number fails, as in Effect 3", () => {
    for (const text of ["", " ", "abc", "12abc"]) {
      expect(Result.isFailure(Schema.decodeUnknownResult(Common.Count)(text))).toBe(true)
    }
    expect(Schema.decodeUnknownSync(Common.Count)(" 12 ")).toBe(12)
  })

  it("Optional: null and a missing key both decode to a missing key; a present value stays", () => {
    const App = Schema.Struct({ name: Schema.String, description: Common.Optional(Schema.String) })
    expect(Schema.decodeUnknownSync(App)({ name: "x", description: null })).toStrictEqual({ name: "x" })
    expect(Schema.decodeUnknownSync(App)({ name: "x" })).toStrictEqual({ name: "x" })
    expect(Schema.decodeUnknownSync(App)({ name: "x", description: "d" }))
      .toStrictEqual({ name: "x", description: "d" })
    expect(Schema.encodeSync(App)({ name: "x" })).toStrictEqual({ name: "x" })
  })

  it.prop(
    "a payment's creation date arrives under any of its names",
    { value: Schema.toType(Billing.Payment), name: Schema.Literals(["createdAt", "created", "date"]) },
    ({ name, value }) => {
      const { createdAt, ...rest } = Schema.encodeSync(Billing.Payment)(value)
      const wire = createdAt === undefined ? rest : { ...rest, [name]: createdAt }
      expect(Schema.decodeUnknownSync(Billing.Payment)(wire)).toEqual(value)
    }
  )

  it.prop(
    "a subscription's dates arrive under any of their names",
    {
      value: Schema.toType(Billing.Subscription),
      started: Schema.Literals(["createdAt", "created", "startedAt"]),
      next: Schema.Literals(["nextBillingAt", "nextBilling", "nextBillingDate"])
    },
    ({ next, started, value }) => {
      const { createdAt, nextBillingAt, ...rest } = Schema.encodeSync(Billing.Subscription)(value)
      const wire = {
        ...rest,
        ...(createdAt === undefined ? {} : { [started]: createdAt }),
        ...(nextBillingAt === undefined ? {} : { [next]: nextBillingAt })
      }
      expect(Schema.decodeUnknownSync(Billing.Subscription)(wire)).toEqual(value)
    }
  )

  it("license.apps: an array, or a single string", () => {
    expect(Schema.decodeUnknownSync(Organization.LicenseApps)(["T2", "T3"])).toEqual(["T2", "T3"])
    expect(Schema.decodeUnknownSync(Organization.LicenseApps)("T2")).toEqual(["T2"])
  })

  describe("variable history", () => {
    const renamed = {
      oldValue: 42,
      newValue: 43,
      changedAt: "2026-11-27T10:00:00.000Z",
      author: { id: 1, name: "Ann", email: "ann@example.com" }
    }
    const read = {
      originalValue: 42,
      newValue: 43,
      timestamp: "2026-11-27T10:00:00.000Z",
      author: { id: 1, name: "Ann", email: "ann@example.com" }
    }
    const decode = Schema.decodeUnknownSync(Variable.VariableHistoryEntry)

    it("oldValue / changedAt in diffObject are read as originalValue / timestamp", () => {
      expect(decode({ id: 3, diffObject: renamed })).toEqual({ id: 3, diffObject: read })
    })

    it("the same content directly on the entry, without diffObject", () => {
      expect(decode({ id: 3, ...renamed })).toEqual({ id: 3, diffObject: read })
    })

    it("previousValue, updatedAt and user are read too", () => {
      expect(
        decode({ id: 5, diffObject: { previousValue: "a", newValue: "b", updatedAt: "2026-11-27", user: { id: 9 } } })
      ).toEqual({
        id: 5,
        diffObject: { originalValue: "a", newValue: "b", timestamp: "2026-11-27", author: { id: 9 } }
      })
    })

    for (
      const [label, entry] of [
        ["an empty diffObject", { id: 4, diffObject: {} }],
        ["no content at all", { id: 4 }],
        ["only unknown names", { id: 4, diffObject: { before: 1, after: 2 } }]
      ] as const
    ) {
      it(`an entry with ${label} fails, never an empty success`, () => {
        expect(problems(Variable.VariableHistoryEntry, entry)).toEqual([
          "a history entry with none of original value, new value, value, timestamp, author"
        ])
      })
    }
  })

  describe("organization variables", () => {
    const decode = Schema.decodeUnknownSync(Variable.OrganizationVariable)

    it("values are decoded to the type their typeId says; a date is a DateTime.Utc", () => {
      expect(decode({ name: "limit", typeId: 1, value: 250, isSystem: null })).toEqual({
        name: "limit",
        typeId: 1,
        value: 250
      })
      const launch = decode({ name: "launch", typeId: 4, value: "2026-12-01T09:00:00.000Z" })
      expect(Variable.isMismatched(launch)).toBe(false)
      expect(DateTime.isDateTime(launch.value)).toBe(true)
      expect(Schema.encodeSync(Variable.OrganizationVariable)(launch)).toEqual({
        name: "launch",
        typeId: 4,
        value: "2026-12-01T09:00:00.000Z"
      })
    })

    it("a value of another type than typeId says is kept raw, marked mismatched, and encodes without the mark", () => {
      for (const [typeId, value] of [[1, "250"], [2, 5], [3, "yes"], [4, "not a date"], [1, null]] as const) {
        const variable = decode({ name: "odd", typeId, value })
        expect(variable).toEqual({ name: "odd", typeId, value, mismatched: true })
        expect(Variable.isMismatched(variable)).toBe(true)
        expect(Schema.encodeSync(Variable.OrganizationVariable)(variable)).toEqual({ name: "odd", typeId, value })
      }
    })
  })
})

describe("request bodies refuse what Make would, with a message a user can act on", () => {
  it("ids, names, e-mails, hashes, coupons, variable names, permissions", () => {
    expect(problems(Organization.CreateOrganization, { name: " ", regionId: 0, timezoneId: 1.5, countryId: 1 }))
      .toEqual([
        "name: must not be blank",
        "regionId: Expected a value greater than 0",
        "timezoneId: Expected an integer"
      ])
    expect(problems(Team.UpdateTeam, { name: "x".repeat(256) })).toEqual(["name: must be at most 255 characters"])
    expect(problems(Invitation.InviteUser, { email: "ann", name: "Ann" })).toEqual([
      "email: must be an e-mail address such as ann@example.com"
    ])
    expect(problems(Schema.toCodecJson(Invitation.InvitationHash), "short")).toEqual([
      "must be an invitation hash such as bf1effe1-bc9d-…"
    ])
    expect(problems(Billing.CreateSinglePayment, { priceId: 1, quantity: 0, couponCode: "a b" })).toEqual([
      "quantity: Expected a value between 1 and 1000000",
      "couponCode: must be a coupon code (letters, digits, - and _)"
    ])
    expect(problems(Variable.CreateVariable, { name: "a/b", typeId: 1, value: 1 })).not.toEqual([])
    expect(problems(Schema.toCodecJson(Organization.TeamPermission), "Scenario Add")).toEqual([
      "must be a permission name such as \"scenario add\""
    ])
    expect(problems(FeatureControl.SetFeatureControl, { id: 3, enabled: true })).toEqual([])
  })

  it("the variable bodies on the wire: value of the type typeId says; an update needs one of them", () => {
    const mismatch = "value must be of the type typeId says (1 number, 2 string, 3 boolean, 4 ISO 8601 date)"
    expect(problems(Variable.CreateVariableBody, { name: "a", typeId: 1, value: "x" })).toEqual([mismatch])
    expect(problems(Variable.CreateVariableBody, { name: "a", typeId: 4, value: "2026-12-01" })).toEqual([])
    expect(problems(Variable.UpdateVariableBody, {})).toEqual(["typeId or value is required"])
    expect(problems(Variable.UpdateVariableBody, { value: "x" })).toEqual([])
    expect(problems(Variable.UpdateVariableBody, { typeId: 3, value: "x" })).toEqual([mismatch])
  })
})
