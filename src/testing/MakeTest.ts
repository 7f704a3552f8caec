/**
 * Every service over the in-process emulator: what a test of code that uses effect-make provides. No network, no
 * token, the same answers Make gives.
 *
 * @since 1.0.0
 */
// The one testing/ module that composes the client side (MakeApi) with the emulator; the emulator itself never does.
import { Layer } from "effect"
import type { HttpClient } from "effect/http"
import * as MakeApi from "../MakeApi.js"
import type * as MakeClient from "../MakeClient.js"
import type * as MakeConfig from "../MakeConfig.js"
import * as Emulator from "./Emulator.js"

/**
 * Options of {@link layer}: the emulator's, plus the client's timeout and its own rate limit.
 *
 * @since 1.0.0
 * @category models
 */
export interface Options extends Emulator.Options {
  readonly timeout?: MakeConfig.Options["timeout"]
  /**
   * The client's own limit, its `rateLimit` option (e.g. `{ requestsPerMinute: 60 }`); `rateLimit` is the emulator's,
   * the limit the client must keep under.
   */
  readonly clientRateLimit?: MakeConfig.Options["rateLimit"]
}

/**
 * Every service, the client and the emulator behind it, in process: the emulator's state and request log are there
 * to assert on (`Emulator.requests`).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Organizations } from "effect-make"
 * import { MakeTest } from "effect-make/testing"
 *
 * const names = Effect.gen(function*() {
 *   const orgs = yield* Organizations.Organizations
 *   const page = yield* orgs.list()
 *   return page.items.map((org) => org.name)
 * }).pipe(Effect.provide(MakeTest.layer()))
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layer = (
  options?: Options
): Layer.Layer<MakeApi.Services | MakeClient.MakeClient | Emulator.Emulator | HttpClient.HttpClient> =>
  MakeApi.layer({
    token: options?.token ?? Emulator.defaultToken,
    baseUrl: Emulator.baseUrl,
    timeout: options?.timeout,
    rateLimit: options?.clientRateLimit
  }).pipe(
    // The configuration is a constant known to be valid: an InvalidInput here is a bug, not a user error.
    Layer.orDie,
    Layer.provideMerge(Emulator.layerTest(options))
  )
