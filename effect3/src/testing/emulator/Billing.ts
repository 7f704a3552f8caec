// The emulator's Billing area: payments, the subscription's life cycle, coupons, their bodies, the handlers.
// Imports `effect`, `@effect/platform`, api/, domain/, MakeError and testing/.
/**
 * @since 0.1.0
 * @internal
 */
import { HttpApiBuilder } from "@effect/platform"
import { Array as Arr, Clock, Effect, Either, Option, type Schema } from "effect"
import { PaymentEnvelope, SubscriptionEnvelope } from "../../api/BillingApi.js"
import { MakeHttpApi } from "../../api/MakeHttpApi.js"
import { Payment, type Subscription } from "../../domain/Billing.js"
import type * as MakeError from "../../MakeError.js"
import { amountOf, dayMillis, findCoupon, findPrice, isoOf } from "../EmulatorCatalog.js"
import { badRequest, invalidRequest, noActiveSubscription, notConfirmed } from "./Errors.js"
import type { PaymentRecord, SubscriptionRecord } from "./Records.js"
import { productNameOf } from "./Seed.js"
import {
  commit,
  type Data,
  type EmulatorState,
  inOrganization,
  put,
  snapshot,
  transact,
  updateOrganization
} from "./Store.js"
import { answer, answerPage, answerVoid, nowIso, paginate, requireOrganization } from "./Wire.js"

// ---------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------

/**
 * The subscription an organization is on: the one that is `active` or `free`, if any.
 *
 * @since 0.1.0
 * @category queries
 */
export const currentSubscription = (data: Data, organizationId: number): Option.Option<SubscriptionRecord> =>
  Arr.findLast(inOrganization(data.subscriptions, organizationId), (subscription) => subscription.status !== "canceled")

/**
 * Adds a payment with the next payment id.
 *
 * @since 0.1.0
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
 * @since 0.1.0
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
 * @since 0.1.0
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
): Either.Either<SubscriptionRecord, MakeError.NotFound> =>
  Either.fromOption(
    Option.filter(currentSubscription(data, organizationId), (subscription) => subscription.status === "active"),
    () => noActiveSubscription(organizationId)
  )

const checked = (problems: ReadonlyArray<string>): Either.Either<void, MakeError.InvalidRequest> =>
  problems.length > 0 ? Either.left(invalidRequest(problems)) : Either.void

// ---------------------------------------------------------------------------
// Wire bodies
// ---------------------------------------------------------------------------

/**
 * A payment (also what `pg[sortBy]` sorts payments on).
 *
 * @since 0.1.0
 * @category wire
 */
