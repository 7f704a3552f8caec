// The emulator's Billing area, without HTTP: payments, the subscription's life cycle, coupons, their bodies, and the
// pure operations behind the handlers. Imports `effect`, api/, domain/, MakeError and testing/.
/**
 * @since 1.0.0
 * @internal
 */
import { Array as Arr, Option, Result } from "effect"
import { PaymentEnvelope, SubscriptionEnvelope } from "../../api/BillingApi.js"
import type { Payment, Subscription } from "../../domain/Billing.js"
import type * as MakeError from "../../MakeError.js"
import { amountOf, dayMillis, findCoupon, findPrice, isoOf } from "../EmulatorCatalog.js"
import { badRequest, invalidRequest, noActiveSubscription, notConfirmed } from "./Errors.js"
import type { PaymentRecord, SubscriptionRecord } from "./Records.js"
import { productNameOf } from "./Seed.js"
import { type Data, inOrganization, put, updateOrganization } from "./Store.js"
import { checked, type PageEcho, type PageQuery, paginate, requireOrganization } from "./Wire.js"

// ---------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------

/**
 * The subscription an organization is on: the one that is `active` or `free`, if any.
 *
 * @since 1.0.0
 * @category queries
 */
export const currentSubscription = (data: Data, organizationId: number): Option.Option<SubscriptionRecord> =>
  Arr.findLast(inOrganization(data.subscriptions, organizationId), (subscription) => subscription.status !== "canceled")

/**
 * Adds a payment with the next payment id.
 *
 * @since 1.0.0
 * @category operations
 */
export const addPayment = (input: Omit<PaymentRecord, "id">) => (data: Data): readonly [PaymentRecord, Data] => {
  const payment: PaymentRecord = { ...input, id: data.counters.payment }
  return [payment, {
    ...data,
    payments: put(data.payments, payment),
    counters: { ...data.counters, payment: payment.id + 1 }
  }]
}

/** The organization's `productName` follows its plan. */
const followPlan = (subscription: SubscriptionRecord) => (data: Data): Data =>
  updateOrganization(subscription.organizationId, (org) => ({ ...org, productName: subscription.productName }))(data)[1]

/**
 * Adds a subscription with the next subscription id; the organization's current one, if any, ends (`canceled`).
 * The organization's `productName` follows the new plan.
 *
 * @since 1.0.0
 * @category operations
 */
export const addSubscription =
  (input: Omit<SubscriptionRecord, "id">) => (data: Data): readonly [SubscriptionRecord, Data] => {
    const subscription: SubscriptionRecord = { ...input, id: data.counters.subscription }
    const ended = Arr.reduce(
      inOrganization(data.subscriptions, input.organizationId),
      data.subscriptions,
      (index, s) => s.status === "canceled" ? index : put(index, { ...s, status: "canceled", nextBillingAt: null })
    )
    return [subscription, {
      ...followPlan(subscription)(data),
      subscriptions: put(ended, subscription),
      counters: { ...data.counters, subscription: subscription.id + 1 }
    }]
  }

/**
 * Replaces a subscription (same id); the organization's `productName` follows it unless it is cancelled.
 *
 * @since 1.0.0
 * @category operations
 */
export const replaceSubscription = (subscription: SubscriptionRecord) => (data: Data): Data => {
  const withProduct = subscription.status === "canceled" ? data : followPlan(subscription)(data)
  return { ...withProduct, subscriptions: put(withProduct.subscriptions, subscription) }
}

/** The problem of a coupon code, if the coupon is unknown. */
const couponProblems = (couponCode: string | undefined): ReadonlyArray<string> =>
  couponCode === undefined || Option.isSome(findCoupon(couponCode))
    ? []
    : [`couponCode: unknown coupon "${couponCode}"`]

/** The problems of a price and an optional coupon, one suberror each, for the kind of purchase being made. */
const purchaseProblems = (
  priceId: number,
  kind: "subscription" | "single",
  couponCode: string | undefined
): ReadonlyArray<string> => {
  const price = Option.match(findPrice(priceId), {
    onNone: () => [`priceId: unknown price ${priceId}`],
    onSome: (found) =>
      found.kind === kind
        ? []
        : [
          kind === "single"
            ? `priceId: price ${priceId} is a subscription plan; subscribe to it instead`
            : `priceId: price ${priceId} is not a subscription plan`
        ]
  })
  return [...price, ...couponProblems(couponCode)]
}

const activeSubscription = (
  data: Data,
  organizationId: number
): Result.Result<SubscriptionRecord, MakeError.NotFound> =>
  Result.fromOption(
    Option.filter(currentSubscription(data, organizationId), (subscription) => subscription.status === "active"),
    () => noActiveSubscription(organizationId)
  )

const noProblems = (problems: ReadonlyArray<string>): Result.Result<void, MakeError.InvalidRequest> =>
  problems.length > 0 ? Result.fail(invalidRequest(problems)) : Result.void

// ---------------------------------------------------------------------------
// Wire bodies
// ---------------------------------------------------------------------------

