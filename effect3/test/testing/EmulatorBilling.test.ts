// Wire-level tests of the emulator's billing, through a raw HttpClient: payments history and its paging, single
// payments priced from the price list, the subscription lifecycle, the confirmed Free plan, coupons.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, TestClock } from "effect"
import { Emulator } from "../../src/testing/index.js"
import { contractClient, del, get, organizationNotFound, patch, post } from "./wire.js"

const noSubscription = { detail: "No active subscription.", message: "Not found", code: "SC404" }

/** The seed's time is the TestClock's start (1970-01-01); seeded records are dated relative to it. */
const daysBeforeSeed = (days: number) => new Date(-days * 86_400_000).toISOString()

describe("Emulator: payments", () => {
  // Each test builds its own emulator (no shared `layer` block: its tests would share one TestClock).
  it.effect("newest first by default, pg echoed", () =>
    Effect.gen(function*() {
      const answer = yield* get("/organizations/11/payments")
      expect(answer.status).toBe(200)
      expect(answer.body).toMatchObject({
        payments: [{ id: 505 }, { id: 504 }, { id: 503 }, { id: 502 }, { id: 501 }],
        pg: { sortBy: "id", sortDir: "desc", limit: 10000, offset: 0 }
      })
      expect(answer.body).toMatchObject({
        payments: [
          {
            id: 505,
            priceId: 103,
            quantity: 1,
            amount: 34.12,
            currency: "USD",
            status: "paid",
            couponCode: null,
            createdAt: daysBeforeSeed(5)
          },
          { id: 504, priceId: 201, quantity: 1, amount: 8.1, couponCode: "WELCOME10", createdAt: daysBeforeSeed(20) },
          {},
          { id: 502, priceId: 201, quantity: 2, amount: 18 },
          {}
        ]
      })
    }).pipe(Effect.provide(Emulator.layerTest())))

  it.effect("pages with pg[offset]/pg[limit] and sorts with pg[sortBy]/pg[sortDir]", () =>
    Effect.gen(function*() {
      const page = yield* get("/organizations/11/payments", { "pg[offset]": "1", "pg[limit]": "2" })
      expect(page.body).toEqual({
        payments: [expect.objectContaining({ id: 504 }), expect.objectContaining({ id: 503 })],
        pg: { sortBy: "id", sortDir: "desc", limit: 2, offset: 1 }
      })
      const byAmount = yield* get("/organizations/11/payments", { "pg[sortBy]": "amount", "pg[sortDir]": "asc" })
      expect(byAmount.body).toMatchObject({
        payments: [{ id: 504 }, { id: 502 }, { id: 501 }, { id: 503 }, { id: 505 }],
        pg: { sortBy: "amount", sortDir: "asc" }
      })
      const oldest = yield* get("/organizations/11/payments", { "pg[sortBy]": "createdAt", "pg[sortDir]": "asc" })
      expect(oldest.body).toMatchObject({ payments: [{ id: 501 }, {}, {}, {}, { id: 505 }] })
      const beta = yield* get("/organizations/12/payments", { "pg[sortDir]": "asc" })
      expect(beta.body).toMatchObject({ payments: [{ id: 506, status: "paid" }, { id: 507, status: "failed" }] })
      expect(yield* get("/organizations/13/payments")).toMatchObject({ status: 200, body: { payments: [] } })
      const unknown = yield* get("/organizations/11/payments", { "pg[sortBy]": "colour" })
      expect(unknown).toMatchObject({
        status: 400,
        body: { suberrors: [{ message: expect.stringContaining("colour") }] }
      })
      expect(yield* get("/organizations/999/payments")).toEqual({ status: 404, body: organizationNotFound })
    }).pipe(Effect.provide(Emulator.layerTest())))

  it.effect("a single payment is priced from the price list and the coupon, and joins the history", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      yield* TestClock.adjust("90 minutes")
      const paid = yield* post("/organizations/13/single-payment-create", {
        priceId: 202,
        quantity: 3,
        couponCode: "SPRING25"
      })
      expect(paid).toEqual({
        status: 200,
        body: {
          payment: {
            id: 508,
            priceId: 202,
            quantity: 3,
            amount: 162,
            currency: "USD",
            status: "paid",
            couponCode: "SPRING25",
            createdAt: "1970-01-01T01:30:00.000Z"
          }
        }
      })
      const cheap = yield* post("/organizations/13/single-payment-create", { priceId: 201, quantity: 3 })
      expect(cheap.body).toMatchObject({ payment: { id: 509, amount: 27, couponCode: null } })
      expect((yield* emulator.payments(13)).map((p) => p.id)).toEqual([508, 509])
      const listed = yield* get("/organizations/13/payments")
      expect(listed.body).toMatchObject({ payments: [{ id: 509 }, { id: 508 }] })
    }).pipe(Effect.provide(Emulator.layerTest())))

  it.effect("an unknown price or coupon, or a plan's price, is a 400 that records nothing", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const unknown = yield* post("/organizations/11/single-payment-create", {
        priceId: 999,
        quantity: 1,
        couponCode: "FREEBIE"
      })
      expect(unknown).toEqual({
        status: 400,
        body: {
          detail: "Validation failed for 2 parameter(s).",
          message: "Bad request",
          code: "IM015",
          suberrors: [{ message: "priceId: unknown price 999" }, { message: "couponCode: unknown coupon \"FREEBIE\"" }]
        }
      })
      const plan = yield* post("/organizations/11/single-payment-create", { priceId: 103, quantity: 1 })
      expect(plan).toMatchObject({
        status: 400,
        body: { suberrors: [{ message: expect.stringContaining("price 103 is a subscription plan") }] }
      })
      const zero = yield* post("/organizations/11/single-payment-create", { priceId: 201, quantity: 0 })
      expect(zero).toMatchObject({ status: 400, body: { code: "IM015" } })
      expect(yield* post("/organizations/999/single-payment-create", { priceId: 201, quantity: 1 })).toEqual({
        status: 404,
        body: organizationNotFound
      })
      expect(yield* emulator.payments(11)).toHaveLength(5)
    }).pipe(Effect.provide(Emulator.layerTest())))
})

