// Test helpers for the Billing, Usage and Admin > Teams suites: what Effect 3's emulator service offered and Effect 4's
// does not (the last request, an organization's payments and subscriptions), read from its log and data snapshot.
import { Cause, Effect, Exit, type Option } from "effect"
import * as Emulator from "../../src/testing/Emulator.js"
import { currentSubscription } from "../../src/testing/emulator/Billing.js"
import type { PaymentRecord, SubscriptionRecord } from "../../src/testing/emulator/Records.js"
import { type Data, inOrganization } from "../../src/testing/emulator/Store.js"

/** The requests the emulator received, oldest first. */
export const requests: Effect.Effect<ReadonlyArray<Emulator.RecordedRequest>, never, Emulator.Emulator> =
  Emulator.requests

/** The last request the emulator received, if any. */
export const lastRequest: Effect.Effect<Emulator.RecordedRequest | undefined, never, Emulator.Emulator> = Effect.map(
  Emulator.requests,
  (all) => all.at(-1)
)

/** Forgets the requests received so far. */
export const clearRequests: Effect.Effect<void, never, Emulator.Emulator> = Effect.flatMap(
  Emulator.Emulator,
  (emulator) => emulator.clearRequests
)

const read = <A>(f: (data: Data) => A): Effect.Effect<A, never, Emulator.Emulator> =>
  Effect.flatMap(Emulator.Emulator, (emulator) => Effect.map(emulator.snapshot, f))

/** An organization's payments, oldest first. */
export const payments = (
  organizationId: number
): Effect.Effect<ReadonlyArray<PaymentRecord>, never, Emulator.Emulator> =>
  read((data) => inOrganization(data.payments, organizationId))

/** An organization's current subscription (`active` or `free`), if any. */
export const subscription = (
  organizationId: number
): Effect.Effect<Option.Option<SubscriptionRecord>, never, Emulator.Emulator> =>
  read((data) => currentSubscription(data, organizationId))

/** An organization's subscriptions, cancelled ones included, oldest first. */
export const subscriptions = (
  organizationId: number
): Effect.Effect<ReadonlyArray<SubscriptionRecord>, never, Emulator.Emulator> =>
  read((data) => inOrganization(data.subscriptions, organizationId))

/** The message of the defect an effect died with, if it died (from Effect 3's mock-layer suite). */
export const defectOf = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<string | undefined, never, R> =>
  Effect.map(Effect.exit(effect), (exit) => {
    if (Exit.isSuccess(exit)) return undefined
    const defect = exit.cause.reasons.find(Cause.isDieReason)?.defect
    return defect === undefined ? undefined : defect instanceof Error ? defect.message : String(defect)
  })

/** What a mock layer's method that was not given dies with. */
export const unimplemented = (method: string): string => `${method} was called but the mock layer does not implement it`
