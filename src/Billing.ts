// The Billing service: past payments, single payments, the subscription (get, create, change, cancel, free plan)
// and coupons. Floor 4: imports MakeClient and floors below; never testing/ or @effect/platform-node.
/**
 * @since 0.1.0
 */
import type { Stream } from "effect"
import { Context, Effect, Layer, Schema } from "effect"
import {
  ChangeSubscription,
  CouponCode,
  CreateSinglePayment,
  CreateSubscription,
  type Payment,
  type Subscription
} from "./domain/Billing.js"
import { Id } from "./domain/Common.js"
import { MakeClient, type Operation, validate } from "./MakeClient.js"
import type * as MakeError from "./MakeError.js"
import * as Pagination from "./Pagination.js"

/**
 * Options of {@link Service.setFreePlan}.
 *
 * @since 0.1.0
 * @category arguments
 */
export const FreePlanOptions = Schema.Struct({
  /** Confirm moving to the free plan (`confirmed=true`); without it Make changes nothing. */
  confirmed: Schema.optional(Schema.Boolean)
})

/**
 * @since 0.1.0
 * @category arguments
 */
export type FreePlanOptions = typeof FreePlanOptions.Type

const PaymentsInput = Schema.Struct({ organizationId: Id, ...Pagination.PageOptions.fields })

const bodyOf = <A, I>(body: Schema.Schema<A, I>) => Schema.Struct({ organizationId: Id, body })
// Built once: a schema made per call would also be compiled per call.
const SinglePaymentInput = bodyOf(CreateSinglePayment)
const CreateSubscriptionInput = bodyOf(CreateSubscription)
const ChangeSubscriptionInput = bodyOf(ChangeSubscription)
const FreePlanInput = Schema.Struct({ organizationId: Id, ...FreePlanOptions.fields })
const CouponInput = Schema.Struct({ organizationId: Id, couponCode: CouponCode })

/**
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /**
   * One page of the organization's past payments.
   *
   * @example
   * ```ts
   * const page = yield* billing.payments(11, { limit: 20 })
   * ```
   */
  readonly payments: (
    organizationId: number,
    options?: Pagination.PageOptions
  ) => Effect.Effect<Pagination.Page<Payment>, MakeError.NotFound | MakeError.Common>
  /**
   * Every past payment, page after page, in constant memory.
   *
   * @example
   * ```ts
   * const total = yield* billing.streamPayments(11).pipe(Stream.runFold(0, (sum, p) => sum + (p.amount ?? 0)))
   * ```
   */
  readonly streamPayments: (
    organizationId: number,
    options?: Pagination.PageOptions
  ) => Stream.Stream<Payment, MakeError.NotFound | MakeError.Common>
  /**
   * Buys something once (e.g. an operations pack).
   *
   * @example
   * ```ts
   * const payment = yield* billing.createSinglePayment(11, { priceId: 301, quantity: 2 })
   * ```
   */
  readonly createSinglePayment: (
    organizationId: number,
    body: CreateSinglePayment
  ) => Effect.Effect<Payment, MakeError.NotFound | MakeError.Common>
  /**
   * The active subscription; `NotFound` when there is none.
   *
   * @example
   * ```ts
   * const subscription = yield* billing.subscription(11)
   * ```
   */
  readonly subscription: (organizationId: number) => Effect.Effect<Subscription, MakeError.NotFound | MakeError.Common>
  /**
   * Subscribes the organization to a plan.
   *
   * @example
   * ```ts
   * const subscription = yield* billing.createSubscription(12, { priceId: 102, couponCode: "WELCOME10" })
   * ```
   */
  readonly createSubscription: (
    organizationId: number,
    body: CreateSubscription
  ) => Effect.Effect<Subscription, MakeError.NotFound | MakeError.Common>
  /**
   * Moves the active subscription to another plan.
   *
   * @example
   * ```ts
   * const subscription = yield* billing.changeSubscription(11, { priceId: 103 })
   * ```
   */
  readonly changeSubscription: (
    organizationId: number,
    body: ChangeSubscription
  ) => Effect.Effect<Subscription, MakeError.NotFound | MakeError.Common>
  /**
   * Cancels the active subscription.
   *
   * @example
   * ```ts
   * yield* billing.cancelSubscription(11)
   * ```
   */
  readonly cancelSubscription: (organizationId: number) => Effect.Effect<void, MakeError.NotFound | MakeError.Common>
  /**
   * Moves the organization to the free plan. Without `{ confirmed: true }` the call fails with `NotConfirmed` and
   * nothing changes.
   *
   * @example
   * ```ts
   * const subscription = yield* billing.setFreePlan(11, { confirmed: true })
   * ```
   */
  readonly setFreePlan: (
    organizationId: number,
    options?: FreePlanOptions
  ) => Effect.Effect<Subscription, MakeError.NotFound | MakeError.NotConfirmed | MakeError.Common>
  /**
   * Applies a coupon to the active subscription.
   *
   * @example
   * ```ts
   * const subscription = yield* billing.applyCoupon(11, "WELCOME10")
   * ```
   */
  readonly applyCoupon: (
    organizationId: number,
    couponCode: string
  ) => Effect.Effect<Subscription, MakeError.NotFound | MakeError.Common>
}

