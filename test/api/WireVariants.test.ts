// Wire variants: every plausible shape of every undocumented envelope, served by a fixed-response HttpClient, decodes
// to the same value through the real services; void calls take any body; nothing Make sends under a plausible name
// is silently lost, and an entry without its documented content is an UnexpectedResponse.
// Imports `effect`, `effect/http` and src/ only.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Formatter, Layer, Logger, Redacted, References, Schema } from "effect"
import { HttpClient, HttpClientResponse } from "effect/http"
import * as AdminTeams from "../../src/AdminTeams.js"
import { SubscriptionEnvelope } from "../../src/api/BillingApi.js"
import { InvitationEnvelope } from "../../src/api/InvitationsApi.js"
import * as Billing from "../../src/Billing.js"
import { Payment, Subscription } from "../../src/domain/Billing.js"
import { Invitation } from "../../src/domain/Invitation.js"
import * as FeatureControls from "../../src/FeatureControls.js"
import * as Invitations from "../../src/Invitations.js"
import * as MakeApi from "../../src/MakeApi.js"
import * as Organizations from "../../src/Organizations.js"
import * as OrganizationVariables from "../../src/OrganizationVariables.js"
import * as Usage from "../../src/Usage.js"

const secret = "0b6e2c7d-4f1a-4e55-9c3b-7a8d9e0f1a2b"

/** Every service over an HttpClient that answers every request with `body` and `status`. */
const answering = (body: string, status = 200) =>
  MakeApi.layer({ token: Redacted.make(secret), zone: "eu1.make.com", retry: "off" }).pipe(
    Layer.provide(
      Layer.succeed(HttpClient.HttpClient)(
        HttpClient.make((request) =>
          Effect.succeed(HttpClientResponse.fromWeb(
            request,
            new Response(status === 204 ? null : body, { status, headers: { "content-type": "application/json" } })
          ))
        )
      )
    ),
    Layer.orDie
  )

type Services = Layer.Success<ReturnType<typeof answering>>

/** One service call, what each accepted shape carries, and the one value every shape must decode to. */
interface Row {
  readonly call: string
  readonly run: Effect.Effect<unknown, unknown, Services>
  readonly shapes: Record<string, unknown>
  readonly expected: unknown
}

// ---------------------------------------------------------------------------
// Wire values and what they decode to
// ---------------------------------------------------------------------------

const days = Array.from({ length: 30 }, (_, i) => ({
  date: `2026-10-${String(i + 1).padStart(2, "0")}`,
  operations: i * 3,
  dataTransfer: String(i * 1024),
  centicredits: i
}))
const decodedDays = days.map((day) => ({ ...day, dataTransfer: Number(day.dataTransfer) }))

const hash = "bf1effe1-bc9d-4ab3-9414-9c3b66175305"
const invitation = {
  hash,
  organizationId: 12,
  email: "ann@example.com",
  name: "Ann",
  usersRoleId: 2,
  note: null,
  teamsId: [24],
  accepted: false
}
const decodedInvitation = {
  hash,
  organizationId: 12,
  email: "ann@example.com",
  name: "Ann",
  usersRoleId: 2,
  teamsId: [24],
  accepted: false
}
// As the issue saw it: the membership record wraps an invitation that leaves the organization and role to it.
const membership = {
  userOrganizationRole: {
    userId: 7,
    organizationId: 12,
    usersRoleId: 2,
    invitation: { hash, email: "ann@example.com", name: "Ann", note: null, teamsId: [24], accepted: false }
  }
}
const role = { userId: 7, organizationId: 12, usersRoleId: 2 }

const payment = {
  id: 505,
  priceId: 201,
  quantity: "1",
  amount: "34.12",
  currency: "USD",
  status: "paid",
  couponCode: null,
  createdAt: "2026-11-01T00:00:00.000Z"
}
const decodedPayment = {
  id: 505,
  priceId: 201,
  quantity: 1,
  amount: 34.12,
  currency: "USD",
  status: "paid",
  createdAt: "2026-11-01T00:00:00.000Z"
}
const pg = { offset: 0, limit: 10, sortBy: "id", sortDir: "desc" }

const subscription = {
  id: 401,
  priceId: 103,
  status: "active",
  productName: "Teams",
  couponCode: null,
  createdAt: "2026-01-01T00:00:00.000Z",
  nextBillingAt: "2026-12-01T00:00:00.000Z"
}
const decodedSubscription = {
  id: 401,
  priceId: 103,
  status: "active",
  productName: "Teams",
  createdAt: "2026-01-01T00:00:00.000Z",
  nextBillingAt: "2026-12-01T00:00:00.000Z"
}

