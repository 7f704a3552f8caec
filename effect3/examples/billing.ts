// Billing: an organization's subscription and payments, a one-off purchase, a plan change and a coupon.
// Runs on the embedded emulator: `npx tsx examples/billing.ts`.
import { NodeRuntime } from "@effect/platform-node"
import { Console, Effect, Stream } from "effect"
import { Billing } from "../src/index.js"
import { MakeTest } from "../src/testing/index.js"

const program = Effect.gen(function*() {
  const billing = yield* Billing.Billing

  const current = yield* billing.subscription(11)
  yield* Console.log(`Acme is on ${current.productName ?? "?"} (${current.status})`)

  const payment = yield* billing.createSinglePayment(11, { priceId: 201, quantity: 2, couponCode: "WELCOME10" })
  yield* Console.log(
    `Bought ${payment.quantity ?? 0} operation packs for ${payment.amount ?? 0} ${payment.currency ?? ""}`
  )

  const total = yield* billing.streamPayments(11, { limit: 5 }).pipe(
    Stream.runFold(0, (sum, p) => sum + (p.amount ?? 0))
  )
  yield* Console.log(`All payments of Acme: ${total.toFixed(2)}`)

  const upgraded = yield* billing.changeSubscription(11, { priceId: 102 })
  yield* Console.log(`Changed plan to ${upgraded.productName ?? "?"}`)
  const discounted = yield* billing.applyCoupon(11, "SPRING25")
  yield* Console.log(`Coupon applied: ${discounted.couponCode ?? "none"}`)

  // moving to the free plan must be confirmed
  const refused = yield* Effect.flip(billing.setFreePlan(11))
  yield* Console.log(`setFreePlan(11) without confirmation: ${refused._tag}`)
})

program.pipe(Effect.provide(MakeTest.layer()), NodeRuntime.runMain)