/**
 * A payment (also what `pg[sortBy]` sorts payments on).
 *
 * @since 1.0.0
 * @category wire
 */
export const paymentBody = (payment: PaymentRecord): typeof Payment.Encoded => ({
  id: payment.id,
  priceId: payment.priceId,
  quantity: payment.quantity,
  amount: payment.amount,
  currency: payment.currency,
  status: payment.status,
  couponCode: payment.couponCode,
  createdAt: payment.createdAt
})

/**
 * A subscription.
 *
 * @since 1.0.0
 * @category wire
 */
export const subscriptionBody = (subscription: SubscriptionRecord): typeof Subscription.Encoded => ({
  id: subscription.id,
  priceId: subscription.priceId,
  status: subscription.status,
  productName: subscription.productName,
  couponCode: subscription.couponCode,
  createdAt: subscription.createdAt,
  nextBillingAt: subscription.nextBillingAt
})

/**
 * The answer of the subscription calls: the canonical member of `SubscriptionEnvelope`.
 *
 * @since 1.0.0
 * @category models
 */
export interface SubscriptionAnswer {
  readonly subscription: typeof Subscription.Encoded
}

const subscriptionAnswer = (subscription: SubscriptionRecord): SubscriptionAnswer =>
  checked(SubscriptionEnvelope, { subscription: subscriptionBody(subscription) })

// ---------------------------------------------------------------------------
// What each endpoint does to the data. An organization's current subscription is its `active` or `free` one: GET and
// DELETE act on it; PATCH and coupons need an `active` (paid) one. Creating a subscription pays its first period.
// ---------------------------------------------------------------------------

/**
 * `GET /organizations/{id}/payments`: newest first unless asked otherwise (ids grow with time, whatever the Clock
 * says), under the canonical `payments` key.
 *
 * @example
 * ```ts
 * import { listPayments } from "effect-make/testing/emulator/Billing"
 * declare const data: import("effect-make/testing/emulator/Store").Data
 * const page = listPayments(data, 11, { limit: 2 })
 * ```
 *
 * @since 1.0.0
 * @category endpoints
 */
export const listPayments = (
  data: Data,
  organizationId: number,
  query: PageQuery
): Result.Result<
  { readonly payments: ReadonlyArray<typeof Payment.Encoded>; readonly pg: PageEcho },
  MakeError.NotFound | MakeError.InvalidRequest
> =>
  Result.flatMap(requireOrganization(data, organizationId), (org) =>
    Result.map(
      paginate(inOrganization(data.payments, org.id), paymentBody, query, { sortBy: "id", sortDir: "desc" }),
      // `Envelope.page`'s encoded type keys the items by any string, which `pg` cannot satisfy as a member: the items
      // are typed as the contract's item, `pg` as the echo (as Effect 3's `answerPage` does).
      (page) => ({ payments: page.items.map(paymentBody), pg: page.pg })
    ))

/**
 * `POST /organizations/{id}/payments` at `now`: a one-off purchase of a `single` price, with an optional coupon.
 *
 * @since 1.0.0
 * @category endpoints
 */
export const createSinglePayment = (
  organizationId: number,
  input: { readonly priceId: number; readonly quantity: number; readonly couponCode?: string | undefined },
  now: number
) =>
(
  data: Data
): Result.Result<
  readonly [{ readonly payment: typeof Payment.Encoded }, Data],
  MakeError.NotFound | MakeError.InvalidRequest
> =>
  Result.gen(function*() {
    const org = yield* requireOrganization(data, organizationId)
    yield* noProblems(purchaseProblems(input.priceId, "single", input.couponCode))
    const couponCode = input.couponCode ?? null
    const [payment, next] = addPayment({
      organizationId: org.id,
      priceId: input.priceId,
      quantity: input.quantity,
      amount: amountOf(input.priceId, input.quantity, couponCode),
      currency: "USD",
      status: "paid",
      couponCode,
      createdAt: isoOf(now)
    })(data)
    return [checked(PaymentEnvelope, { payment: paymentBody(payment) }), next] as const
  })

/**
 * `GET /organizations/{id}/subscription`: the current subscription (`active` or `free`), else its 404.
 *
 * @since 1.0.0
 * @category endpoints
 */
export const getSubscription = (
  data: Data,
  organizationId: number
): Result.Result<SubscriptionAnswer, MakeError.NotFound> =>
  Result.flatMap(requireOrganization(data, organizationId), (org) =>
    Result.map(
      Result.fromOption(currentSubscription(data, org.id), () => noActiveSubscription(org.id)),
      subscriptionAnswer
    ))

/**
 * `POST /organizations/{id}/subscription` at `now`: subscribes to a plan and pays its first period; a Free plan in
 * place ends; an active subscription already there is a 400.
 *
 * @since 1.0.0
 * @category endpoints
 */