const variables = [
  { name: "dailyLimit", typeId: 1, value: 250 },
  { name: "$organizationId", typeId: 1, value: 11, isSystem: true }
]
const variable = { name: "region", typeId: 2, value: "eu", isSystem: null }
const decodedVariable = { name: "region", typeId: 2, value: "eu" }

const author = { id: 1, name: "Ann", email: null }
const history = [
  {
    id: 2,
    diffObject: { originalValue: 200, newValue: 250, timestamp: "2026-11-02T00:00:00.000Z", author }
  },
  { id: 1, diffObject: { value: 200, timestamp: "2026-11-01T00:00:00.000Z", author } }
]
const decodedHistory = [
  {
    id: 2,
    diffObject: {
      originalValue: 200,
      newValue: 250,
      timestamp: "2026-11-02T00:00:00.000Z",
      author: { id: 1, name: "Ann" }
    }
  },
  { id: 1, diffObject: { value: 200, timestamp: "2026-11-01T00:00:00.000Z", author: { id: 1, name: "Ann" } } }
]

const controls = [{ id: 12, name: "Make AI Tools", enabled: true, description: null }]
const decodedControls = [{ id: 12, name: "Make AI Tools", enabled: true }]

const apps = [{ name: "my-app-x1", label: "My app", version: 1, public: true, description: null }]
const decodedApps = [{ name: "my-app-x1", label: "My app", version: 1, public: true }]

/** The shapes of one entity: its singular and plural keys (canonical first), `data` with siblings, extra wrappers. */
const entityShapes = (keys: ReadonlyArray<string>, value: unknown, extra: Record<string, unknown> = {}) => ({
  ...Object.fromEntries(keys.map((key) => [`{"${key}": …}`, { [key]: value }])),
  [`{"data": …, siblings}`]: { data: value, meta: { requestId: "r-1" } },
  ...extra
})

/** The shapes of a list: its keys, `data` with siblings, and the bare array. */
const listShapes = (keys: ReadonlyArray<string>, items: ReadonlyArray<unknown>, siblings: object = {}) => ({
  ...Object.fromEntries(keys.map((key) => [`{"${key}": [...]}`, { [key]: items, ...siblings }])),
  [`{"data": [...], siblings}`]: { data: items, ...siblings },
  "a bare array": items
})

