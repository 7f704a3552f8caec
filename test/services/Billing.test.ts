// Billing over the emulator: payments (paged and streamed), single payments, the subscription's life cycle (get,
// create, change, cancel, free plan) and coupons; every typed error, and the exact requests the emulator received.
// The seed's time is the TestClock's start (the epoch): Acme's subscription 401 started 65 days before it.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Option, Stream } from "effect"
import { TestClock } from "effect/testing"
import * as Billing from "../../src/Billing.js"
import * as MakeError from "../../src/MakeError.js"
import * as MakeTest from "../../src/testing/MakeTest.js"
import {
  clearRequests,
  defectOf,
  lastRequest,
  payments,
  requests,
  subscription,
  subscriptions,
  unimplemented
} from "../support/billing.js"
const march10 = Date.UTC(2025, 2, 10, 12)

/** "The user's code" over the mock: whether an organization pays, i.e. has a subscription. */
const isPaying = (organizationId: number) =>
  Effect.flatMap(Billing.Billing, (billing) => billing.subscription(organizationId)).pipe(
    Effect.as(true),
    Effect.catchTag("NotFound", () => Effect.succeed(false))
  )

describe("Billing", () => {
  it.effect("payments: one page, newest first, with Make's pg echo", () =>
    Effect.gen(function*() {
      const billing = yield* Billing.Billing
      const page = yield* billing.payments(11)
      expect(page.items.map((payment) => [payment.id, payment.priceId, payment.quantity, payment.amount])).toEqual([
        [505, 103, 1, 34.12],
        [504, 201, 1, 8.1],
        [503, 103, 1, 34.12],
        [502, 201, 2, 18],
        [501, 103, 1, 34.12]
      ])
      expect({ ...page.items[1] }).toEqual({
        id: 504,
        priceId: 201,
        quantity: 1,
        amount: 8.1,
        currency: "USD",
        status: "paid",
        couponCode: "WELCOME10",
        createdAt: "1969-12-12T00:00:00.000Z"
      })
      // null on the wire: no coupon
      expect(page.items[0]?.couponCode).toBeUndefined()
      expect(page.pg).toEqual({ sortBy: "id", sortDir: "desc", limit: 10_000, offset: 0 })
      expect(yield* lastRequest).toMatchObject({
        method: "GET",
        path: "/organizations/11/payments",
        query: {},
        status: 200
      })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("payments: pg[offset], pg[limit], pg[sortBy], pg[sortDir] on the wire", () =>
    Effect.gen(function*() {
      const billing = yield* Billing.Billing
      const page = yield* billing.payments(11, { offset: 1, limit: 2, sortBy: "amount", sortDir: "asc" })
      // by amount ascending (ties by id): 8.1 (504), 18 (502), 34.12 (501, 503, 505)
      expect(page.items.map((payment) => payment.id)).toEqual([502, 501])
      expect(page.pg).toEqual({ sortBy: "amount", sortDir: "asc", limit: 2, offset: 1 })
      expect((yield* lastRequest)?.query).toEqual({
        "pg[offset]": "1",
        "pg[limit]": "2",
        "pg[sortBy]": "amount",
        "pg[sortDir]": "asc"
      })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("payments: a failed payment is listed with its status", () =>
    Effect.gen(function*() {
      const billing = yield* Billing.Billing
      const page = yield* billing.payments(12)
      expect(page.items.map((payment) => [payment.id, payment.status])).toEqual([[507, "failed"], [506, "paid"]])
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("payments: NotFound names the organization", () =>
    Effect.gen(function*() {
      const billing = yield* Billing.Billing
      const error = yield* Effect.flip(billing.payments(999))
      expect(error).toMatchObject({ _tag: "NotFound", status: 404, resource: "organization", id: 999 })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("streamPayments: walks the pages, asking for each offset once, and stops at the short page", () =>
    Effect.gen(function*() {
      const billing = yield* Billing.Billing
      const all = yield* Stream.runCollect(billing.streamPayments(11, { limit: 2 }))
      expect(all.map((payment) => payment.id)).toEqual([505, 504, 503, 502, 501])
      const seen = yield* requests
      expect(seen.map((request) => request.path)).toEqual(Array(3).fill("/organizations/11/payments"))
      expect(seen.map((request) => request.query)).toEqual([
        { "pg[offset]": "0", "pg[limit]": "2" },
        { "pg[offset]": "2", "pg[limit]": "2" },
        { "pg[offset]": "4", "pg[limit]": "2" }
      ])
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("streamPayments: from an offset, only the pages pulled", () =>
    Effect.gen(function*() {
      const billing = yield* Billing.Billing
      const first = yield* Stream.runCollect(billing.streamPayments(11, { offset: 1, limit: 2 }).pipe(Stream.take(2)))
      expect(first.map((payment) => payment.id)).toEqual([504, 503])
      expect((yield* requests).map((request) => request.query["pg[offset]"])).toEqual(["1"])
      const error = yield* Effect.flip(Stream.runCollect(billing.streamPayments(999)))
      expect(error).toMatchObject({ _tag: "NotFound", resource: "organization", id: 999 })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("createSinglePayment: the body on the wire, the payment answered, then listed first", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(march10)
      const billing = yield* Billing.Billing
      const payment = yield* billing.createSinglePayment(11, { priceId: 201, quantity: 3, couponCode: "SPRING25" })
      // 3 × 9.00, 25 % off
      expect(payment).toEqual({
        id: 508,
        priceId: 201,
        quantity: 3,
        amount: 20.25,
        currency: "USD",
        status: "paid",
        couponCode: "SPRING25",
        createdAt: "2025-03-10T12:00:00.000Z"
      })
      const request = yield* lastRequest
      expect(request).toMatchObject({ method: "POST", path: "/organizations/11/single-payment-create", status: 200 })
      expect(request?.body).toEqual({ priceId: 201, quantity: 3, couponCode: "SPRING25" })
      const page = yield* billing.payments(11)
      expect(page.items.map((p) => p.id)).toEqual([508, 505, 504, 503, 502, 501])
      expect(page.items[0]?.amount).toBe(20.25)
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("createSinglePayment: without a coupon, none is sent", () =>
    Effect.gen(function*() {
      const billing = yield* Billing.Billing
      const payment = yield* billing.createSinglePayment(13, { priceId: 202, quantity: 1 })
      expect(payment).toMatchObject({ priceId: 202, quantity: 1, amount: 72 })
      expect(payment.couponCode).toBeUndefined()
      expect((yield* lastRequest)?.body).toEqual({ priceId: 202, quantity: 1 })
      expect((yield* payments(13)).map((p) => p.id)).toEqual([payment.id])
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("createSinglePayment: quantity 0 or 1.5, a malformed coupon: InvalidInput, and nothing is sent", () =>
    Effect.gen(function*() {
      const billing = yield* Billing.Billing
      // Effect 4's Schema reports the rejected value only when decoding with `reportInput`, which the argument check
      // does not use: the lines name the place and the rule, without Effect 3's ", actual 0".
      const zero = yield* Effect.flip(billing.createSinglePayment(11, { priceId: 201, quantity: 0 }))
      expect(zero).toMatchObject({
        _tag: "InvalidInput",
        operation: "Billing.createSinglePayment",
        issues: ["body.quantity: Expected a value between 1 and 1000000"]
      })
      const fraction = yield* Effect.flip(billing.createSinglePayment(11, { priceId: 201, quantity: 1.5 }))
      expect(fraction).toMatchObject({
        _tag: "InvalidInput",
        issues: ["body.quantity: Expected an integer"]
      })
      const coupon = yield* Effect.flip(
        billing.createSinglePayment(11, { priceId: 201, quantity: 1, couponCode: "10% OFF" })
      )
      expect(coupon).toMatchObject({
        _tag: "InvalidInput",
        issues: ["body.couponCode: must be a coupon code (letters, digits, - and _)"]
      })
      expect(yield* requests).toEqual([])
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("createSinglePayment: a well-formed but unknown coupon is Make's 400 with a suberror", () =>
    Effect.gen(function*() {
      const billing = yield* Billing.Billing
      const error = yield* Effect.flip(
        billing.createSinglePayment(11, { priceId: 201, quantity: 1, couponCode: "BOGUS" })
      )
      expect(error).toMatchObject({
        _tag: "InvalidRequest",
        status: 400,
        code: "IM015",
        suberrors: [{ message: "couponCode: unknown coupon \"BOGUS\"" }]
      })
      expect((yield* payments(11)).map((p) => p.id)).toEqual([501, 502, 503, 504, 505])
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("createSinglePayment: NotFound names the organization", () =>
    Effect.gen(function*() {
      const billing = yield* Billing.Billing
      const error = yield* Effect.flip(billing.createSinglePayment(999, { priceId: 201, quantity: 1 }))
      expect(error).toMatchObject({ _tag: "NotFound", resource: "organization", id: 999 })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("subscription: Acme's active one", () =>
    Effect.gen(function*() {
      const billing = yield* Billing.Billing
      const subscription = yield* billing.subscription(11)
      expect(subscription).toEqual({
        id: 401,
        priceId: 103,
        status: "active",
        productName: "Teams",
        createdAt: "1969-10-28T00:00:00.000Z",
        // every 30 days from the start: the third period ends 25 days after the seed's time
        nextBillingAt: "1970-01-26T00:00:00.000Z"
      })
      expect(yield* lastRequest).toMatchObject({
        method: "GET",
        path: "/organizations/11/subscription",
        query: {},
        body: undefined,
        status: 200
      })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("subscription: NotFound for Gamma, which has none, names the subscription of the organization", () =>
    Effect.gen(function*() {
      const billing = yield* Billing.Billing
      const error = yield* Effect.flip(billing.subscription(13))
      expect(error).toMatchObject({
        _tag: "NotFound",
        status: 404,
        code: "SC404",
        detail: "No active subscription.",
        resource: "subscription",
        organizationId: 13
      })
      expect(error.message).toContain("The subscription of organization 13 was not found")
      // Beta Labs' only subscription is cancelled: none either.
      expect(yield* Effect.flip(billing.subscription(12))).toMatchObject({ _tag: "NotFound", organizationId: 12 })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("createSubscription: Gamma subscribes; its first period is paid", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(march10)
      const billing = yield* Billing.Billing
      const created = yield* billing.createSubscription(13, { priceId: 102, couponCode: "WELCOME10" })
      expect(created).toEqual({
        id: 403,
        priceId: 102,
        status: "active",
        productName: "Pro",
        couponCode: "WELCOME10",
        createdAt: "2025-03-10T12:00:00.000Z",
        nextBillingAt: "2025-04-09T12:00:00.000Z"
      })
      expect(yield* lastRequest).toMatchObject({
        method: "POST",
        path: "/organizations/13/subscription",
        body: { priceId: 102, couponCode: "WELCOME10" },
        status: 200
      })
      expect((yield* billing.subscription(13)).id).toBe(403)
      const payments = yield* billing.payments(13)
      // 18.82, 10 % off
      expect(payments.items.map((p) => [p.id, p.priceId, p.amount, p.couponCode])).toEqual([
        [508, 102, 16.94, "WELCOME10"]
      ])
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("createSubscription: NotFound names the organization; bad arguments are InvalidInput, nothing sent", () =>
    Effect.gen(function*() {
      const billing = yield* Billing.Billing
      const error = yield* Effect.flip(billing.createSubscription(999, { priceId: 101 }))
      expect(error).toMatchObject({ _tag: "NotFound", resource: "organization", id: 999 })
      yield* clearRequests
      const failures = [
        yield* Effect.flip(billing.createSubscription(13, { priceId: 0 })),
        yield* Effect.flip(billing.createSubscription(13, { priceId: 101, couponCode: "" }))
      ]
      expect(failures.map((failure) => failure._tag)).toEqual(["InvalidInput", "InvalidInput"])
      expect(yield* requests).toEqual([])
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("changeSubscription: moves Acme to another plan, same subscription", () =>
    Effect.gen(function*() {
      const billing = yield* Billing.Billing
      const changed = yield* billing.changeSubscription(11, { priceId: 102 })
      expect(changed).toMatchObject({ id: 401, priceId: 102, status: "active", productName: "Pro" })
      expect(yield* lastRequest).toMatchObject({
        method: "PATCH",
        path: "/organizations/11/subscription",
        body: { priceId: 102 },
        status: 200
      })
      expect(yield* billing.subscription(11)).toMatchObject({ id: 401, priceId: 102, productName: "Pro" })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("changeSubscription: NotFound without an active subscription", () =>
    Effect.gen(function*() {
      const billing = yield* Billing.Billing
      const error = yield* Effect.flip(billing.changeSubscription(13, { priceId: 102 }))
      expect(error).toMatchObject({ _tag: "NotFound", resource: "subscription", organizationId: 13 })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("cancelSubscription: then there is no subscription, and the cancelled one stays as history", () =>
    Effect.gen(function*() {
      const billing = yield* Billing.Billing
      yield* billing.cancelSubscription(11)
      expect(yield* lastRequest).toMatchObject({
        method: "DELETE",
        path: "/organizations/11/subscription",
        query: {},
        status: 200
      })
      const error = yield* Effect.flip(billing.subscription(11))
      expect(error).toMatchObject({ _tag: "NotFound", resource: "subscription", organizationId: 11 })
      expect((yield* subscriptions(11)).map((s) => [s.id, s.status, s.nextBillingAt])).toEqual([
        [401, "canceled", null]
      ])
      // Nothing left to cancel.
      const again = yield* Effect.flip(billing.cancelSubscription(11))
      expect(again).toMatchObject({ _tag: "NotFound", resource: "subscription", organizationId: 11 })
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("setFreePlan without confirmed: NotConfirmed, and the subscription is unchanged", () =>
    Effect.gen(function*() {
      const billing = yield* Billing.Billing
      const error = yield* Effect.flip(billing.setFreePlan(11))
      expect(error).toMatchObject({
        _tag: "NotConfirmed",
        status: 406,
        code: "IM004",
        resource: "organization",
        id: 11
      })
      expect(error.message).toContain("confirmed: true")
      expect(yield* lastRequest).toMatchObject({
        method: "POST",
        path: "/organizations/11/subscription-free",
        query: {},
        status: 406
      })
      expect(Option.map(yield* subscription(11), (s) => [s.id, s.status, s.priceId])).toEqual(
        Option.some([401, "active", 103])
      )
      // confirmed: false is the same as leaving it out
      expect((yield* Effect.flip(billing.setFreePlan(11, { confirmed: false })))._tag).toBe("NotConfirmed")
      expect((yield* lastRequest)?.query).toEqual({ confirmed: "false" })
      expect((yield* billing.subscription(11)).status).toBe("active")
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("setFreePlan with confirmed: true: the Free plan, confirmed=true on the wire", () =>
    Effect.gen(function*() {
      const billing = yield* Billing.Billing
      const free = yield* billing.setFreePlan(11, { confirmed: true })
      expect(free).toMatchObject({ id: 401, status: "free", productName: "Free" })
      expect(free.priceId).toBeUndefined()
      expect(free.nextBillingAt).toBeUndefined()
      expect(yield* lastRequest).toMatchObject({
        method: "POST",
        path: "/organizations/11/subscription-free",
        query: { confirmed: "true" },
        status: 200
      })
      expect((yield* billing.subscription(11)).status).toBe("free")
      expect(Option.map(yield* subscription(11), (s) => s.status)).toEqual(Option.some("free"))
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("setFreePlan: NotFound for an unknown organization, InvalidInput for id 0", () =>
    Effect.gen(function*() {
      const billing = yield* Billing.Billing
      const error = yield* Effect.flip(billing.setFreePlan(999, { confirmed: true }))
      expect(error).toMatchObject({ _tag: "NotFound", resource: "organization", id: 999 })
      const invalid = yield* Effect.flip(billing.setFreePlan(0, { confirmed: true }))
      expect(invalid).toMatchObject({ _tag: "InvalidInput", operation: "Billing.setFreePlan" })
      expect((yield* requests).length).toBe(1)
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("applyCoupon: couponCode in the query, no body; the subscription carries the coupon", () =>
    Effect.gen(function*() {
      const billing = yield* Billing.Billing
      const subscription = yield* billing.applyCoupon(11, "WELCOME10")
      expect(subscription).toMatchObject({ id: 401, status: "active", couponCode: "WELCOME10" })
      expect(yield* lastRequest).toMatchObject({
        method: "POST",
        path: "/organizations/11/subscription/coupon-apply",
        query: { couponCode: "WELCOME10" },
        body: undefined,
        status: 200
      })
      expect((yield* billing.subscription(11)).couponCode).toBe("WELCOME10")
    }).pipe(Effect.provide(MakeTest.layer())))

  it.effect("applyCoupon: NotFound without an active subscription; a malformed code is InvalidInput", () =>
    Effect.gen(function*() {
      const billing = yield* Billing.Billing
      const error = yield* Effect.flip(billing.applyCoupon(13, "WELCOME10"))
      expect(error).toMatchObject({
        _tag: "NotFound",
        status: 404,
        resource: "subscription",
        organizationId: 13
      })
      expect(yield* lastRequest).toMatchObject({ query: { couponCode: "WELCOME10" }, status: 404 })
      const invalid = yield* Effect.flip(billing.applyCoupon(11, "WELCOME 10"))
      expect(invalid).toMatchObject({
        _tag: "InvalidInput",
        operation: "Billing.applyCoupon",
        issues: ["couponCode: must be a coupon code (letters, digits, - and _)"]
      })
      expect((yield* requests).length).toBe(1)
    }).pipe(Effect.provide(MakeTest.layer())))

  // Effect 4: the operation names the organization a request counts against (Effect 3 read it from the request):
  // every Billing call is about the organization of its path.
  it.effect("rate limit: each call counts against the organization it is about", () =>
    Effect.gen(function*() {
      const billing = yield* Billing.Billing
      yield* billing.subscription(11)
      const again = yield* Effect.forkChild(billing.setFreePlan(11, { confirmed: true }))
      // another organization has a window of its own: sent at once
      const other = yield* Effect.forkChild(billing.payments(12))
      yield* TestClock.adjust("59 seconds")
      expect((yield* requests).map((request) => request.path)).toEqual([
        "/organizations/11/subscription",
        "/organizations/12/payments"
      ])
      yield* TestClock.adjust("1 second")
      expect((yield* Fiber.join(again)).status).toBe("free")
      expect((yield* Fiber.join(other)).items.length).toBe(2)
      expect((yield* lastRequest)?.path).toBe("/organizations/11/subscription-free")
    }).pipe(Effect.provide(MakeTest.layer({ clientRateLimit: { requestsPerMinute: 1 } }))))

  describe("layerMock", () => {
    it.effect("a NotFound subscription reads as not paying; other methods die naming themselves", () =>
      Effect.gen(function*() {
        expect(yield* isPaying(12)).toBe(false)
        const billing = yield* Billing.Billing
        expect(yield* defectOf(billing.payments(12))).toBe(unimplemented("Billing.payments"))
        expect(yield* defectOf(Stream.runDrain(billing.streamPayments(12)))).toBe(
          unimplemented("Billing.streamPayments")
        )
      }).pipe(Effect.provide(Billing.layerMock({
        subscription: (organizationId) =>
          Effect.fail(
            new MakeError.NotFound({ status: 404, detail: "Not found", resource: "subscription", organizationId })
          )
      }))))

    it.effect("otherwise: a 5xx reaches the user's code as ServerError", () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(isPaying(12))
        expect(error).toMatchObject({ _tag: "ServerError", status: 503 })
      }).pipe(
        Effect.provide(
          Billing.layerMock({}, {
            otherwise: new MakeError.ServerError({ status: 503, detail: "Service unavailable" })
          })
        )
      ))
  })
})
