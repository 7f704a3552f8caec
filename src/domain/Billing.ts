// Billing of an organization: past payments, single payments, the subscription, coupons.
// Floor 1: imports only `effect` and sibling domain modules.
/**
 * @since 0.1.0
 */
import { Schema } from "effect"
import { Count, Id, OptionalNullable } from "./Common.js"

/**
 * A price of Make's price list (a positive integer id).
 *
 * @since 0.1.0
 * @category schemas
 */
export const PriceId = Id.annotations({ identifier: "PriceId" })

/**
 * A coupon code: letters, digits, `-` and `_`, 1 to 64 characters.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CouponCode = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9_-]{1,64}$/, { message: () => "must be a coupon code (letters, digits, - and _)" }),
  Schema.annotations({ identifier: "CouponCode" })
)

/**
 * A payment of the organization.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Payment = Schema.Struct({
  /** The payment id. */
  id: Schema.Union(Schema.Number, Schema.String),
  /** The price paid for. */
  priceId: Schema.optional(Schema.Number),
  /** Units bought. */
  quantity: Schema.optional(Count),
  /** Amount charged, in the currency's main unit. */
  amount: Schema.optional(Count),
  /** ISO 4217 currency code, e.g. `USD`. */
  currency: Schema.optional(Schema.String),
  /** `paid`, `pending`, `failed`, ... */
  status: Schema.optional(Schema.String),
  /** The coupon applied, if any. */
  couponCode: OptionalNullable(Schema.String),
  /** When the payment was made (ISO 8601). */
  createdAt: Schema.optional(Schema.String)
}).annotations({ identifier: "Payment" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Payment extends Schema.Schema.Type<typeof Payment> {}

/**
 * Body of `POST /organizations/{organizationId}/single-payment-create`.
 *
 * @since 0.1.0
 * @category request bodies
 */
export const CreateSinglePayment = Schema.Struct({
  /** What to buy (e.g. an operations pack). */
  priceId: PriceId,
  /** How many units. */
  quantity: Schema.Int.pipe(Schema.between(1, 1_000_000)),
  /** A coupon to apply. */
  couponCode: Schema.optional(CouponCode)
}).annotations({ identifier: "CreateSinglePayment", parseOptions: { errors: "all" } })

/**
 * @since 0.1.0
 * @category request bodies
 */
export type CreateSinglePayment = typeof CreateSinglePayment.Type

/**
 * The organization's subscription.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Subscription = Schema.Struct({
  /** The subscription id. */
  id: Schema.optional(Schema.Union(Schema.Number, Schema.String)),
  /** The price (plan) subscribed to. */
  priceId: OptionalNullable(Schema.Number),
  /** `active`, `canceled`, `free`, ... */
  status: Schema.String,
  /** Product (plan) name, e.g. `Core`, `Pro`, `Free`. */
  productName: OptionalNullable(Schema.String),
  /** The coupon applied to the subscription. */
  couponCode: OptionalNullable(Schema.String),
  /** When the subscription started (ISO 8601). */
  createdAt: Schema.optional(Schema.String),
  /** When the current period ends (ISO 8601). */
  nextBillingAt: OptionalNullable(Schema.String)
}).annotations({ identifier: "Subscription" })

/**
 * @since 0.1.0
 * @category models
 */
export interface Subscription extends Schema.Schema.Type<typeof Subscription> {}

/**
 * Body of `POST /organizations/{organizationId}/subscription`.
 *
 * @since 0.1.0
 * @category request bodies
 */
export const CreateSubscription = Schema.Struct({
  priceId: PriceId,
  couponCode: Schema.optional(CouponCode)
}).annotations({ identifier: "CreateSubscription", parseOptions: { errors: "all" } })

/**
 * @since 0.1.0
 * @category request bodies
 */
export type CreateSubscription = typeof CreateSubscription.Type

/**
 * Body of `PATCH /organizations/{organizationId}/subscription`.
 *
 * @since 0.1.0
 * @category request bodies
 */
export const ChangeSubscription = Schema.Struct({
  priceId: PriceId
}).annotations({ identifier: "ChangeSubscription", parseOptions: { errors: "all" } })

/**
 * @since 0.1.0
 * @category request bodies
 */
export type ChangeSubscription = typeof ChangeSubscription.Type