export const createSubscription = (
  organizationId: number,
  input: { readonly priceId: number; readonly couponCode?: string | undefined },
  now: number
) =>
(
  data: Data
): Result.Result<readonly [SubscriptionAnswer, Data], MakeError.NotFound | MakeError.InvalidRequest> =>
  Result.gen(function*() {
    const org = yield* requireOrganization(data, organizationId)
    yield* noProblems(purchaseProblems(input.priceId, "subscription", input.couponCode))
    if (Result.isSuccess(activeSubscription(data, org.id))) {
      return yield* Result.fail(
        badRequest("The organization already has an active subscription; change it or cancel it first.")
      )
    }
    const couponCode = input.couponCode ?? null
    const [subscription, subscribed] = addSubscription({
      organizationId: org.id,
      priceId: input.priceId,
      status: "active",
      productName: productNameOf(input.priceId),
      couponCode,
      createdAt: isoOf(now),
      nextBillingAt: isoOf(now + 30 * dayMillis)
    })(data)
    const [, paid] = addPayment({
      organizationId: org.id,
      priceId: input.priceId,
      quantity: 1,
      amount: amountOf(input.priceId, 1, couponCode),
      currency: "USD",
      status: "paid",
      couponCode,
      createdAt: isoOf(now)
    })(subscribed)
    return [subscriptionAnswer(subscription), paid] as const
  })

/**
 * `PATCH /organizations/{id}/subscription`: moves the active subscription to another plan.
 *
 * @since 1.0.0
 * @category endpoints
 */
export const changeSubscription = (organizationId: number, input: { readonly priceId: number }) =>
(
  data: Data
): Result.Result<readonly [SubscriptionAnswer, Data], MakeError.NotFound | MakeError.InvalidRequest> =>
  Result.gen(function*() {
    const org = yield* requireOrganization(data, organizationId)
    const current = yield* activeSubscription(data, org.id)
    yield* noProblems(purchaseProblems(input.priceId, "subscription", undefined))
    const changed: SubscriptionRecord = {
      ...current,
      priceId: input.priceId,
      productName: productNameOf(input.priceId)
    }
    return [subscriptionAnswer(changed), replaceSubscription(changed)(data)] as const
  })

/**
 * `DELETE /organizations/{id}/subscription`: the current subscription ends; answers Make's
 * `{"subscription": <id>}`.
 *
 * @since 1.0.0
 * @category endpoints
 */
export const cancelSubscription =
  (organizationId: number) =>
  (data: Data): Result.Result<readonly [{ readonly subscription: number }, Data], MakeError.NotFound> =>
    Result.gen(function*() {
      const org = yield* requireOrganization(data, organizationId)
      const current = yield* Result.fromOption(currentSubscription(data, org.id), () => noActiveSubscription(org.id))
      const ended: SubscriptionRecord = { ...current, status: "canceled", nextBillingAt: null }
      return [{ subscription: ended.id }, replaceSubscription(ended)(data)] as const
    })

/**
 * `POST /organizations/{id}/subscription/free` at `now`: needs `confirmed=true` (406 `IM004` otherwise); the
 * current subscription becomes the Free plan, or a Free one starts.
 *
 * @since 1.0.0
 * @category endpoints
 */
export const setFreePlan = (organizationId: number, confirmed: boolean, now: number) =>
(
  data: Data
): Result.Result<readonly [SubscriptionAnswer, Data], MakeError.NotFound | MakeError.NotConfirmed> =>
  Result.gen(function*() {
    const org = yield* requireOrganization(data, organizationId)
    if (!confirmed) {
      return yield* Result.fail(notConfirmed(
        "Switching to the Free plan ends the current subscription at once. Set confirmed=true to go ahead.",
        "subscription",
        org.id
      ))
    }
    const free: Pick<SubscriptionRecord, "priceId" | "status" | "productName" | "couponCode" | "nextBillingAt"> = {
      priceId: null,
      status: "free",
      productName: productNameOf(null),
      couponCode: null,
      nextBillingAt: null
    }
    const [subscription, next] = Option.match(currentSubscription(data, org.id), {
      onNone: () => addSubscription({ ...free, organizationId: org.id, createdAt: isoOf(now) })(data),
      onSome: (current): readonly [SubscriptionRecord, Data] => {
        const downgraded: SubscriptionRecord = { ...current, ...free }
        return [downgraded, replaceSubscription(downgraded)(data)]
      }
    })
    return [subscriptionAnswer(subscription), next] as const
  })

/**
 * `POST /organizations/{id}/subscription/coupons/apply?couponCode=`: needs an active subscription and a known
 * coupon.
 *
 * @since 1.0.0
 * @category endpoints
 */
export const applyCoupon = (organizationId: number, couponCode: string) =>
(
  data: Data
): Result.Result<readonly [SubscriptionAnswer, Data], MakeError.NotFound | MakeError.InvalidRequest> =>
  Result.gen(function*() {
    const org = yield* requireOrganization(data, organizationId)
    const current = yield* activeSubscription(data, org.id)
    yield* noProblems(couponProblems(couponCode))
    const discounted: SubscriptionRecord = { ...current, couponCode }
    return [subscriptionAnswer(discounted), replaceSubscription(discounted)(data)] as const
  })
