/**
 * One service method per contract endpoint, said once: name the endpoint, and its route, the span name
 * `Make.<Service>.<method>`, the validation label and the error channel come from the contract.
 *
 * A service declares its methods as a table of operations (as effect-aws builds a service from its commands):
 *
 * ```ts
 * export const operations = Operation.table("Billing", {
 *   payments: Operation.make({
 *     endpoint: ["billing", "payments"],
 *     input: PaymentsInput,
 *     target: ({ organizationId }) => ({ resource: "organization", id: organizationId }),
 *     send: (payments, { organizationId, ...urlParams }) => payments({ path: { organizationId }, urlParams })
 *   })
 * })
 * ```
 *
 * `operations.payments.bind(client)` is then `(input) => Effect<Page<Payment>, NotFound | Common>`: the error channel
 * is what the contract declares for `billing.payments` (checked by the compiler, enforced at run time), the span is
 * `Make.Billing.payments` with the route `GET /organizations/{organizationId}/payments`, and the arguments are
 * validated as `Billing.payments` before anything is sent.
 *
 * @since 0.1.0
 */
// Floor 3 beside MakeClient: imports MakeClient, MakeError, the contract (api/), the call scope and failure mapping
// (internal/), `effect` and `@effect/platform`.
import { HttpApi, type HttpApiEndpoint, type HttpApiGroup } from "@effect/platform"
import { type Context, Effect, Either, Layer, Option, Schema, SchemaAST, type Stream } from "effect"
import { errorTagOf } from "./api/Errors.js"
import { MakeHttpApi } from "./api/MakeHttpApi.js"
import * as CallScope from "./internal/callScope.js"
import * as Failures from "./internal/failures.js"
import { type DerivedClient, type RawError, type Service as Client, validator } from "./MakeClient.js"
import * as MakeError from "./MakeError.js"

// ---------------------------------------------------------------------------
// What the contract says, as types
// ---------------------------------------------------------------------------

type Groups = typeof MakeHttpApi extends HttpApi.HttpApi<string, infer G, infer _E, infer _R> ? G : never
type ApiError = typeof MakeHttpApi extends HttpApi.HttpApi<string, infer _G, infer E, infer _R> ? E : never

/**
 * A group of the contract (`organizations`, `billing`, `adminTeams`, ...).
 *
 * @since 0.1.0
 * @category models
 */
export type GroupName = keyof DerivedClient & HttpApiGroup.HttpApiGroup.Name<Groups>

/**
 * An endpoint of a group (`billing` → `payments`, `createSinglePayment`, ...).
 *
 * @since 0.1.0
 * @category models
 */
export type EndpointName<G extends GroupName> = keyof DerivedClient[G] & string

/**
 * The specific errors (`NotFound`, `NotConfirmed`, `FeatureUnavailable`) the contract declares for an endpoint.
 *
 * @since 0.1.0
 * @category models
 */
export type Declared<G extends GroupName, N extends EndpointName<G>> = Extract<
  | HttpApiEndpoint.HttpApiEndpoint.ErrorWithName<HttpApiGroup.HttpApiGroup.EndpointsWithName<Groups, G>, N>
  | HttpApiGroup.HttpApiGroup.ErrorWithName<Groups, G>
  | ApiError,
  MakeError.Specific
>

/**
 * The error channel of the method over an endpoint: what the contract declares for it, plus the common errors.
 *
 * @since 0.1.0
 * @category models
 */
export type Failure<G extends GroupName, N extends EndpointName<G>> = MakeError.Common | Declared<G, N>

// ---------------------------------------------------------------------------
// What the contract says, at run time
// ---------------------------------------------------------------------------

interface Route {
  /** `GET /organizations/{organizationId}`, the path template as the docs write it. */
  readonly route: string
  readonly method: string
  /** The tags of every error the endpoint declares, its group's and the API's included. */
  readonly declared: ReadonlySet<string>
}

const tagsOf = (ast: SchemaAST.AST): ReadonlyArray<string> =>
  SchemaAST.isUnion(ast) ? ast.types.flatMap(tagsOf) : Option.toArray(errorTagOf(ast))

/** Every endpoint's route and declared error tags, read once from the contract. */
const routes: ReadonlyMap<string, Route> = (() => {
  const found = new Map<string, Route>()
  HttpApi.reflect(MakeHttpApi, {
    onGroup: () => {},
    onEndpoint: ({ endpoint, errors, group }) => {
      const declared = new Set([...errors.values()].flatMap(({ ast }) => Option.toArray(ast).flatMap(tagsOf)))
      const path = endpoint.path.replace(/:(\w+)/g, "{$1}")
      found.set(`${group.identifier}.${endpoint.name}`, {
        route: `${endpoint.method} ${path}`,
        method: endpoint.method,
        declared
      })
    }
  })
  return found
})()