const rows: ReadonlyArray<Row> = [
  {
    call: "Usage.get",
    run: Effect.flatMap(Usage.Usage, (usage) => usage.get(11)),
    shapes: listShapes(["usage", "usages"], days, { timezone: "Europe/Prague" }),
    expected: decodedDays
  },
  {
    call: "Usage.get (organizationTimezone)",
    run: Effect.flatMap(Usage.Usage, (usage) => usage.get(11, { organizationTimezone: true })),
    shapes: listShapes(["usage", "usages"], days, { timezone: "Europe/Prague" }),
    expected: decodedDays
  },
  {
    call: "Invitations.invite",
    run: Effect.flatMap(Invitations.Invitations, (s) => s.invite(12, { email: "ann@example.com", name: "Ann" })),
    shapes: entityShapes(["invitation", "invitations"], invitation, {
      "the membership record wrapping it": membership
    }),
    expected: decodedInvitation
  },
  {
    call: "Invitations.get",
    run: Effect.flatMap(Invitations.Invitations, (s) => s.get(hash)),
    shapes: entityShapes(["invitation", "invitations"], invitation, {
      "the membership record wrapping it": membership
    }),
    expected: decodedInvitation
  },
  {
    call: "Invitations.accept",
    run: Effect.flatMap(Invitations.Invitations, (s) => s.accept(hash)),
    shapes: entityShapes(["userOrganizationRole", "userOrganizationRoles"], role),
    expected: role
  },
  {
    call: "Billing.payments",
    run: Effect.flatMap(Billing.Billing, (s) => s.payments(11, { limit: 10 })),
    shapes: {
      ...Object.fromEntries(
        ["payments", "payment", "data"].map((key) => [`{"${key}": [...], "pg": …}`, { [key]: [payment], pg }])
      )
    },
    expected: { items: [decodedPayment], pg }
  },
  {
    call: "Billing.payments (no pg echo)",
    run: Effect.flatMap(Billing.Billing, (s) => s.payments(11)),
    shapes: { "{\"payments\": [...]}": { payments: [payment] }, "{\"data\": [...]}": { data: [payment] } },
    expected: { items: [decodedPayment], pg: {} }
  },
  {
    call: "Billing.createSinglePayment",
    run: Effect.flatMap(Billing.Billing, (s) => s.createSinglePayment(11, { priceId: 201, quantity: 1 })),
    shapes: entityShapes(["payment", "payments"], payment),
    expected: decodedPayment
  },
  ...(
    [
      ["subscription", (s: Billing.Service) => s.subscription(11)],
      ["createSubscription", (s: Billing.Service) => s.createSubscription(11, { priceId: 103 })],
      ["changeSubscription", (s: Billing.Service) => s.changeSubscription(11, { priceId: 103 })],
      ["setFreePlan", (s: Billing.Service) => s.setFreePlan(11, { confirmed: true })],
      ["applyCoupon", (s: Billing.Service) => s.applyCoupon(11, "WELCOME10")]
    ] as const
  ).map(([method, call]): Row => ({
    call: `Billing.${method}`,
    run: Effect.flatMap(Billing.Billing, call),
    shapes: entityShapes(["subscription", "subscriptions"], subscription),
    expected: decodedSubscription
  })),
  {
    call: "OrganizationVariables.list",
    run: Effect.flatMap(OrganizationVariables.OrganizationVariables, (s) => s.list(11)),
    shapes: listShapes(["organizationVariables", "organizationVariable"], variables),
    expected: variables
  },
  {
    call: "OrganizationVariables.create",
    run: Effect.flatMap(
      OrganizationVariables.OrganizationVariables,
      (s) => s.create(11, { name: "region", typeId: 2, value: "eu" })
    ),
    shapes: entityShapes(["organizationVariable", "organizationVariables"], variable),
    expected: decodedVariable
  },
  {
    call: "OrganizationVariables.update",
    run: Effect.flatMap(
      OrganizationVariables.OrganizationVariables,
      (s) => s.update(11, "region", { typeId: 2, value: "eu" })
    ),
    shapes: entityShapes(["organizationVariable", "organizationVariables"], variable),
    expected: decodedVariable
  },
  {
    call: "OrganizationVariables.history",
    run: Effect.flatMap(OrganizationVariables.OrganizationVariables, (s) => s.history(11, "dailyLimit")),
    shapes: listShapes(["history", "organizationVariableHistory", "variableHistory"], history),
    expected: decodedHistory
  },
  {
    call: "FeatureControls.list",
    run: Effect.flatMap(FeatureControls.FeatureControls, (s) => s.list(11)),
    shapes: listShapes(["featureControls", "featureControl"], controls),
    expected: decodedControls
  },
  {
    call: "FeatureControls.update",
    run: Effect.flatMap(FeatureControls.FeatureControls, (s) => s.update(11, { id: 12, enabled: true })),
    shapes: entityShapes(["featureControl", "featureControls"], controls[0]),
    expected: decodedControls[0]
  },
  {
    call: "Organizations.apps",
    run: Effect.flatMap(Organizations.Organizations, (s) => s.apps(11)),
    shapes: listShapes(["apps", "app", "customApps"], apps),
    expected: decodedApps
  }
]

describe("wire variants: every accepted shape decodes to the same value", () => {
  for (const row of rows) {
    for (const [shape, body] of Object.entries(row.shapes)) {
      it.effect(`${row.call} ← ${shape}`, () =>
        Effect.gen(function*() {
          expect(yield* row.run).toEqual(row.expected)
        }).pipe(Effect.provide(answering(JSON.stringify(body)))))
    }
  }
})

// ---------------------------------------------------------------------------
// The exact bodies
// ---------------------------------------------------------------------------

