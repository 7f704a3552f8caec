/**
 * The Billing service: past payments, single payments, the subscription (get, create, change, cancel, free plan) and
 * coupons.
 *
 * @since 1.0.0
 */
// Floor 4: imports MakeClient, Operation, Mock and floors below; never testing/ or @effect/platform-node.
import { Context, Effect, Layer, Schema, type Stream } from "effect"
import {
  ChangeSubscription,
  CouponCode,
  CreateSinglePayment,
  CreateSubscription,
  type Payment
} from "./domain/Billing.js"
import { Id } from "./domain/Common.js"
import { MakeClient } from "./MakeClient.js"
import type * as MakeError from "./MakeError.js"
import * as Mock from "./Mock.js"
import * as Operation from "./Operation.js"
import * as Pagination from "./Pagination.js"

// ---------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------

/**
 * Options of `setFreePlan`.
 *
 * @since 1.0.0
 * @category arguments
 */
export const FreePlanOptions = Schema.Struct({
  /** Confirm moving to the free plan (`confirmed=true`); without it Make changes nothing. */
  confirmed: Schema.optional(Schema.Boolean)
})

/**
 * The type of the `FreePlanOptions` schema.
 *
 * @since 1.0.0
 * @category arguments
 */
export type FreePlanOptions = typeof FreePlanOptions.Type

const OrganizationInput = Schema.Struct({ organizationId: Id })
const bodyOf = <S extends Schema.Top>(body: S) => Schema.Struct({ organizationId: Id, body })

type OrganizationInput = typeof OrganizationInput.Type

const organization = ({ organizationId }: OrganizationInput): MakeError.Target => ({
  resource: "organization",
  id: organizationId
})

/** A 404 of a subscription call means no subscription (or no organization: Make does not say which). */
const subscription = ({ organizationId }: OrganizationInput): MakeError.Target => ({
  resource: "subscription",
  organizationId
})

/** Every billing call counts against the organization it is about. */
const rateLimitKey = ({ organizationId }: OrganizationInput): number => organizationId

// ---------------------------------------------------------------------------
// Methods
// ---------------------------------------------------------------------------

/**
 * The methods of the service over the contract, each said once: its arguments, their schema, and the call.
 *
 * @since 1.0.0
 * @category methods
 */
