/**
 * The contract of an organization's billing: payments, single payments, the subscription and its changes, coupons.
 *
 * @since 1.0.0
 */
// The contract of an organization's billing: payments, single payments, the subscription and its changes, coupons.
// Floor 2: imports `effect`, `effect/http-api`, domain/, Pagination and the contract's shared modules.
import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "effect/http-api"
import {
  ChangeSubscription,
  CouponCode,
  CreateSinglePayment,
  CreateSubscription,
  Payment,
  Subscription
} from "../domain/Billing.js"
import { pgUrlFields, pgWireKeys } from "../Pagination.js"
import * as Envelope from "./Envelope.js"
import * as Errors from "./Errors.js"
import { organizationId } from "./OrganizationsApi.js"
import { confirmed } from "./Params.js"
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
 * @since 1.0.0
 * @category envelopes
 */
export const PaymentList = Envelope.page(Payment, ["payments", "payment"])
/**
 * The answer of `single-payment-create`: the payment, under any envelope the tolerant reader accepts.
 *
 * @since 1.0.0
 * @category envelopes
 */
export const PaymentEnvelope = Envelope.entity(Payment, ["payment", "payments"])
/**
 * The answer of the subscription endpoints: the subscription, under any envelope the tolerant reader accepts.
 *
 * @since 1.0.0
 * @category envelopes
 */
export const SubscriptionEnvelope = Envelope.entity(Subscription, ["subscription", "subscriptions"])

/**
 * Query of the payment list: Make's paging parameters.
 *
 * @since 1.0.0
 * @category params
 */
export const PaymentsParams = Schema.Struct(pgUrlFields).pipe(Schema.encodeKeys(pgWireKeys))

/**
 * The billing group of the contract.
 *
 * @since 1.0.0
 * @category contract
 */
export class BillingApi extends HttpApiGroup.make("billing")
  .add(
    HttpApiEndpoint.get("payments", "/organizations/:organizationId/payments", {
      params: organizationId,
      query: PaymentsParams,
      success: PaymentList,
      error: Errors.NotFound
    }).annotate(OpenApi.Summary, "Get list of past payments"),
    HttpApiEndpoint.post("createSinglePayment", "/organizations/:organizationId/single-payment-create", {
      params: organizationId,
      payload: CreateSinglePayment,
      success: PaymentEnvelope,
      error: Errors.NotFound
    }).annotate(OpenApi.Summary, "Create a single payment"),
    HttpApiEndpoint.get("getSubscription", "/organizations/:organizationId/subscription", {
      params: organizationId,
      success: SubscriptionEnvelope,
      error: Errors.NotFound
    }).annotate(OpenApi.Summary, "Get detail of an active subscription"),
    HttpApiEndpoint.post("createSubscription", "/organizations/:organizationId/subscription", {
      params: organizationId,
      payload: CreateSubscription,
      success: SubscriptionEnvelope,
      error: Errors.NotFound
    }).annotate(OpenApi.Summary, "Create a new subscription"),
    HttpApiEndpoint.delete("cancelSubscription", "/organizations/:organizationId/subscription", {
      params: organizationId,
      success: [Envelope.AnyBody, Envelope.AnyBodyNoContent],
      error: Errors.NotFound
    }).annotate(OpenApi.Summary, "Cancel the active subscription"),
    HttpApiEndpoint.patch("changeSubscription", "/organizations/:organizationId/subscription", {
      params: organizationId,
      payload: ChangeSubscription,
      success: SubscriptionEnvelope,
      error: Errors.NotFound
    }).annotate(OpenApi.Summary, "Change subscription"),
    HttpApiEndpoint.post("setFreePlan", "/organizations/:organizationId/subscription-free", {
      params: organizationId,
      query: { confirmed },
      success: SubscriptionEnvelope,
      error: [Errors.NotFound, Errors.NotConfirmed]
    }).annotate(OpenApi.Summary, "Sets Free plan subscription"),
    HttpApiEndpoint.post("applyCoupon", "/organizations/:organizationId/subscription/coupon-apply", {
      params: organizationId,
      query: { couponCode: CouponCode },
      success: SubscriptionEnvelope,
      error: Errors.NotFound
    }).annotate(OpenApi.Summary, "Apply a coupon")
  )
  .middleware(Authentication)
  .annotate(OpenApi.Title, "Billing")
  .annotate(
    OpenApi.Description,
    "An organization's subscription (create, change, cancel, free plan, coupons) and its payments."
  )
{}
