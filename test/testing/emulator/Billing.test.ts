// The Billing area's pure operations: payments newest first and paged, single payments priced from the list, the
// subscription's life cycle, the confirmed Free plan, coupons.
import { describe, expect, it } from "@effect/vitest"
import { Option, Schema } from "effect"
import { PaymentEnvelope, PaymentList, SubscriptionEnvelope } from "../../../src/api/BillingApi.js"
import {
  applyCoupon,
  cancelSubscription,
  changeSubscription,
  createSinglePayment,
  createSubscription,
  currentSubscription,
  getSubscription,
  listPayments,
  setFreePlan
} from "../../../src/testing/emulator/Billing.js"
import { listOrganizations } from "../../../src/testing/emulator/Organizations.js"
import { inOrganization } from "../../../src/testing/emulator/Store.js"
import { failure, ok, seeded } from "./support.js"

const day = 86_400_000

/** The seed's time is 0 (1970-01-01); seeded records are dated relative to it. */
const daysBeforeSeed = (days: number) => new Date(-days * day).toISOString()

const noSubscription = (organizationId: number) => ({
  _tag: "NotFound",
  status: 404,
  detail: "No active subscription.",
  code: "SC404",
  resource: "subscription",
  id: organizationId
})

describe("payments", () => {
  it("newest first by default, pg echoed; the contract decodes the page", () => {
    const body = ok(listPayments(seeded, 11, {}))
    expect(body.pg).toEqual({ sortBy: "id", sortDir: "desc", limit: 10000, offset: 0 })
    expect(body.payments).toMatchObject([
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
      { id: 503 },
      { id: 502, priceId: 201, quantity: 2, amount: 18 },
      { id: 501 }
    ])
    expect(Schema.decodeUnknownResult(PaymentList)(body)._tag).toBe("Success")
  })

  it("pages and sorts; an unknown column is a 400, an unknown organization its 404", () => {
    const page = ok(listPayments(seeded, 11, { offset: 1, limit: 2 }))
    expect(page.payments.map((p) => p.id)).toEqual([504, 503])
    expect(page.pg).toEqual({ sortBy: "id", sortDir: "desc", limit: 2, offset: 1 })
    expect(ok(listPayments(seeded, 11, { sortBy: "amount", sortDir: "asc" })).payments.map((p) => p.id)).toEqual([
      504,
      502,
      501,
      503,
      505
    ])
    expect(ok(listPayments(seeded, 11, { sortBy: "createdAt", sortDir: "asc" })).payments.map((p) => p.id)).toEqual([
      501,
      502,
      503,
      504,
      505
    ])
    expect(ok(listPayments(seeded, 12, { sortDir: "asc" })).payments.map((p) => [p.id, p.status])).toEqual([
      [506, "paid"],
      [507, "failed"]
    ])
    expect(ok(listPayments(seeded, 13, {})).payments).toEqual([])
    const unknown = failure(listPayments(seeded, 11, { sortBy: "colour" }))
    expect(unknown._tag === "InvalidRequest" ? unknown.suberrors[0]?.message : "").toContain("colour")
    expect(failure(listPayments(seeded, 999, {}))).toMatchObject({ resource: "organization", id: 999 })
  })

  it("a single payment is priced from the price list and the coupon, and joins the history", () => {
    const [paid, data] = ok(
      createSinglePayment(13, { priceId: 202, quantity: 3, couponCode: "SPRING25" }, 90 * 60_000)(seeded)
    )
    expect(paid).toEqual({
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
    })
    expect(Schema.decodeUnknownResult(PaymentEnvelope)(paid)._tag).toBe("Success")
    const [cheap, after] = ok(createSinglePayment(13, { priceId: 201, quantity: 3 }, 0)(data))
    expect(cheap.payment).toMatchObject({ id: 509, amount: 27, couponCode: null })
    expect(ok(listPayments(after, 13, {})).payments.map((p) => p.id)).toEqual([509, 508])
  })

  it("an unknown price or coupon, or a plan's price, is a 400 that records nothing", () => {
    const unknown = failure(createSinglePayment(11, { priceId: 999, quantity: 1, couponCode: "FREEBIE" }, 0)(seeded))
    expect(unknown).toMatchObject({
      status: 400,
      detail: "Validation failed for 2 parameter(s).",
      title: "Bad request",
      code: "IM015",
      suberrors: [{ message: "priceId: unknown price 999" }, { message: "couponCode: unknown coupon \"FREEBIE\"" }]
    })
    expect(failure(createSinglePayment(11, { priceId: 103, quantity: 1 }, 0)(seeded))).toMatchObject({
      suberrors: [{ message: "priceId: price 103 is a subscription plan; subscribe to it instead" }]
    })
    expect(failure(createSinglePayment(999, { priceId: 201, quantity: 1 }, 0)(seeded))._tag).toBe("NotFound")
  })
})