describe("wire variants: the bodies seen from a Make-compatible server", () => {
  it.effect("Usage.get ← {data: [30 days], timezone}", () =>
    Effect.gen(function*() {
      const usage = yield* Usage.Usage
      expect(yield* usage.get(11)).toEqual(decodedDays)
      expect(yield* usage.get(11, { organizationTimezone: true })).toEqual(decodedDays)
    }).pipe(Effect.provide(answering(JSON.stringify({ data: days, timezone: "Europe/Prague" })))))

  it.effect("Invitations.invite ← {userOrganizationRole: {userId, organizationId, usersRoleId, invitation}}", () =>
    Effect.gen(function*() {
      const invitations = yield* Invitations.Invitations
      expect(yield* invitations.invite(12, { email: "ann@example.com", name: "Ann" })).toEqual(decodedInvitation)
    }).pipe(Effect.provide(answering(JSON.stringify(membership)))))

  it.effect("Billing.cancelSubscription ← {subscription: {id, status: canceled, ...}}", () =>
    Effect.gen(function*() {
      const billing = yield* Billing.Billing
      expect(yield* billing.cancelSubscription(11)).toBeUndefined()
    }).pipe(Effect.provide(answering(JSON.stringify({ subscription: { ...subscription, status: "canceled" } })))))

  it.effect("Organizations.apps ← an app with description: null", () =>
    Effect.gen(function*() {
      const organizations = yield* Organizations.Organizations
      expect(yield* organizations.apps(11)).toEqual(decodedApps)
    }).pipe(Effect.provide(answering(JSON.stringify({ apps })))))
})

// ---------------------------------------------------------------------------
// Void calls: any 2xx body
// ---------------------------------------------------------------------------

const voidCalls: ReadonlyArray<readonly [string, Effect.Effect<void, unknown, Services>]> = [
  ["Billing.cancelSubscription", Effect.flatMap(Billing.Billing, (s) => s.cancelSubscription(11))],
  ["Organizations.delete", Effect.flatMap(Organizations.Organizations, (s) => s.delete(11, { confirmed: true }))],
  [
    "OrganizationVariables.delete",
    Effect.flatMap(OrganizationVariables.OrganizationVariables, (s) => s.delete(11, "region", { confirmed: true }))
  ],
  ["AdminTeams.delete", Effect.flatMap(AdminTeams.AdminTeams, (s) => s.delete(24))]
]

const voidBodies: ReadonlyArray<readonly [string, string, number]> = [
  ["an empty body", "", 200],
  ["204 No Content", "", 204],
  ["a bare id", "401", 200],
  ["the id under its key", JSON.stringify({ subscription: 401 }), 200],
  ["the whole entity", JSON.stringify({ subscription: { ...subscription, status: "canceled" } }), 200],
  ["null", "null", 200],
  ["text that is not JSON", "Deleted.", 200]
]

/** Runs `effect` with every log line at debug level and above collected. */
const withDebugLog = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const lines: Array<string> = []
    const logger = Logger.make((options) => {
      lines.push(Formatter.format(options.message))
    })
    const value = yield* effect.pipe(
      Effect.provide(Logger.layer([logger])),
      Effect.provideService(References.MinimumLogLevel, "Debug")
    )
    return { value, lines }
  })

describe("wire variants: a void call never fails on its body", () => {
  for (const [call, run] of voidCalls) {
    for (const [label, body, status] of voidBodies) {
      it.effect(`${call} ← ${label}`, () =>
        Effect.gen(function*() {
          const { lines, value } = yield* withDebugLog(run)
          expect(value).toBeUndefined()
          if (body.length > 0) {
            expect(lines.filter((line) => line.includes("ignored the body"))).toHaveLength(1)
            expect(lines.join("\n")).toContain(JSON.stringify(body).slice(1, -1).slice(0, 40))
          }
        }).pipe(Effect.provide(answering(body, status))))
    }
  }

  it.effect("the logged body is scrubbed of the token", () =>
    Effect.gen(function*() {
      const { lines } = yield* withDebugLog(Effect.flatMap(Billing.Billing, (s) => s.cancelSubscription(11)))
      expect(lines.join("\n")).toContain("<redacted>")
      expect(lines.join("\n")).not.toContain(secret)
    }).pipe(Effect.provide(answering(JSON.stringify({ echo: `Token ${secret}` })))))
})

// ---------------------------------------------------------------------------
// No silent loss
// ---------------------------------------------------------------------------

const historyOf = (body: unknown) =>
  Effect.flatMap(OrganizationVariables.OrganizationVariables, (s) => s.history(11, "dailyLimit")).pipe(
    Effect.provide(answering(JSON.stringify(body)))
  )