/**
 * Every endpoint of the contract, as `group.endpoint` (`billing.payments`): what the services must cover.
 *
 * @since 0.1.0
 * @category introspection
 */
export const endpoints: ReadonlyArray<string> = [...routes.keys()]

// ---------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------

/**
 * A service method over one contract endpoint. Build it with {@link make}, name it with {@link table}, and run it
 * with `bind(client)`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Operation<G extends GroupName, N extends EndpointName<G>, In, A> extends Any {
  readonly group: G
  readonly endpoint: N
  /** `Make.<Service>.<method>`; set by {@link table}. */
  readonly name: { service: string; method: string }
  /** What the arguments are validated against: the type side of the declared `input`, refinements included. */
  readonly input: Schema.Schema<In>
  readonly bind: (client: Client) => (input: In) => Effect.Effect<A, Failure<G, N>>
}

/**
 * Any operation, whatever its endpoint and types (for tables and introspection).
 *
 * @example
 * ```ts
 * import { Arbitrary, Effect, FastCheck } from "effect"
 * import { MakeClient, Organizations } from "effect-make"
 * import type * as Operation from "effect-make/Operation"
 *
 * // any valid arguments of every Organizations method, sent through the client
 * const operations: ReadonlyArray<Operation.Any> = Object.values(Organizations.operations)
 * const tryAll = Effect.gen(function*() {
 *   const client = yield* MakeClient.MakeClient
 *   for (const operation of operations) {
 *     const [input] = FastCheck.sample(Arbitrary.make(operation.input), 1)
 *     yield* Effect.exit(operation.bindUnknown(client)(input))
 *   }
 * })
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface Any {
  readonly group: string
  readonly endpoint: string
  readonly name: { service: string; method: string }
  /** The schema the arguments are validated against (its type side): an `Arbitrary` of it gives valid arguments. */
  readonly input: Schema.Schema.AnyNoContext
  /**
   * The method over arguments of any type, as a JavaScript caller may pass them: they are validated all the same
   * (for tables, property tests and introspection, where the operations' argument types differ).
   */
  readonly bindUnknown: (client: Client) => (input: unknown) => Effect.Effect<unknown, MakeError.MakeError>
}

/**
 * Declares a method over the contract endpoint `[group, endpoint]`:
 *
 * - `input`: the schema the arguments are validated against (its type side, refinements included) before anything
 *   is sent; a failure is `InvalidInput`;
 * - `target`: what a 404 or 406 of this call is about, from the valid arguments;
 * - `send`: the call itself, given the endpoint's derived client function (and the client, for a method that needs
 *   a second look, such as telling a licence gate from a missing variable, or ignores the body of a `void` answer).
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import * as Operation from "effect-make/Operation"
 *
 * const rename = Operation.make({
 *   endpoint: ["adminTeams", "update"],
 *   input: Schema.Struct({ teamId: Schema.Number, name: Schema.String }),
 *   target: ({ teamId }) => ({ resource: "team", id: teamId }),
 *   send: (update, { name, teamId }) => update({ path: { teamId }, payload: { name } })
 * })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <const G extends GroupName, const N extends EndpointName<G>, In, I, A>(spec: {
  readonly endpoint: readonly [G, N]
  readonly input: Schema.Schema<In, I>
  readonly target?: ((input: In) => MakeError.Target) | undefined
  readonly send: (call: DerivedClient[G][N], input: In, client: Client) => Effect.Effect<A, RawError>
}): Operation<G, N, In, A> => {
  const [group, endpoint] = spec.endpoint
  const route = routes.get(`${group}.${endpoint}`)
  if (route === undefined) throw new Error(`effect-make: no endpoint ${group}.${endpoint} in the contract`)
  const name = { service: "", method: endpoint }
  const isDeclared = (error: MakeError.MakeError): error is Declared<G, N> => route.declared.has(error._tag)
  /** An error the endpoint does not declare is not one this method can fail with: the type never lies. */
  const narrow = (error: MakeError.MakeError): Failure<G, N> =>
    MakeError.isCommon(error) || isDeclared(error)
      ? error
      : new MakeError.UnexpectedResponse({
        status: "status" in error ? error.status : 0,
        reason: `${name.service}.${name.method} does not expect ${error._tag}`,
        excerpt: MakeError.excerpt(error.message)
      })
  // Validation takes `unknown`, so one function serves the typed `bind` and the untyped `bindUnknown`. What never
  // changes between calls (the span's site, the compiled check, the endpoint's function) is made once per client.
  // The call runs as `client.call` runs it, with this method's narrowing folded into the same failure mapping.
  const bindUnknown = (client: Client) => {
    const label = `${name.service}.${name.method}`
    const site = CallScope.site({ span: `Make.${label}`, route: route.route, method: route.method })
    const check = validator(label, spec.input)
    const call = client.api[group][endpoint]
    const { token } = client.config
    const fail = (target: MakeError.Target | undefined) => (error: RawError): Failure<G, N> =>
      narrow(Failures.toMakeError(withTarget(error, target), token))
    return (input: unknown): Effect.Effect<A, Failure<G, N>> => {
      const valid = check(input)
      return Either.isLeft(valid)
        ? CallScope.run(site, Failures.withUnlistedHeaders, Either.left(valid.left), fail(undefined))
        : CallScope.run(
          site,
          Failures.withUnlistedHeaders,
          spec.send(call, valid.right, client),
          fail(spec.target?.(valid.right))
        )
    }
  }
  return { group, endpoint, name, input: Schema.typeSchema(spec.input), bind: bindUnknown, bindUnknown }
}