describe("subscription", () => {
  it("the seeded subscriptions: Acme active, Beta Labs cancelled, Gamma none", () => {
    const acme = ok(getSubscription(seeded, 11))
    expect(acme).toEqual({
      subscription: {
        id: 401,
        priceId: 103,
        status: "active",
        productName: "Teams",
        couponCode: null,
        createdAt: daysBeforeSeed(65),
        nextBillingAt: daysBeforeSeed(-25)
      }
    })
    expect(Schema.decodeUnknownResult(SubscriptionEnvelope)(acme)._tag).toBe("Success")
    expect(failure(getSubscription(seeded, 12))).toMatchObject(noSubscription(12))
    expect(failure(getSubscription(seeded, 13))).toMatchObject(noSubscription(13))
    expect(failure(getSubscription(seeded, 999))).toMatchObject({ resource: "organization", id: 999 })
  })

  it("create, read, refuse a second, change, cancel: the whole lifecycle", () => {
    const [created, subscribed] = ok(createSubscription(12, { priceId: 101, couponCode: "WELCOME10" }, day)(seeded))
    const subscription = {
      id: 403,
      priceId: 101,
      status: "active",
      productName: "Core",
      couponCode: "WELCOME10",
      createdAt: "1970-01-02T00:00:00.000Z",
      nextBillingAt: "1970-02-01T00:00:00.000Z"
    }
    expect(created).toEqual({ subscription })
    // The first period is paid at once, with the coupon.
    expect(inOrganization(subscribed.payments, 12)).toContainEqual({
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
    expect(ok(getSubscription(subscribed, 12))).toEqual({ subscription })
    const query = { cols: ["id", "productName"], externalId: "BETA-001" }
    const listed = ok(listOrganizations(subscribed, query, "eu1.make.com"))
    expect(listed.organizations).toEqual([{ id: 12, productName: "Core" }])

    const second = failure(createSubscription(12, { priceId: 102 }, day)(subscribed))
    expect(second).toMatchObject({ status: 400, code: "SC400" })
    expect(second.detail).toContain("already has an active subscription")

    const [changed, afterChange] = ok(changeSubscription(12, { priceId: 102 })(subscribed))
    expect(changed).toEqual({ subscription: { ...subscription, priceId: 102, productName: "Pro" } })
    expect(failure(changeSubscription(12, { priceId: 201 })(afterChange))).toMatchObject({
      suberrors: [{ message: "priceId: price 201 is not a subscription plan" }]
    })

    const [cancelled, afterCancel] = ok(cancelSubscription(12)(afterChange))
    expect(cancelled).toEqual({ subscription: 403 })
    expect(failure(getSubscription(afterCancel, 12))).toMatchObject(noSubscription(12))
    expect(failure(cancelSubscription(12)(afterCancel))).toMatchObject(noSubscription(12))
    expect(failure(changeSubscription(12, { priceId: 101 })(afterCancel))).toMatchObject(noSubscription(12))
    expect(inOrganization(afterCancel.subscriptions, 12).map((s) => [s.id, s.status, s.nextBillingAt])).toEqual([
      [402, "canceled", null],
      [403, "canceled", null]
    ])
    expect(currentSubscription(afterCancel, 12)).toEqual(Option.none())
    // Cancelled, it can be subscribed again.
    const [again] = ok(createSubscription(12, { priceId: 103 }, day)(afterCancel))
    expect(again.subscription).toMatchObject({ id: 404, status: "active", productName: "Teams" })
  })

  it("create refuses an unknown price, a one-off price and an unknown coupon", () => {
    expect(failure(createSubscription(13, { priceId: 202, couponCode: "NOPE" }, 0)(seeded))).toMatchObject({
      code: "IM015",
      suberrors: [
        { message: "priceId: price 202 is not a subscription plan" },
        { message: "couponCode: unknown coupon \"NOPE\"" }
      ]
    })
  })

  it("the Free plan needs confirmed=true: without it 406 IM004; then it replaces the plan in place", () => {
    expect(failure(setFreePlan(11, false, 0)(seeded))).toMatchObject({
      _tag: "NotConfirmed",
      status: 406,
      code: "IM004",
      title: "Confirmation required",
      resource: "subscription",
      id: 11,
      detail: "Switching to the Free plan ends the current subscription at once. Set confirmed=true to go ahead."
    })
    const [free, data] = ok(setFreePlan(11, true, 0)(seeded))
    const freePlan = {
      id: 401,
      priceId: null,
      status: "free",
      productName: "Free",
      couponCode: null,
      createdAt: daysBeforeSeed(65),
      nextBillingAt: null
    }
    expect(free).toEqual({ subscription: freePlan })
    expect(ok(getSubscription(data, 11))).toEqual({ subscription: freePlan })
    expect(ok(setFreePlan(11, true, 0)(data))[0]).toEqual({ subscription: freePlan })
    expect(failure(changeSubscription(11, { priceId: 101 })(data))._tag).toBe("NotFound")
    expect(failure(applyCoupon(11, "HALFOFF")(data))._tag).toBe("NotFound")
    // Subscribing leaves the Free plan.
    const [upgraded, afterUpgrade] = ok(createSubscription(11, { priceId: 102 }, 0)(data))
    expect(upgraded.subscription).toMatchObject({ id: 403, status: "active", productName: "Pro" })
    expect(inOrganization(afterUpgrade.subscriptions, 11).map((s) => [s.id, s.status])).toEqual([
      [401, "canceled"],
      [403, "active"]
    ])
    // An organization without a subscription gets a new Free one.
    const [gamma] = ok(setFreePlan(13, true, 0)(afterUpgrade))
    expect(gamma.subscription).toMatchObject({ id: 404, status: "free", priceId: null })
    expect(failure(setFreePlan(999, true, 0)(seeded))._tag).toBe("NotFound")
  })

  it("a known coupon applies to the active subscription; unknown is 400, none active is 404", () => {
    const [applied, data] = ok(applyCoupon(11, "HALFOFF")(seeded))
    expect(applied.subscription).toMatchObject({ id: 401, couponCode: "HALFOFF" })
    expect(failure(applyCoupon(11, "half")(seeded))).toMatchObject({
      code: "IM015",
      suberrors: [{ message: "couponCode: unknown coupon \"half\"" }]
    })
    expect(failure(applyCoupon(12, "HALFOFF")(seeded))).toMatchObject(noSubscription(12))
    expect(Option.map(currentSubscription(data, 11), (s) => s.couponCode)).toEqual(Option.some("HALFOFF"))
  })

  it.prop(
    "an amount is the unit price times the quantity, a coupon lowers it, and it is always whole cents",
    {
      priceId: Schema.Literals([201, 202]),
      quantity: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 1000 })),
      coupon: Schema.Literals(["WELCOME10", "SPRING25", "HALFOFF"])
    },
    ({ coupon, priceId, quantity }) => {
      const unit = { 201: 9, 202: 72 }[priceId]
      const [full] = ok(createSinglePayment(13, { priceId, quantity }, 0)(seeded))
      const [discounted] = ok(createSinglePayment(13, { priceId, quantity, couponCode: coupon }, 0)(seeded))
      expect(full.payment.amount).toBe(unit * quantity)
      expect(Number(discounted.payment.amount)).toBeLessThan(unit * quantity)
      const cents = Number(discounted.payment.amount) * 100
      expect(Math.abs(cents - Math.round(cents))).toBeLessThan(1e-6)
    }
  )
})