describe("Emulator: subscription", () => {
  it.effect("the seeded subscriptions: Acme active, Beta Labs cancelled, Gamma none", () =>
    Effect.gen(function*() {
      expect(yield* get("/organizations/11/subscription")).toEqual({
        status: 200,
        body: {
          subscription: {
            id: 401,
            priceId: 103,
            status: "active",
            productName: "Teams",
            couponCode: null,
            createdAt: daysBeforeSeed(65),
            nextBillingAt: daysBeforeSeed(-25)
          }
        }
      })
      expect(yield* get("/organizations/12/subscription")).toEqual({ status: 404, body: noSubscription })
      expect(yield* get("/organizations/13/subscription")).toEqual({ status: 404, body: noSubscription })
      expect(yield* get("/organizations/999/subscription")).toEqual({ status: 404, body: organizationNotFound })
    }).pipe(Effect.provide(Emulator.layerTest())))

  it.effect("create, read, refuse a second, change, cancel: the whole lifecycle", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      yield* TestClock.adjust("1 day")
      const created = yield* post("/organizations/12/subscription", { priceId: 101, couponCode: "WELCOME10" })
      const subscription = {
        id: 403,
        priceId: 101,
        status: "active",
        productName: "Core",
        couponCode: "WELCOME10",
        createdAt: "1970-01-02T00:00:00.000Z",
        nextBillingAt: "1970-02-01T00:00:00.000Z"
      }
      expect(created).toEqual({ status: 200, body: { subscription } })
      // The first period is paid at once, with the coupon.
      expect(yield* emulator.payments(12)).toContainEqual({
        id: 508,
        organizationId: 12,
        priceId: 101,
        quantity: 1,
        amount: 9.53,
        currency: "USD",
        status: "paid",
        couponCode: "WELCOME10",
        createdAt: "1970-01-02T00:00:00.000Z"
      })
      expect(yield* get("/organizations/12/subscription")).toEqual({ status: 200, body: { subscription } })
      const listed = yield* get("/organizations", { "cols[]": ["id", "productName"], externalId: "BETA-001" })
      expect(listed.body).toMatchObject({ organizations: [{ id: 12, productName: "Core" }] })

      const second = yield* post("/organizations/12/subscription", { priceId: 102 })
      expect(second).toMatchObject({
        status: 400,
        body: { detail: expect.stringContaining("already has an active subscription"), code: "SC400" }
      })

      const changed = yield* patch("/organizations/12/subscription", { priceId: 102 })
      expect(changed).toEqual({
        status: 200,
        body: { subscription: { ...subscription, priceId: 102, productName: "Pro" } }
      })
      const notAPlan = yield* patch("/organizations/12/subscription", { priceId: 201 })
      expect(notAPlan).toMatchObject({
        status: 400,
        body: { suberrors: [{ message: expect.stringContaining("201") }] }
      })

      expect(yield* del("/organizations/12/subscription")).toEqual({ status: 200, body: { subscription: 403 } })
      expect(yield* get("/organizations/12/subscription")).toEqual({ status: 404, body: noSubscription })
      expect(yield* del("/organizations/12/subscription")).toEqual({ status: 404, body: noSubscription })
      expect(yield* patch("/organizations/12/subscription", { priceId: 101 })).toEqual({
        status: 404,
        body: noSubscription
      })
      expect((yield* emulator.subscriptions(12)).map((s) => [s.id, s.status, s.nextBillingAt])).toEqual([
        [402, "canceled", null],
        [403, "canceled", null]
      ])
      expect(yield* emulator.subscription(12)).toEqual(Option.none())
      // Cancelled, it can be subscribed again.
      const again = yield* post("/organizations/12/subscription", { priceId: 103 })
      expect(again.body).toMatchObject({ subscription: { id: 404, status: "active", productName: "Teams" } })
    }).pipe(Effect.provide(Emulator.layerTest())))

  it.effect("create refuses an unknown price, a one-off price and an unknown coupon", () =>
    Effect.gen(function*() {
      const refused = yield* post("/organizations/13/subscription", { priceId: 202, couponCode: "NOPE" })
      expect(refused).toMatchObject({
        status: 400,
        body: {
          code: "IM015",
          suberrors: [
            { message: "priceId: price 202 is not a subscription plan" },
            { message: "couponCode: unknown coupon \"NOPE\"" }
          ]
        }
      })
      expect(yield* get("/organizations/13/subscription")).toEqual({ status: 404, body: noSubscription })
    }).pipe(Effect.provide(Emulator.layerTest())))

  it.effect("the Free plan needs confirmed=true: without it 406 IM004 and nothing changes", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      const before = yield* emulator.snapshot
      const refused = yield* post("/organizations/11/subscription-free")
      expect(refused).toEqual({
        status: 406,
        body: {
          detail: "Switching to the Free plan ends the current subscription at once. Set confirmed=true to go ahead.",
          message: "Confirmation required",
          code: "IM004"
        }
      })
      expect((yield* post("/organizations/11/subscription-free", undefined, { confirmed: "false" })).status).toBe(406)
      expect(yield* emulator.snapshot).toBe(before)

      const free = yield* post("/organizations/11/subscription-free", undefined, { confirmed: "true" })
      const freePlan = {
        id: 401,
        priceId: null,
        status: "free",
        productName: "Free",
        couponCode: null,
        createdAt: daysBeforeSeed(65),
        nextBillingAt: null
      }
      expect(free).toEqual({ status: 200, body: { subscription: freePlan } })
      expect(yield* get("/organizations/11/subscription")).toEqual({ status: 200, body: { subscription: freePlan } })
      // Setting it again changes nothing; coupons and plan changes need a paid subscription.
      expect((yield* post("/organizations/11/subscription-free", undefined, { confirmed: "true" })).body).toEqual({
        subscription: freePlan
      })
      expect((yield* patch("/organizations/11/subscription", { priceId: 101 })).status).toBe(404)
      expect((yield* post("/organizations/11/subscription/coupon-apply", undefined, { couponCode: "HALFOFF" })).status)
        .toBe(404)
      // Subscribing leaves the Free plan.
      const upgraded = yield* post("/organizations/11/subscription", { priceId: 102 })
      expect(upgraded.body).toMatchObject({ subscription: { id: 403, status: "active", productName: "Pro" } })
      expect((yield* emulator.subscriptions(11)).map((s) => [s.id, s.status])).toEqual([
        [401, "canceled"],
        [403, "active"]
      ])

      // An organization without a subscription gets a new Free one.
      const gamma = yield* post("/organizations/13/subscription-free", undefined, { confirmed: "true" })
      expect(gamma.body).toMatchObject({ subscription: { id: 404, status: "free", priceId: null } })
      expect(yield* post("/organizations/999/subscription-free", undefined, { confirmed: "true" })).toEqual({
        status: 404,
        body: organizationNotFound
      })
    }).pipe(Effect.provide(Emulator.layerTest())))

  it.effect("a known coupon applies to the active subscription; unknown is 400, none active is 404", () =>
    Effect.gen(function*() {
      const applied = yield* post("/organizations/11/subscription/coupon-apply", undefined, { couponCode: "HALFOFF" })
      expect(applied).toMatchObject({ status: 200, body: { subscription: { id: 401, couponCode: "HALFOFF" } } })
      const unknown = yield* post("/organizations/11/subscription/coupon-apply", undefined, { couponCode: "half" })
      expect(unknown).toMatchObject({
        status: 400,
        body: { code: "IM015", suberrors: [{ message: "couponCode: unknown coupon \"half\"" }] }
      })
      const none = yield* post("/organizations/12/subscription/coupon-apply", undefined, { couponCode: "HALFOFF" })
      expect(none).toEqual({ status: 404, body: noSubscription })
      const missing = yield* post("/organizations/11/subscription/coupon-apply")
      expect(missing).toMatchObject({
        status: 400,
        body: { suberrors: [{ message: expect.stringContaining("couponCode") }] }
      })
      const emulator = yield* Emulator.Emulator
      expect(Option.map(yield* emulator.subscription(11), (s) => s.couponCode)).toEqual(Option.some("HALFOFF"))
    }).pipe(Effect.provide(Emulator.layerTest())))
})

