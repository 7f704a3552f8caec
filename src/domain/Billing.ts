/**
 * Billing of an organization: past payments, single payments, the subscription, coupons.
 *
 * @since 1.0.0
 */
// Billing of an organization: payments, single payments, the subscription, coupons.
// Floor 1: imports only `effect` and sibling domain modules.
import { Schema, SchemaTransformation } from "effect"
import { Count, Id, Optional, OptionalInput } from "./Common.js"

/**
 * A price of Make's price list (a positive integer id).
 *
 * @since 1.0.0
 * @category schemas
 */
export const PriceId = Id.annotate({ identifier: "PriceId" })

/**
 * A coupon code: letters, digits, `-` and `_`, 1 to 64 characters.
 *
 * @since 1.0.0
 * @category schemas
 */
export const CouponCode = Schema.String.check(
  Schema.isPattern(/^[A-Za-z0-9_-]{1,64}$/, { message: "must be a coupon code (letters, digits, - and _)" })
).annotate({ identifier: "CouponCode" })

/** A payment's fields under their canonical names. */
const PaymentFields = Schema.Struct({
  /** The payment id. */
  id: Schema.Union([Schema.Number, Schema.String]),
  /** The price paid for. */
  priceId: Optional(Schema.Number),
  /** Units bought. */
  quantity: Optional(Count),
  /** Amount charged, in the currency's main unit. */
  amount: Optional(Count),
  /** ISO 4217 currency code, e.g. `USD`. */
  currency: Optional(Schema.String),
  /** `paid`, `pending`, `failed`, ... */
  status: Optional(Schema.String),
  /** The coupon applied, if any. */
  couponCode: Optional(Schema.String),
  /** When the payment was made (ISO 8601). */
  createdAt: Optional(Schema.String)
})

/**
 * A payment of the organization. No page documents its fields; where the meaning is clear but the name is not, each
 * plausible name is read into the one field (`createdAt` from `createdAt`, `created` or `date`), so nothing Make
 * sends under one of them is dropped.
 *
 * @since 1.0.0
 * @category schemas
 */
export const Payment = Schema.Struct({
  ...PaymentFields.fields,
  created: Optional(Schema.String),
  date: Optional(Schema.String)
}).pipe(
  Schema.decodeTo(
    Schema.toType(PaymentFields),
    SchemaTransformation.transform({
      decode: ({ created, createdAt, date, ...payment }) => {
        const when = createdAt ?? created ?? date
        return when === undefined ? payment : { ...payment, createdAt: when }
      },
      encode: (payment) => payment
    })
  )
).annotate({ identifier: "Payment" })

/**
 * A decoded payment (the type of the `Payment` schema).
 *
 * @since 1.0.0
 * @category models
 */
export interface Payment extends Schema.Schema.Type<typeof Payment> {}

/**
 * Body of `POST /organizations/{organizationId}/single-payment-create`.
 *
 * @since 1.0.0
 * @category request bodies
 */
export const CreateSinglePayment = Schema.Struct({
  /** What to buy (e.g. an operations pack). */
  priceId: PriceId,
  /** How many units. */
  quantity: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 1_000_000 })),
  /** A coupon to apply. */
  couponCode: OptionalInput(CouponCode)
}).annotate({ identifier: "CreateSinglePayment" })

/**
 * The type of the `CreateSinglePayment` schema.
 *
 * @since 1.0.0
 * @category request bodies
 */
export type CreateSinglePayment = typeof CreateSinglePayment.Type

/** A subscription's fields under their canonical names. */
const SubscriptionFields = Schema.Struct({
  /** The subscription id. */
  id: Optional(Schema.Union([Schema.Number, Schema.String])),
  /** The price (plan) subscribed to. */
  priceId: Optional(Schema.Number),
  /** `active`, `canceled`, `free`, ... */
  status: Schema.String,
  /** Product (plan) name, e.g. `Core`, `Pro`, `Free`. */
  productName: Optional(Schema.String),
  /** The coupon applied to the subscription. */
  couponCode: Optional(Schema.String),
  /** When the subscription started (ISO 8601). */
  createdAt: Optional(Schema.String),
  /** When the current period ends (ISO 8601). */
  nextBillingAt: Optional(Schema.String)
})

/**
 * The organization's subscription. No page documents its fields: `createdAt` is read from `createdAt`, `created` or
 * `startedAt`, `nextBillingAt` from `nextBillingAt`, `nextBilling` or `nextBillingDate` (see {@link Payment}).
 *
 * @since 1.0.0
 * @category schemas
 */
export const Subscription = Schema.Struct({
  ...SubscriptionFields.fields,
  created: Optional(Schema.String),
  startedAt: Optional(Schema.String),
  nextBilling: Optional(Schema.String),
  nextBillingDate: Optional(Schema.String)
}).pipe(
  Schema.decodeTo(
    Schema.toType(SubscriptionFields),
    SchemaTransformation.transform({
      decode: ({ created, createdAt, nextBilling, nextBillingAt, nextBillingDate, startedAt, ...subscription }) => {
        const started = createdAt ?? created ?? startedAt
        const next = nextBillingAt ?? nextBilling ?? nextBillingDate
        return {
          ...subscription,
          ...(started === undefined ? {} : { createdAt: started }),
          ...(next === undefined ? {} : { nextBillingAt: next })
        }
      },
      encode: (subscription) => subscription
    })
  )
).annotate({ identifier: "Subscription" })

/**
 * A decoded subscription (the type of the `Subscription` schema).
 *
 * @since 1.0.0
 * @category models
 */
export interface Subscription extends Schema.Schema.Type<typeof Subscription> {}

/**
 * Body of `POST /organizations/{organizationId}/subscription`.
 *
 * @since 1.0.0
 * @category request bodies
 */
export const CreateSubscription = Schema.Struct({
  priceId: PriceId,
  couponCode: OptionalInput(CouponCode)
}).annotate({ identifier: "CreateSubscription" })

/**
 * The type of the `CreateSubscription` schema.
 *
 * @since 1.0.0
 * @category request bodies
 */
export type CreateSubscription = typeof CreateSubscription.Type

/**
 * Body of `PATCH /organizations/{organizationId}/subscription`.
 *
 * @since 1.0.0
 * @category request bodies
 */
export const ChangeSubscription = Schema.Struct({
  priceId: PriceId
}).annotate({ identifier: "ChangeSubscription" })

/**
 * The type of the `ChangeSubscription` schema.
 *
 * @since 1.0.0
 * @category request bodies
 */
export type ChangeSubscription = typeof ChangeSubscription.Type
