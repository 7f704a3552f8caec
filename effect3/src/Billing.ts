/**
 * The Billing service: past payments, single payments, the subscription (get, create, change, cancel, free plan) and
 * coupons.
 *
 * @since 0.1.0
 */
// Floor 4: imports MakeClient, Operation and floors below; never testing/ or @effect/platform-node.
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
import { MakeClient } from "./MakeClient.js"
import type * as MakeError from "./MakeError.js"
import * as Operation from "./Operation.js"
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
 * The type of the `FreePlanOptions` schema.
 *
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
const OrganizationInput = Schema.Struct({ organizationId: Id })

/**
 * What `yield* Billing` gives: payments, the subscription and coupons. Each method's error channel is exactly what its
 * contract endpoint declares.
 *
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

const organization = ({ organizationId }: { readonly organizationId: number }): MakeError.Target => ({
  resource: "organization",
  id: organizationId
})

/** A 404 of a subscription call means no subscription (or no organization: Make does not say which). */
const subscription = ({ organizationId }: { readonly organizationId: number }): MakeError.Target => ({
  resource: "subscription",
  organizationId
})

/**
 * The methods of the service, each over the contract endpoint it names.
 *
 * @since 0.1.0
 * @category operations
 */
export const operations = Operation.table("Billing", {
  payments: Operation.make({
    endpoint: ["billing", "payments"],
    input: PaymentsInput,
    target: organization,
    send: (payments, { organizationId, ...urlParams }) => payments({ path: { organizationId }, urlParams })
  }),
  createSinglePayment: Operation.make({
    endpoint: ["billing", "createSinglePayment"],
    input: SinglePaymentInput,
    target: organization,
    send: (create, input) => create({ path: { organizationId: input.organizationId }, payload: input.body })
  }),
  subscription: Operation.make({
    endpoint: ["billing", "getSubscription"],
    input: OrganizationInput,
    target: subscription,
    send: (get, { organizationId }) => get({ path: { organizationId } })
  }),
  createSubscription: Operation.make({
    endpoint: ["billing", "createSubscription"],
    input: CreateSubscriptionInput,
    target: organization,
    send: (create, input) => create({ path: { organizationId: input.organizationId }, payload: input.body })
  }),
  changeSubscription: Operation.make({
    endpoint: ["billing", "changeSubscription"],
    input: ChangeSubscriptionInput,
    target: subscription,
    send: (change, input) => change({ path: { organizationId: input.organizationId }, payload: input.body })
  }),
  cancelSubscription: Operation.make({
    endpoint: ["billing", "cancelSubscription"],
    input: OrganizationInput,
    target: subscription,
    send: (cancel, { organizationId }, client) => Effect.flatMap(cancel({ path: { organizationId } }), client.ignore)
  }),
  setFreePlan: Operation.make({
    endpoint: ["billing", "setFreePlan"],
    input: FreePlanInput,
    target: organization,
    send: (setFree, { confirmed, organizationId }) => setFree({ path: { organizationId }, urlParams: { confirmed } })
  }),
  applyCoupon: Operation.make({
    endpoint: ["billing", "applyCoupon"],
    input: CouponInput,
    target: subscription,
    send: (apply, { couponCode, organizationId }) => apply({ path: { organizationId }, urlParams: { couponCode } })
  })
})

/**
 * Builds the service over {@link MakeClient}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, MakeClient> = Effect.gen(function*() {
  const client = yield* MakeClient
  const payments = operations.payments.bind(client)
  const createSinglePayment = operations.createSinglePayment.bind(client)
  const subscription = operations.subscription.bind(client)
  const createSubscription = operations.createSubscription.bind(client)
  const changeSubscription = operations.changeSubscription.bind(client)
  const cancelSubscription = operations.cancelSubscription.bind(client)
  const setFreePlan = operations.setFreePlan.bind(client)
  const applyCoupon = operations.applyCoupon.bind(client)
  return {
    payments: (organizationId, options) => payments({ organizationId, ...options }),
    // each page is one `payments` call, with its own span
    streamPayments: (organizationId, options) =>
      Pagination.stream((page) => payments({ organizationId, ...options, ...page }), options),
    createSinglePayment: (organizationId, body) => createSinglePayment({ organizationId, body }),
    subscription: (organizationId) => subscription({ organizationId }),
    createSubscription: (organizationId, body) => createSubscription({ organizationId, body }),
    changeSubscription: (organizationId, body) => changeSubscription({ organizationId, body }),
    cancelSubscription: (organizationId) => cancelSubscription({ organizationId }),
    setFreePlan: (organizationId, options) => setFreePlan({ organizationId, ...options }),
    applyCoupon: (organizationId, couponCode) => applyCoupon({ organizationId, couponCode })
  }
})

/**
 * The service, over a {@link MakeClient} the caller provides.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Billing, never, MakeClient> = Layer.effect(Billing, make)

/**
 * A mock of the service for tests of code that uses it: the methods given, and for every other one a defect naming
 * it (`Billing.<method> was called but the mock layer does not implement it`) — or, with `otherwise`, a typed error
 * every method can fail with (see {@link Operation.Shared}). No client, no emulator, no network.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Billing, MakeError } from "effect-make"
 *
 * // no subscription for anyone; a call to any other method of Billing dies naming it
 * const BillingTest = Billing.layerMock({
 *   subscription: (organizationId) =>
 *     Effect.fail(new MakeError.NotFound({ status: 404, detail: "Not found", resource: "subscription", organizationId }))
 * })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMock: Operation.MockLayer<Billing, Service> = Operation.layerMock(Billing)