it.effect("the request log shows the new endpoints' queries and bodies under Make's names", () =>
  Effect.gen(function*() {
    const emulator = yield* Emulator.Emulator
    yield* post("/organizations/11/subscription/coupon-apply", undefined, { couponCode: "WELCOME10" })
    yield* post("/organizations/11/subscription-free", undefined, { confirmed: "true" })
    yield* get("/organizations/11/check-team-permission", { teamPermission: "scenario add" })
    yield* get("/organizations/11/usage", { organizationTimezone: "true" })
    yield* get("/organizations/11/feature-controls", { featureControlName: "Make AI Tools", "cols[]": ["id"] })
    yield* del("/organizations/11/variables/dailyLimit", { confirmed: "true" })
    yield* post("/organizations/12/single-payment-create", { priceId: 201, quantity: 2 })
    const requests = yield* emulator.requests
    expect(requests.map(({ body, method, path, query, status }) => ({ method, path, query, body, status }))).toEqual([
      {
        method: "POST",
        path: "/organizations/11/subscription/coupon-apply",
        query: { couponCode: "WELCOME10" },
        body: undefined,
        status: 200
      },
      {
        method: "POST",
        path: "/organizations/11/subscription-free",
        query: { confirmed: "true" },
        body: undefined,
        status: 200
      },
      {
        method: "GET",
        path: "/organizations/11/check-team-permission",
        query: { teamPermission: "scenario add" },
        body: undefined,
        status: 200
      },
      {
        method: "GET",
        path: "/organizations/11/usage",
        query: { organizationTimezone: "true" },
        body: undefined,
        status: 200
      },
      {
        method: "GET",
        path: "/organizations/11/feature-controls",
        query: { featureControlName: "Make AI Tools", "cols[]": ["id"] },
        body: undefined,
        status: 200
      },
      {
        method: "DELETE",
        path: "/organizations/11/variables/dailyLimit",
        query: { confirmed: "true" },
        body: undefined,
        status: 200
      },
      {
        method: "POST",
        path: "/organizations/12/single-payment-create",
        query: {},
        body: { priceId: 201, quantity: 2 },
        status: 200
      }
    ])
  }).pipe(Effect.provide(Emulator.layerTest())))

