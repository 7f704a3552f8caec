// The real services over the emulator: one layer for tests, examples and the CLI's default target.
// The one testing/ module that composes the client side (MakeApi) with the emulator; the emulator itself never does.
/**
 * @since 0.1.0
 */
import type { HttpClient } from "@effect/platform"
import { Layer } from "effect"
import * as MakeApi from "../MakeApi.js"
import type * as MakeClient from "../MakeClient.js"
import * as Emulator from "./Emulator.js"

/**
 * Options: the emulator's (`token`, `seed`, `syncDelay`, `faults`, `rateLimit`, ...) plus the client's `timeout`,
 * `transformClient` and `clientRateLimit`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends Emulator.Options {
  readonly timeout?: MakeClient.Options["timeout"]
  readonly transformClient?: MakeClient.Options["transformClient"]
  /**
   * The client's own limit, its `rateLimit` option (e.g. `{ requestsPerMinute: 60 }`); `rateLimit` is the emulator's,
   * the limit the client must keep under.
   */
  readonly clientRateLimit?: MakeClient.Options["rateLimit"]
}

/**
 * Every service of the library, the client, and the emulator behind them, in process (no socket, no token needed).
 * Build it per test with `Effect.provide` so the emulator shares the test's `TestClock`.
 *
 * @example
 * ```ts
 * import { it } from "@effect/vitest"
 * import { Effect } from "effect"
 * import { Organizations } from "effect-make"
 * import { Emulator, MakeTest } from "effect-make/testing"
 *
 * it.effect("lists organizations", () =>
 *   Effect.gen(function*() {
 *     const orgs = yield* Organizations.Organizations
 *     const page = yield* orgs.list()
 *     const requests = yield* Emulator.requests
 *   }).pipe(Effect.provide(MakeTest.layer())))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options?: Options
): Layer.Layer<MakeApi.Services | MakeClient.MakeClient | Emulator.Emulator | HttpClient.HttpClient> =>
  MakeApi.layer({
    token: options?.token ?? Emulator.defaultToken,
    baseUrl: Emulator.baseUrl,
    timeout: options?.timeout,
    transformClient: options?.transformClient,
    rateLimit: options?.clientRateLimit
  }).pipe(
    // The configuration is a constant known to be valid: an InvalidInput here is a bug, not a user error.
    Layer.orDie,
    Layer.provideMerge(Emulator.layerTest(options))
  )