describe("wire variants: no silent loss", () => {
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

  it.effect("history: oldValue / changedAt in diffObject are read as originalValue / timestamp", () =>
    Effect.gen(function*() {
      expect(yield* historyOf({ history: [{ id: 3, diffObject: renamed }] })).toEqual([{ id: 3, diffObject: read }])
    }))

  it.effect("history: the same content directly on the entry, without diffObject", () =>
    Effect.gen(function*() {
      expect(yield* historyOf({ history: [{ id: 3, ...renamed }] })).toEqual([{ id: 3, diffObject: read }])
    }))

  it.effect("history: previousValue, updatedAt and user are read too", () =>
    Effect.gen(function*() {
      const entry = {
        id: 5,
        diffObject: { previousValue: "a", newValue: "b", updatedAt: "2026-11-27", user: { id: 9 } }
      }
      expect(yield* historyOf({ history: [entry] })).toEqual([
        { id: 5, diffObject: { originalValue: "a", newValue: "b", timestamp: "2026-11-27", author: { id: 9 } } }
      ])
    }))

  for (
    const [label, entry] of [
      ["an empty diffObject", { id: 4, diffObject: {} }],
      ["no content at all", { id: 4 }],
      ["only unknown names", { id: 4, diffObject: { before: 1, after: 2 } }]
    ] as const
  ) {
    it.effect(`history: an entry with ${label} is an UnexpectedResponse, not an empty success`, () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(historyOf({ history: [entry] }))
        expect(error).toMatchObject({ _tag: "UnexpectedResponse", status: 200 })
        expect(error.message).toContain("none of original value, new value, value, timestamp, author")
      }))
  }

  it.effect("payments: created is read as createdAt", () =>
    Effect.gen(function*() {
      const billing = yield* Billing.Billing
      const page = yield* billing.payments(11)
      expect(page.items).toEqual([{ ...decodedPayment, createdAt: "2026-10-01T08:00:00.000Z" }])
    }).pipe(Effect.provide(answering(JSON.stringify({
      payments: [{ ...withoutKey(payment, "createdAt"), created: "2026-10-01T08:00:00.000Z" }]
    })))))

  it.effect("subscription: created and nextBilling are read as createdAt and nextBillingAt", () =>
    Effect.gen(function*() {
      const billing = yield* Billing.Billing
      expect(yield* billing.subscription(11)).toEqual({
        ...decodedSubscription,
        createdAt: "2025-12-01T00:00:00.000Z",
        nextBillingAt: "2026-12-24T00:00:00.000Z"
      })
    }).pipe(Effect.provide(answering(JSON.stringify({
      subscription: {
        ...withoutKey(withoutKey(subscription, "createdAt"), "nextBillingAt"),
        created: "2025-12-01T00:00:00.000Z",
        nextBilling: "2026-12-24T00:00:00.000Z"
      }
    })))))
})

function withoutKey<T extends object, K extends keyof T>(record: T, key: K): Omit<T, K> {
  const { [key]: _, ...rest } = record
  return rest
}

// ---------------------------------------------------------------------------
// Properties: across the input space, each shape decodes to the value it carries
// ---------------------------------------------------------------------------

describe("wire variants: properties", () => {
  it.prop(
    "a subscription under any accepted key decodes to itself",
    { value: Schema.toType(Subscription) },
    ({ value }) => {
      const wire = Schema.encodeSync(Subscription)(value)
      for (const body of [{ subscription: wire }, { subscriptions: wire }, { data: wire, pg: {} }]) {
        expect(Schema.decodeUnknownSync(SubscriptionEnvelope)(body)).toEqual(value)
      }
    }
  )

  it.prop(
    "an invitation directly, under data or inside its membership record decodes to itself",
    { value: Schema.toType(Invitation) },
    ({ value }) => {
      const { organizationId, usersRoleId, ...inner } = Schema.encodeSync(Invitation)(value)
      const wrapped = {
        userOrganizationRole: {
          userId: 1,
          organizationId,
          ...(usersRoleId === undefined ? {} : { usersRoleId }),
          invitation: inner
        }
      }
      const whole = Schema.encodeSync(Invitation)(value)
      for (const body of [{ invitation: whole }, { data: whole }, wrapped]) {
        expect(Schema.decodeUnknownSync(InvitationEnvelope)(body)).toEqual(value)
      }
    }
  )

  it.prop(
    "a payment's creation date arrives under any of its names",
    { value: Schema.toType(Payment), name: Schema.Literals(["createdAt", "created", "date"]) },
    ({ name, value }) => {
      const { createdAt, ...rest } = Schema.encodeSync(Payment)(value)
      const wire = createdAt === undefined ? rest : { ...rest, [name]: createdAt }
      expect(Schema.decodeUnknownSync(Payment)(wire)).toEqual(value)
    }
  )
})
