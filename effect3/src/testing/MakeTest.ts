/**
 * The real services over the emulator: one layer for tests, examples and the CLI's default target.
 *
 * @since 0.1.0
 */
// The one testing/ module that composes the client side (MakeApi) with the emulator; the emulator itself never does.
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
 * import { Effect } from "effect"
 * import { Organizations } from "effect-make"
 * import { Emulator, MakeTest } from "effect-make/testing"
 *
 * // in a test: `it.effect("lists organizations", () => program)` from @effect/vitest
 * const program = Effect.gen(function*() {
 *   const orgs = yield* Organizations.Organizations
 *   const page = yield* orgs.list()
 *   const requests = yield* Emulator.requests
 *   return { names: page.items.map((org) => org.name), paths: requests.map((request) => request.path) }
 * }).pipe(Effect.provide(MakeTest.layer()))
 *
 * const { paths } = await Effect.runPromise(program)
 * assert.deepStrictEqual(paths, ["/organizations"])
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