const withTarget = (error: RawError, target: MakeError.Target | undefined): RawError => {
  if (target === undefined) return error
  switch (error._tag) {
    // what the error already says (a service that looked closer) wins over the call's target
    case "NotFound":
      return new MakeError.NotFound({ ...target, ...error })
    case "NotConfirmed":
      return new MakeError.NotConfirmed({ ...target, ...error })
    default:
      return error
  }
}

/**
 * Names a service's operations after their keys: `Make.<service>.<key>` for spans, `<service>.<key>` for
 * validation. Returns the same table.
 *
 * @since 0.1.0
 * @category constructors
 */
export const table = <T extends Record<string, Any>>(service: string, operations: T): T => {
  for (const [method, operation] of Object.entries(operations)) {
    operation.name.service = service
    operation.name.method = method
  }
  return operations
}

// ---------------------------------------------------------------------------
// Mock layers
// ---------------------------------------------------------------------------

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
 * @since 0.1.0
 * @category mocks
 */
export type Shared<S> = ErrorOf<S[keyof S]> extends infer U ? U extends unknown ? Everywhere<S, U> : never : never

/**
 * Options of a mock layer.
 *
 * @since 0.1.0
 * @category mocks
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
 * A service's mock layer: the methods given, and for every other one a defect naming the service and the method (or
 * the `otherwise` error).
 *
 * @since 0.1.0
 * @category mocks
 */
export interface MockLayer<I, S extends object> {
  (implementation: Layer.PartialEffectful<S>, options?: MockOptions<S>): Layer.Layer<I>
}

/** `effect-make/Organizations` → `Organizations`: the name users know the service by. */
const serviceName = (key: string): string => key.slice(key.lastIndexOf("/") + 1)

/**
 * The mock layer of a service, derived from its tag. A method that is not given answers, when called, the
 * `otherwise` error or else dies with `<Service>.<method> was called but the mock layer does not implement it`: a
 * defect, because a test that reaches an unmocked method is a broken test, not a case the code under test should
 * handle. Works for `Stream` methods too (an `Effect` is a one-element `Stream` in Effect 3).
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
 * @since 0.1.0
 * @category mocks
 */
export const layerMock =
  <I, S extends object>(tag: Context.Tag<I, S>): MockLayer<I, S> => (implementation, options) => {
    const service = serviceName(tag.key)
    const otherwise = options?.otherwise
    const unimplemented = (method: string) => () =>
      otherwise === undefined
        ? Effect.dieMessage(`${service}.${method} was called but the mock layer does not implement it`)
        : Effect.fail(otherwise)
    // Layer.mock types the partial implementation and builds the service value; the proxy over it only changes what a
    // missing method answers (Layer.mock's own defect names neither the service as users know it nor the call)
    // a service is no thenable and implements no protocol: `then` and symbols (Equal, Hash, inspection, which Effect
    // probes when it compares contexts) stay absent rather than become methods, and `toString` & co. stay Object's
    const isMethod = (target: object, property: string | symbol): property is string =>
      typeof property === "string" && property !== "then" && !(property in Object.prototype) &&
      !Object.hasOwn(target, property)
    const mocked = Effect.map(tag, (partial) =>
      new Proxy(partial, {
        get: (target, property, receiver) =>
          isMethod(target, property)
            ? unimplemented(property)
            : Object.hasOwn(target, property) || property in Object.prototype
            ? Reflect.get(target, property, receiver)
            : undefined,
        has: (target, property) => Object.hasOwn(target, property) || isMethod(target, property)
      }))
    return Layer.effect(tag, mocked).pipe(Layer.provide(Layer.mock(tag, implementation)))
  }
