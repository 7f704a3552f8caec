/**
 * Mock layers of the services, for tests of code that uses them: the methods given, and for every other one a defect
 * naming it (`Organizations.list was called but the mock layer does not implement it`), or a typed error every
 * method can fail with. No client, no emulator, no network.
 *
 * @since 1.0.0
 */
// Floor 3 beside Operation: imports only `effect`.
import { Effect, Layer, Stream } from "effect"
import type { Context } from "effect"

/** What a method of a service can fail with, whether it answers an `Effect` or a `Stream`. */
type ErrorOf<F> = F extends (...args: never) => infer R ? R extends Effect.Effect<infer _A, infer E, infer _R> ? E
  : R extends Stream.Stream<infer _A, infer E, infer _R> ? E
  : never
  : never

/** `U` when every method of `S` can fail with it, else `never`. */
type Everywhere<S, U> = false extends { [K in keyof S]: [U] extends [ErrorOf<S[K]>] ? true : false }[keyof S] ? never
  : U

/**
 * The errors every method of a service can fail with: what a mock layer may answer any call with. For
 * `Organizations` these are the common errors (`list` and `create` are about no one entity, so they cannot fail with
 * `NotFound`); for the other services `NotFound` too.
 *
 * @since 1.0.0
 * @category models
 */
export type Shared<S> = ErrorOf<S[keyof S]> extends infer U ? U extends unknown ? Everywhere<S, U> : never : never

/**
 * Options of a mock layer.
 *
 * @since 1.0.0
 * @category models
 */
export interface MockOptions<S> {
  /**
   * What a method the mock does not implement answers: this typed error, instead of a defect. It must be an error
   * every method of the service can fail with ({@link Shared}); an error only some methods declare (`NotConfirmed`
   * from `delete`) goes in that method's implementation instead, so no method's type ever lies.
   */
  readonly otherwise?: Shared<S> | undefined
}

/**
 * A service's mock layer: the methods given, and every other one a defect naming the service and the method (or the
 * `otherwise` error).
 *
 * @since 1.0.0
 * @category models
 */
export interface MockLayer<I, S extends object> {
  (implementation: Layer.PartialEffectful<S>, options?: MockOptions<S>): Layer.Layer<I>
}

/**
 * The mock layer of a service, from its key and the names of its methods (those answering a `Stream` apart). A method
 * that is not given answers, when called, the `otherwise` error or else dies with `<Service>.<method> was called but
 * the mock layer does not implement it`: a defect, because a test that reaches an unmocked method is a broken test,
 * not a case the code under test should handle.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Usage } from "effect-make"
 *
 * // what every service exports as `layerMock`
 * const UsageTest = Usage.layerMock({ get: () => Effect.succeed([]) })
 * ```
 *
 * @since 1.0.0
 * @category constructors
 */
export const layer = <I, S extends object>(
  key: Context.Key<I, S>,
  methods: { readonly effects: ReadonlyArray<string>; readonly streams: ReadonlyArray<string> }
): MockLayer<I, S> =>
(implementation, options) => {
  const service = key.key.slice(key.key.lastIndexOf("/") + 1)
  const otherwise = options?.otherwise
  const given = new Set<string>()
  for (const method in implementation) given.add(method)
  const unimplemented = (method: string) => `${service}.${method} was called but the mock layer does not implement it`
  const missing = new Map<string, unknown>([
    ...methods.effects.map((method) =>
      [
        method,
        () => otherwise === undefined ? Effect.die(unimplemented(method)) : Effect.fail(otherwise)
      ] as const
    ),
    ...methods.streams.map((method) =>
      [
        method,
        () => otherwise === undefined ? Stream.die(unimplemented(method)) : Stream.fail(otherwise)
      ] as const
    )
  ])
  // `Layer.mock` types the partial implementation; the proxy over its value decides every read. A method of the
  // service that was not given answers the named defect (Layer.mock's own names neither the service as users know it
  // nor the call); anything else is read from the implementation as given, so the service is the plain value it looks
  // like. Layer.mock's value answers *any* name with an unimplemented method (`then` too, which made `await` of the
  // service hang, and `Symbol.iterator`) and says every name is there: neither is let through.
  const plain: object = Object.assign({}, implementation)
  const mocked = Effect.map(Effect.service(key), (partial) =>
    new Proxy(partial, {
      get: (_target, property) =>
        typeof property === "string" && !given.has(property) && missing.has(property)
          ? missing.get(property)
          : Reflect.get(plain, property),
      has: (_target, property) =>
        (typeof property === "string" && missing.has(property)) || Reflect.has(plain, property)
    }))
  return Layer.effect(key, mocked).pipe(Layer.provide(Layer.mock(key)(implementation)))
}