/**
 * The Billing service.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Billing } from "effect-make"
 *
 * const program = Effect.flatMap(Billing.Billing, (billing) => billing.subscription(11))
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class Billing extends Context.Tag("effect-make/Billing")<Billing, Service>() {}

const service = "Billing"

/** A call about one organization's billing; a 404 means the organization or, for `resource`, that thing. */
const operation = <const Tags extends MakeError.Specific["_tag"]>(
  method: string,
  route: string,
  organizationId: number,
  errors: ReadonlyArray<Tags>,
  resource: "organization" | "subscription" = "organization"
): Operation<Tags> => ({
  service,
  method,
  route,
  target: resource === "organization" ? { resource, id: organizationId } : { resource, organizationId },
  errors
})

const subscriptionRoute = "/organizations/{organizationId}/subscription"

/**
 * Builds the service over {@link MakeClient}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, MakeClient> = Effect.gen(function*() {
  const client = yield* MakeClient
  const { api } = client

  const paymentsPage = (method: string, organizationId: number, options: Pagination.PageOptions | undefined) =>
    client.call(
      operation(method, "GET /organizations/{organizationId}/payments", organizationId, ["NotFound"]),
      Effect.gen(function*() {
        const { organizationId: id, ...urlParams } = yield* validate(`${service}.${method}`, PaymentsInput, {
          organizationId,
          ...options
        })
        return yield* api.billing.payments({ path: { organizationId: id }, urlParams })
      })
    )

  return {
    payments: (organizationId, options) => paymentsPage("payments", organizationId, options),
    streamPayments: (organizationId, options) =>
      Pagination.stream((page) => paymentsPage("streamPayments", organizationId, { ...options, ...page }), {
        offset: options?.offset,
        limit: options?.limit
      }),
    createSinglePayment: (organizationId, body) =>
      client.call(
        operation(
          "createSinglePayment",
          "POST /organizations/{organizationId}/single-payment-create",
          organizationId,
          ["NotFound"]
        ),
        Effect.gen(function*() {
          const input = yield* validate(`${service}.createSinglePayment`, SinglePaymentInput, {
            organizationId,
            body
          })
          return yield* api.billing.createSinglePayment({
            path: { organizationId: input.organizationId },
            payload: input.body
          })
        })
      ),
    subscription: (organizationId) =>
      client.call(
        operation(
          "subscription",
          `GET ${subscriptionRoute}`,
          organizationId,
          ["NotFound"],
          "subscription"
        ),
        Effect.gen(function*() {
          const id = yield* validate(`${service}.subscription`, Id, organizationId)
          return yield* api.billing.getSubscription({ path: { organizationId: id } })
        })
      ),
    createSubscription: (organizationId, body) =>
      client.call(
        operation("createSubscription", `POST ${subscriptionRoute}`, organizationId, ["NotFound"]),
        Effect.gen(function*() {
          const input = yield* validate(`${service}.createSubscription`, CreateSubscriptionInput, {
            organizationId,
            body
          })
          return yield* api.billing.createSubscription({
            path: { organizationId: input.organizationId },
            payload: input.body
          })
        })
      ),
    changeSubscription: (organizationId, body) =>
      client.call(
        operation(
          "changeSubscription",
          `PATCH ${subscriptionRoute}`,
          organizationId,
          ["NotFound"],
          "subscription"
        ),
        Effect.gen(function*() {
          const input = yield* validate(`${service}.changeSubscription`, ChangeSubscriptionInput, {
            organizationId,
            body
          })
          return yield* api.billing.changeSubscription({
            path: { organizationId: input.organizationId },
            payload: input.body
          })
        })
      ),
    cancelSubscription: (organizationId) =>
      client.call(
        operation(
          "cancelSubscription",
          `DELETE ${subscriptionRoute}`,
          organizationId,
          ["NotFound"],
          "subscription"
        ),
        Effect.gen(function*() {
          const id = yield* validate(`${service}.cancelSubscription`, Id, organizationId)
          yield* client.ignore(yield* api.billing.cancelSubscription({ path: { organizationId: id } }))
        })
      ),
    setFreePlan: (organizationId, options) =>
      client.call(
        operation(
          "setFreePlan",
          "POST /organizations/{organizationId}/subscription-free",
          organizationId,
          ["NotFound", "NotConfirmed"]
        ),
        Effect.gen(function*() {
          const input = yield* validate(
            `${service}.setFreePlan`,
            FreePlanInput,
            { organizationId, ...options }
          )
          return yield* api.billing.setFreePlan({
            path: { organizationId: input.organizationId },
            urlParams: { confirmed: input.confirmed }
          })
        })
      ),
    applyCoupon: (organizationId, couponCode) =>
      client.call(
        operation(
          "applyCoupon",
          `POST ${subscriptionRoute}/coupon-apply`,
          organizationId,
          ["NotFound"],
          "subscription"
        ),
        Effect.gen(function*() {
          const input = yield* validate(
            `${service}.applyCoupon`,
            CouponInput,
            { organizationId, couponCode }
          )
          return yield* api.billing.applyCoupon({
            path: { organizationId: input.organizationId },
            urlParams: { couponCode: input.couponCode }
          })
        })
      )
  }
})

/**
 * The service, over a {@link MakeClient} the caller provides.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Billing, never, MakeClient> = Layer.effect(Billing, make)