export const paymentBody = (payment: PaymentRecord): Schema.Schema.Encoded<typeof Payment> => ({
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
 * @since 0.1.0
 * @category wire
 */
export const subscriptionBody = (subscription: SubscriptionRecord): Schema.Schema.Encoded<typeof Subscription> => ({
  id: subscription.id,
  priceId: subscription.priceId,
  status: subscription.status,
  productName: subscription.productName,
  couponCode: subscription.couponCode,
  createdAt: subscription.createdAt,
  nextBillingAt: subscription.nextBillingAt
})

const subscriptionAnswer = (subscription: SubscriptionRecord) =>
  answer(SubscriptionEnvelope, { subscription: subscriptionBody(subscription) })

// ---------------------------------------------------------------------------
// Handlers
// ---------------------------------------------------------------------------

/**
 * The Billing group over the state. An organization's current subscription is its `active` or `free` one: GET and
 * DELETE act on it; PATCH and coupons need an `active` (paid) one. Creating a subscription pays its first period.
 *
 * @since 0.1.0
 * @category layers
 */
export const billingLive = (state: EmulatorState) =>
  HttpApiBuilder.group(MakeHttpApi, "billing", (handlers) =>
    handlers
      .handle("payments", ({ path, urlParams }) =>
        Effect.gen(function*() {
          const data = yield* snapshot(state)
          const org = yield* requireOrganization(data, path.organizationId)
          // Newest first unless asked otherwise: ids grow with time, whatever the Clock says.
          const page = yield* paginate(inOrganization(data.payments, org.id), paymentBody, urlParams, {
            sortBy: "id",
            sortDir: "desc"
          })
          return answerPage(Payment, "payments", page.items.map(paymentBody), page.pg)
        }))
      .handle("createSinglePayment", ({ path, payload }) =>
        Effect.gen(function*() {
          const createdAt = yield* nowIso
          const payment = yield* transact(state, (data) =>
            Either.gen(function*() {
              const org = yield* requireOrganization(data, path.organizationId)
              yield* checked(purchaseProblems(payload.priceId, "single", payload.couponCode))
              const couponCode = payload.couponCode ?? null
              return addPayment({
                organizationId: org.id,
                priceId: payload.priceId,
                quantity: payload.quantity,
                amount: amountOf(payload.priceId, payload.quantity, couponCode),
                currency: "USD",
                status: "paid",
                couponCode,
                createdAt
              })(data)
            }))
          return answer(PaymentEnvelope, { payment: paymentBody(payment) })
        }))
      .handle("getSubscription", ({ path }) =>
        Effect.gen(function*() {
          const data = yield* snapshot(state)
          const org = yield* requireOrganization(data, path.organizationId)
          const subscription = yield* Either.fromOption(
            currentSubscription(data, org.id),
            () => noActiveSubscription(org.id)
          )
          return subscriptionAnswer(subscription)
        }))
      .handle("createSubscription", ({ path, payload }) =>
        Effect.gen(function*() {
          const now = yield* Clock.currentTimeMillis
          const subscription = yield* transact(state, (data) =>
            Either.gen(function*() {
              const org = yield* requireOrganization(data, path.organizationId)
              yield* checked(purchaseProblems(payload.priceId, "subscription", payload.couponCode))
              if (Either.isRight(activeSubscription(data, org.id))) {
                return yield* Either.left(
                  badRequest("The organization already has an active subscription; change it or cancel it first.")
                )
              }
              const couponCode = payload.couponCode ?? null
              // A Free plan in place ends: the new subscription replaces it.
              const [subscription, subscribed] = addSubscription({
                organizationId: org.id,
                priceId: payload.priceId,
                status: "active",
                productName: productNameOf(payload.priceId),
                couponCode,
                createdAt: isoOf(now),
                nextBillingAt: isoOf(now + 30 * dayMillis)
              })(data)
              const [, paid] = addPayment({
                organizationId: org.id,
                priceId: payload.priceId,
                quantity: 1,
                amount: amountOf(payload.priceId, 1, couponCode),
                currency: "USD",
                status: "paid",
                couponCode,
                createdAt: isoOf(now)
              })(subscribed)
              return commit(subscription, paid)
            }))
          return subscriptionAnswer(subscription)
        }))
      .handle("changeSubscription", ({ path, payload }) =>
        Effect.gen(function*() {
          const subscription = yield* transact(state, (data) =>
            Either.gen(function*() {
              const org = yield* requireOrganization(data, path.organizationId)
              const current = yield* activeSubscription(data, org.id)
              yield* checked(purchaseProblems(payload.priceId, "subscription", undefined))
              const changed: SubscriptionRecord = {
                ...current,
                priceId: payload.priceId,
                productName: productNameOf(payload.priceId)
              }
              return commit(changed, replaceSubscription(changed)(data))
            }))
          return subscriptionAnswer(subscription)
        }))
      .handle("cancelSubscription", ({ path }) =>
        Effect.gen(function*() {
          const cancelled = yield* transact(state, (data) =>
            Either.gen(function*() {
              const org = yield* requireOrganization(data, path.organizationId)
              const current = yield* Either.fromOption(
                currentSubscription(data, org.id),
                () => noActiveSubscription(org.id)
              )
              const ended: SubscriptionRecord = { ...current, status: "canceled", nextBillingAt: null }
              return commit(ended, replaceSubscription(ended)(data))
            }))
          return answerVoid({ subscription: cancelled.id })
        }))
      .handle("setFreePlan", ({ path, urlParams }) =>
        Effect.gen(function*() {
          const now = yield* Clock.currentTimeMillis
          const subscription = yield* transact(
            state,
            (data): Either.Either<readonly [SubscriptionRecord, Data], MakeError.NotFound | MakeError.NotConfirmed> =>
              Either.gen(function*() {
                const org = yield* requireOrganization(data, path.organizationId)
                if (urlParams.confirmed !== true) {
                  return yield* Either.left(notConfirmed(
                    "Switching to the Free plan ends the current subscription at once. Set confirmed=true to go ahead.",
                    "subscription",
                    org.id
                  ))
                }
                const free: Pick<
                  SubscriptionRecord,
                  "priceId" | "status" | "productName" | "couponCode" | "nextBillingAt"
                > = {
                  priceId: null,
                  status: "free",
                  productName: productNameOf(null),
                  couponCode: null,
                  nextBillingAt: null
                }
                return Option.match(currentSubscription(data, org.id), {
                  onNone: () => addSubscription({ ...free, organizationId: org.id, createdAt: isoOf(now) })(data),
                  onSome: (current): readonly [SubscriptionRecord, Data] => {
                    const downgraded: SubscriptionRecord = { ...current, ...free }
                    return [downgraded, replaceSubscription(downgraded)(data)]
                  }
                })
              })
          )
          return subscriptionAnswer(subscription)
        }))
      .handle("applyCoupon", ({ path, urlParams }) =>
        Effect.gen(function*() {
          const subscription = yield* transact(state, (data) =>
            Either.gen(function*() {
              const org = yield* requireOrganization(data, path.organizationId)
              const current = yield* activeSubscription(data, org.id)
              yield* checked(couponProblems(urlParams.couponCode))
              const discounted: SubscriptionRecord = { ...current, couponCode: urlParams.couponCode }
              return commit(discounted, replaceSubscription(discounted)(data))
            }))
          return subscriptionAnswer(subscription)
        })))
