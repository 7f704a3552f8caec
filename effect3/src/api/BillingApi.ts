/**
 * The contract of an organization's billing: payments, single payments, the subscription and its changes, coupons.
 *
 * @since 0.1.0
 */
// Floor 2: imports `effect`, `@effect/platform`, domain/, Pagination and the wire errors.
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import {
  ChangeSubscription,
  CouponCode,
  CreateSinglePayment,
  CreateSubscription,
  Payment,
  Subscription
} from "../domain/Billing.js"
import { pgUrlParams } from "../Pagination.js"
import * as Envelope from "./Envelope.js"
import * as Errors from "./Errors.js"
import { organizationId } from "./OrganizationsApi.js"
import { Authentication } from "./Security.js"

// ---------------------------------------------------------------------------
// Envelopes: none is documented, so each accepts the shapes of the policy in Envelope.ts; the first key is the one
// the emulator answers. Payments `{"payments": [...], "pg": {...}}`, a payment `{"payment": {...}}`, the
// subscription `{"subscription": {...}}` (get, create, change, free plan, coupon). Cancelling is `void`: any body
// (the emulator answers the cancelled subscription's id, `{"subscription": <id>}`; Make was seen answering the
// cancelled subscription itself).
// ---------------------------------------------------------------------------

/**
 * The answer of the payment list: one page of payments, under any envelope the tolerant reader accepts.
 *
 * @since 0.1.0
 * @category envelopes
 */
export const PaymentList = Envelope.page(Payment, ["payments", "payment"])
/**
 * The answer of `single-payment-create`: the payment, under any envelope the tolerant reader accepts.
 *
 * @since 0.1.0
 * @category envelopes
 */
export const PaymentEnvelope = Envelope.entity(Payment, ["payment", "payments"])
/**
 * The answer of the subscription endpoints: the subscription, under any envelope the tolerant reader accepts.
 *
 * @since 0.1.0
 * @category envelopes
 */
export const SubscriptionEnvelope = Envelope.entity(Subscription, ["subscription", "subscriptions"])

/**
 * The billing group of the contract.
 *
 * @since 0.1.0
 * @category contract
 */
export class BillingApi extends HttpApiGroup.make("billing")
  .add(
    HttpApiEndpoint.get("payments")`/organizations/${organizationId}/payments`
      .setUrlParams(Schema.Struct(pgUrlParams))
      .addSuccess(PaymentList)
      .addError(Errors.NotFound)
      .annotate(OpenApi.Summary, "Get list of past payments")
  )
  .add(
    HttpApiEndpoint.post("createSinglePayment")`/organizations/${organizationId}/single-payment-create`
      .setPayload(CreateSinglePayment)
      .addSuccess(PaymentEnvelope)
      .addError(Errors.NotFound)
      .annotate(OpenApi.Summary, "Create a single payment")
  )
  .add(
    HttpApiEndpoint.get("getSubscription")`/organizations/${organizationId}/subscription`
      .addSuccess(SubscriptionEnvelope)
      .addError(Errors.NotFound)
      .annotate(OpenApi.Summary, "Get detail of an active subscription")
  )
  .add(
    HttpApiEndpoint.post("createSubscription")`/organizations/${organizationId}/subscription`
      .setPayload(CreateSubscription)
      .addSuccess(SubscriptionEnvelope)
      .addError(Errors.NotFound)
      .annotate(OpenApi.Summary, "Create a new subscription")
  )
  .add(
    HttpApiEndpoint.del("cancelSubscription")`/organizations/${organizationId}/subscription`
      .addSuccess(Envelope.AnyBody)
      .addSuccess(Envelope.AnyBody, { status: 204 })
      .addError(Errors.NotFound)
      .annotate(OpenApi.Summary, "Cancel the active subscription")
  )
  .add(
    HttpApiEndpoint.patch("changeSubscription")`/organizations/${organizationId}/subscription`
      .setPayload(ChangeSubscription)
      .addSuccess(SubscriptionEnvelope)
      .addError(Errors.NotFound)
      .annotate(OpenApi.Summary, "Change subscription")
  )
  .add(
    HttpApiEndpoint.post("setFreePlan")`/organizations/${organizationId}/subscription-free`
      .setUrlParams(Schema.Struct({ confirmed: Schema.optional(Schema.BooleanFromString) }))
      .addSuccess(SubscriptionEnvelope)
      .addError(Errors.NotFound)
      .addError(Errors.NotConfirmed)
      .annotate(OpenApi.Summary, "Sets Free plan subscription")
  )
  .add(
    HttpApiEndpoint.post("applyCoupon")`/organizations/${organizationId}/subscription/coupon-apply`
      .setUrlParams(Schema.Struct({ couponCode: CouponCode }))
      .addSuccess(SubscriptionEnvelope)
      .addError(Errors.NotFound)
      .annotate(OpenApi.Summary, "Apply a coupon")
  )
  .middleware(Authentication)
  .annotate(OpenApi.Title, "Billing")
  .annotate(
    OpenApi.Description,
    "An organization's subscription (create, change, cancel, free plan, coupons) and its payments."
  )
{}