export const methods = {
  /**
   * One page of the organization's past payments.
   *
   * @example
   * ```ts
   * const page = yield* billing.payments(11, { limit: 20 })
   * ```
   */
  payments: Operation.method({
    endpoint: ["billing", "payments"],
    args: (organizationId: number, options?: Pagination.PageOptions) => ({ organizationId, ...options }),
    input: Schema.Struct({ organizationId: Id, ...Pagination.PageOptions.fields }),
    about: organization,
    organization: rateLimitKey,
    // the contract's envelope already decodes to a `Pagination.Page`
    send: (payments, { organizationId, ...query }) => payments({ params: { organizationId }, query })
  }),
  /**
   * Buys something once (e.g. an operations pack).
   *
   * @example
   * ```ts
   * const payment = yield* billing.createSinglePayment(11, { priceId: 301, quantity: 2 })
   * ```
   */
  createSinglePayment: Operation.method({
    endpoint: ["billing", "createSinglePayment"],
    args: (organizationId: number, body: CreateSinglePayment) => ({ organizationId, body }),
    input: bodyOf(CreateSinglePayment),
    about: organization,
    organization: rateLimitKey,
    send: (create, input) => create({ params: { organizationId: input.organizationId }, payload: input.body })
  }),
  /**
   * The active subscription; `NotFound` when there is none.
   *
   * @example
   * ```ts
   * const subscription = yield* billing.subscription(11)
   * ```
   */
  subscription: Operation.method({
    endpoint: ["billing", "getSubscription"],
    args: (organizationId: number) => ({ organizationId }),
    input: OrganizationInput,
    about: subscription,
    organization: rateLimitKey,
    send: (get, { organizationId }) => get({ params: { organizationId } })
  }),
  /**
   * Subscribes the organization to a plan.
   *
   * @example
   * ```ts
   * const subscription = yield* billing.createSubscription(12, { priceId: 102, couponCode: "WELCOME10" })
   * ```
   */
  createSubscription: Operation.method({
    endpoint: ["billing", "createSubscription"],
    args: (organizationId: number, body: CreateSubscription) => ({ organizationId, body }),
    input: bodyOf(CreateSubscription),
    about: organization,
    organization: rateLimitKey,
    send: (create, input) => create({ params: { organizationId: input.organizationId }, payload: input.body })
  }),
  /**
   * Moves the active subscription to another plan.
   *
   * @example
   * ```ts
   * const subscription = yield* billing.changeSubscription(11, { priceId: 103 })
   * ```
   */
  changeSubscription: Operation.method({
    endpoint: ["billing", "changeSubscription"],
    args: (organizationId: number, body: ChangeSubscription) => ({ organizationId, body }),
    input: bodyOf(ChangeSubscription),
    about: subscription,
    organization: rateLimitKey,
    send: (change, input) => change({ params: { organizationId: input.organizationId }, payload: input.body })
  }),
  /**
   * Cancels the active subscription.
   *
   * @example
   * ```ts
   * yield* billing.cancelSubscription(11)
   * ```
   */
  cancelSubscription: Operation.method({
    endpoint: ["billing", "cancelSubscription"],
    args: (organizationId: number) => ({ organizationId }),
    input: OrganizationInput,
    about: subscription,
    organization: rateLimitKey,
    // the answer's body (the cancelled subscription, or its id) is not needed: any body is taken
    output: Schema.Void,
    send: (cancel, { organizationId }, client) => Effect.flatMap(cancel({ params: { organizationId } }), client.ignore)
  }),
  /**
   * Moves the organization to the free plan. Without `{ confirmed: true }` the call fails with `NotConfirmed` and
   * nothing changes.
   *
   * @example
   * ```ts
   * const subscription = yield* billing.setFreePlan(11, { confirmed: true })
   * ```
   */
  setFreePlan: Operation.method({
    endpoint: ["billing", "setFreePlan"],
    args: (organizationId: number, options?: FreePlanOptions) => ({ organizationId, ...options }),
    input: Schema.Struct({ organizationId: Id, ...FreePlanOptions.fields }),
    about: organization,
    organization: rateLimitKey,
    send: (setFree, { confirmed, organizationId }) => setFree({ params: { organizationId }, query: { confirmed } })
  }),
  /**
   * Applies a coupon to the active subscription.
   *
   * @example
   * ```ts
   * const subscription = yield* billing.applyCoupon(11, "WELCOME10")
   * ```
   */
  applyCoupon: Operation.method({
    endpoint: ["billing", "applyCoupon"],
    args: (organizationId: number, couponCode: string) => ({ organizationId, couponCode }),
    input: Schema.Struct({ organizationId: Id, couponCode: CouponCode }),
    about: subscription,
    organization: rateLimitKey,
    send: (apply, { couponCode, organizationId }) => apply({ params: { organizationId }, query: { couponCode } })
  })
}

/**
 * What `yield* Billing` gives: payments, the subscription and coupons, each method with exactly the errors its
 * contract endpoint declares, plus the payments' stream.
 *
 * @since 1.0.0
 * @category models
 */
export interface Service extends Operation.Methods<typeof methods> {
  /**
   * Every past payment, page after page, in constant memory.
   *
   * @example
   * ```ts
   * const total = yield* billing.streamPayments(11).pipe(Stream.runFold(() => 0, (sum, p) => sum + (p.amount ?? 0)))
   * ```
   */
  readonly streamPayments: (
    organizationId: number,
    options?: Pagination.PageOptions
  ) => Stream.Stream<Payment, MakeError.NotFound | MakeError.Common>
}

/**
 * The Billing service.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Billing } from "effect-make"
 *
 * const program = Effect.gen(function*() {
 *   const billing = yield* Billing.Billing
 *   return yield* billing.subscription(11)
 * })
 * ```
 *
 * @since 1.0.0
 * @category tags
 */
export class Billing extends Context.Service<Billing, Service>()("effect-make/Billing") {}

/**
 * Builds the service over {@link MakeClient}.
 *
 * @since 1.0.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, MakeClient> = Effect.map(Effect.service(MakeClient), (client) => {
  const bound = Operation.bind("Billing", methods, client)
  return {
    ...bound,
    // each page is one `payments` call, with its own span
    streamPayments: (organizationId, options) =>
      Pagination.stream((page) => bound.payments(organizationId, { ...options, ...page }), options)
  }
})

/**
 * The service, over a {@link MakeClient} the caller provides.
 *
 * @since 1.0.0
 * @category layers
 */
export const layer: Layer.Layer<Billing, never, MakeClient> = Layer.effect(Billing, make)

/**
 * A mock of the service for tests of code that uses it: the methods given, and for every other one a defect naming
 * it (`Billing.<method> was called but the mock layer does not implement it`), or, with `otherwise`, a typed error
 * every method can fail with (see `Mock.Shared`). No client, no emulator, no network.
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
 * @since 1.0.0
 * @category layers
 */
export const layerMock: Mock.MockLayer<Billing, Service> = Mock.layer(Billing, {
  effects: Object.keys(methods),
  streams: ["streamPayments"]
})