it.effect("the contract's derived client decodes every billing answer (typed errors included)", () =>
  Effect.gen(function*() {
    const client = yield* contractClient
    const payments = yield* client.billing.payments({ path: { organizationId: 11 }, urlParams: { limit: 2 } })
    expect(payments.items.map((p) => [p.id, p.amount])).toEqual([[505, 34.12], [504, 8.1]])
    expect(payments.pg).toEqual({ sortBy: "id", sortDir: "desc", limit: 2, offset: 0 })
    const payment = yield* client.billing.createSinglePayment({
      path: { organizationId: 11 },
      payload: { priceId: 201, quantity: 1 }
    })
    expect(payment.amount).toBe(9)
    const current = yield* client.billing.getSubscription({ path: { organizationId: 11 } })
    expect(current.productName).toBe("Teams")
    const coupon = yield* client.billing.applyCoupon({
      path: { organizationId: 11 },
      urlParams: { couponCode: "SPRING25" }
    })
    expect(coupon.couponCode).toBe("SPRING25")
    const changed = yield* client.billing.changeSubscription({
      path: { organizationId: 11 },
      payload: { priceId: 102 }
    })
    expect(changed.priceId).toBe(102)
    const refused = yield* Effect.flip(client.billing.setFreePlan({ path: { organizationId: 11 }, urlParams: {} }))
    expect(refused).toMatchObject({ _tag: "NotConfirmed", code: "IM004", status: 406 })
    const free = yield* client.billing.setFreePlan({ path: { organizationId: 11 }, urlParams: { confirmed: true } })
    expect(free.status).toBe("free")
    const cancelled = yield* client.billing.cancelSubscription({ path: { organizationId: 11 } })
    expect(JSON.parse(cancelled)).toEqual({ subscription: 401 }) // the emulator's canonical shape; the client ignores it
    const none = yield* Effect.flip(client.billing.getSubscription({ path: { organizationId: 11 } }))
    expect(none).toMatchObject({ _tag: "NotFound", detail: "No active subscription." })
    const created = yield* client.billing.createSubscription({
      path: { organizationId: 11 },
      payload: { priceId: 103 }
    })
    expect(created.nextBillingAt).toBe("1970-01-31T00:00:00.000Z")
    const conflict = yield* Effect.flip(
      client.billing.createSubscription({ path: { organizationId: 11 }, payload: { priceId: 103 } })
    )
    expect(conflict).toMatchObject({ _tag: "InvalidRequest", status: 400 })
  }).pipe(Effect.provide(Emulator.layerTest())))
