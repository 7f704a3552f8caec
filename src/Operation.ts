/**
 * One service method per contract endpoint, said once. A service is a table of methods: each names its endpoint, the
 * arguments users pass, the schema they are validated against, and how the endpoint is called. The method's
 * signature, its error channel (what the contract declares for the endpoint, plus the common errors), its span
 * `Make.<Service>.<method>` with the route, the validation label and its mock come from that one entry.
 *
 * ```ts
 * const methods = {
 *   payments: Operation.method({
 *     endpoint: ["billing", "payments"],
 *     args: (organizationId: number, options?: PaymentsOptions) => ({ organizationId, ...options }),
 *     input: PaymentsInput,
 *     about: ({ organizationId }) => ({ resource: "organization", id: organizationId }),
 *     send: (call, { organizationId, ...query }) => call({ params: { organizationId }, query })
 *   })
 * }
 * export interface Service extends Operation.Methods<typeof methods> {}
 * ```
 *
 * @since 1.0.0
 */
// Floor 3 beside MakeClient: imports MakeClient, MakeError, internal/ and `effect`, `effect/http`.
import { Effect, Result, Schema } from "effect"
import * as Endpoints from "./internal/endpoints.js"
import * as ErrorText from "./internal/errorText.js"
import * as Validation from "./internal/validation.js"
import type * as MakeClientModule from "./MakeClient.js"
import * as MakeError from "./MakeError.js"

// ---------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------

/**
 * A group of the contract (`organizations`, `billing`, `adminTeams`, ...).
 *
 * @since 1.0.0
 * @category models
 */
export type GroupName = Endpoints.GroupName

/**
 * An endpoint of a group (`billing` → `payments`, ...).
 *
 * @since 1.0.0
 * @category models
 */
export type EndpointName<G extends GroupName> = Endpoints.EndpointName<G>

/**
 * The specific errors (`NotFound`, `NotConfirmed`, `FeatureUnavailable`) the contract declares for an endpoint.
 *
 * @since 1.0.0
 * @category models
 */
export type Declared<G extends GroupName, N extends EndpointName<G>> = Extract<
  Endpoints.DeclaredError<G, N>,
  MakeError.Specific
>

/**
 * The error channel of the method over an endpoint: what the contract declares for it, plus the common errors.
 *
 * @since 1.0.0
 * @category models
 */
export type Failure<G extends GroupName, N extends EndpointName<G>> = MakeError.Common | Declared<G, N>

/**
 * The endpoint's call as a method's `send` gets it: the typed request (path params, query, payload) to the decoded
 * answer.
 *
 * @since 1.0.0
 * @category models
 */
export type Call<G extends GroupName, N extends EndpointName<G>> = (
  request: Endpoints.Request<G, N>
) => Effect.Effect<Endpoints.Success<G, N>, RawError>

/**
 * What a call can fail with before it is narrowed to its endpoint's errors. `FeatureUnavailable` is no status of
 * Make's: a method whose `send` takes a second look (the licence, after a bare 404) finds it.
 *
 * @since 1.0.0
 * @category models
 */
export type RawError =
  | MakeClientModule.PipelineError
  | MakeError.UnexpectedResponse
  | MakeError.InvalidInput
  | MakeError.FeatureUnavailable

/**
 * A method over one contract endpoint: build it with {@link method}; a service binds its table with {@link bind}.
 *
 * @since 1.0.0
 * @category models
 */
export interface Method<G extends GroupName, N extends EndpointName<G>, Args extends ReadonlyArray<unknown>, In, A>
  extends Any
{
  readonly group: G
  readonly endpoint: N
  /** The arguments as users pass them, to the value validated against `input`. */
  readonly args: (...args: Args) => unknown
  /** Binds the method to a client, as `Make.<service>.<name>`. */
  readonly make: (client: MakeClientModule.Service, service: string, name: string) => {
    readonly method: (...args: Args) => Effect.Effect<A, Failure<G, N>>
    readonly unknown: (input: unknown) => Effect.Effect<unknown, MakeError.MakeError>
  }
  /** Phantom: the validated input. */
  readonly "~In"?: In
}

/**
 * Any method, whatever its endpoint and types (for tables, property tests and introspection).
 *
 * @since 1.0.0
 * @category models
 */
export interface Any {
  readonly group: string
  readonly endpoint: string
  /** What the arguments are validated against (its type side): an `Arbitrary` of it gives valid arguments. */
  readonly input: Schema.Top
  /** What the method answers (its type side): the endpoint's answer, or what the method makes of it. */
  readonly output: Schema.Codec<unknown, unknown, never, never>
  readonly make: (client: MakeClientModule.Service, service: string, name: string) => {
    /** The method, with the arguments users pass. */
    readonly method: (...args: never) => Effect.Effect<unknown, MakeError.MakeError>
    /**
     * The method over its validated input, of any type, as a JavaScript caller may pass it: validated all the same
     * (for property tests and introspection, where the methods' argument types differ).
     */
    readonly unknown: (input: unknown) => Effect.Effect<unknown, MakeError.MakeError>
  }
}

/**
 * The methods of a table, as the service offers them: each with its arguments and its error channel.
 *
 * @since 1.0.0
 * @category models
 */
export type Methods<T> = {
  readonly [K in keyof T]: T[K] extends { readonly make: (...args: never) => { readonly method: infer F } } ? F : never
}

// ---------------------------------------------------------------------------
// Methods
// ---------------------------------------------------------------------------

/**
 * Declares a method over the contract endpoint `[group, endpoint]`:
 *
 * - `args`: the arguments as users pass them, to the value `input` validates;
 * - `input`: the schema the arguments are validated against (its type side, refinements included) before anything
 *   is sent; a failure is `InvalidInput`;
 * - `about`: what a 404 or 406 of this call is about, from the valid input;
 * - `organization`: the organization the request counts against for rate limiting;
 * - `send`: the call itself, given the endpoint's call (and the client, for a method that needs a second look, or
 *   ignores the body of a `void` answer).
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { Operation } from "effect-make"
 *
 * const rename = Operation.method({
 *   endpoint: ["adminTeams", "update"],
 *   args: (teamId: number, name: string) => ({ teamId, name }),
 *   input: Schema.Struct({ teamId: Schema.Int, name: Schema.String }),
 *   about: ({ teamId }) => ({ resource: "team", id: teamId }),
 *   send: (update, { name, teamId }) => update({ params: { teamId }, payload: { name } })
 * })
 * ```
 *
 * @since 1.0.0
 * @category constructors
 */
export const method = <
  const G extends GroupName,
  const N extends EndpointName<G>,
  Args extends ReadonlyArray<unknown>,
  In,
  A
>(spec: {
  readonly endpoint: readonly [G, N]
  readonly args: (...args: Args) => unknown
  readonly input: Schema.Codec<In, unknown>
  readonly about?: ((input: In) => MakeError.Target) | undefined
  readonly organization?: ((input: In) => number | undefined) | undefined
  readonly send: (call: Call<G, N>, input: In, client: MakeClientModule.Service) => Effect.Effect<A, RawError>
  /**
   * The schema of what `send` answers, when it is not the endpoint's JSON answer itself (a field of it, a page,
   * `void`); test/Operation.test.ts checks every method's answers against it.
   */
  readonly output?: Schema.Codec<A, unknown> | undefined
}): Method<G, N, Args, In, A> => {
  const [group, name] = spec.endpoint
  const endpoint = Endpoints.endpoint(group, name)
  const output = spec.output ?? endpoint.answer
  // a method over a text answer makes something of it (`void`) and says so; a table without it fails at load
  if (output === undefined) throw new Error(`effect-make: ${group}.${name} says no output and answers no JSON`)
  const make = (client: MakeClientModule.Service, service: string, methodName: string) => {
    const label = `${service}.${methodName}`
    const check = Validation.validator(label, spec.input)
    const span = {
      kind: "client" as const,
      captureStackTrace: false,
      attributes: { "make.route": endpoint.route, "http.request.method": endpoint.method }
    }
    const spanName = `Make.${label}`
    const fail = (about: MakeError.Target | undefined) => (error: RawError): Failure<G, N> =>
      narrow(endpoint, label, scrub(withTarget(error, about), client))
    const callWith = (organizationId: number | undefined) => (request: Endpoints.Request<G, N>) => {
      const built = endpoint.request(request)
      return Result.isFailure(built)
        ? Effect.fail(MakeError.invalidInput(label, built.failure))
        : Effect.flatMap(client.execute(built.success, organizationId), endpoint.decode)
    }
    // `Endpoints.Success` is what the contract's success schema decodes to, and `decode` is that schema's parser:
    // the compiled endpoint is untyped (reflection), so the typed call is stated here, once.
    const typed = (organizationId: number | undefined): Call<G, N> => callWith(organizationId) as Call<G, N>
    const run = (input: unknown): Effect.Effect<A, Failure<G, N>> => {
      const valid = check(input)
      if (Result.isFailure(valid)) return Effect.withSpan(Effect.fail(valid.failure), spanName, span)
      const about = spec.about?.(valid.success)
      return spec.send(typed(spec.organization?.(valid.success)), valid.success, client).pipe(
        Effect.mapError(fail(about)),
        Effect.withSpan(spanName, span)
      )
    }
    // `args` spreads the caller's options: a getter or Proxy trap that throws there is a bad argument, as in the
    // validator, never an exception out of the method call.
    const method = (...args: Args): Effect.Effect<A, Failure<G, N>> => {
      let input: unknown
      try {
        input = spec.args(...args)
      } catch {
        const unreadable = new MakeError.InvalidInput({ operation: label, issues: [Validation.unreadableArgument] })
        return Effect.withSpan(Effect.fail(unreadable), spanName, span)
      }
      return run(input)
    }
    return { method, unknown: run }
  }
  return {
    group,
    endpoint: name,
    args: spec.args,
    input: Schema.toType(spec.input),
    output: Schema.toType(output),
    make
  }
}

/** What the error already says (a service that looked closer) wins over the call's target. */
const withTarget = (error: RawError, about: MakeError.Target | undefined): RawError => {
  if (about === undefined) return error
  switch (error._tag) {
    case "NotFound":
      return new MakeError.NotFound({ ...about, ...error })
    case "NotConfirmed":
      return new MakeError.NotConfirmed({ ...about, ...error })
    default:
      return error
  }
}

/** The texts a transport or decoder wrote (not the status mapper, which scrubs as it reads) without the token. */
const scrub = (error: RawError, client: MakeClientModule.Service): RawError => {
  switch (error._tag) {
    case "TransportError":
      return new MakeError.TransportError({ ...error, description: client.redact(error.description) })
    case "UnexpectedResponse":
      return new MakeError.UnexpectedResponse({ ...error, excerpt: client.redact(error.excerpt) })
    default:
      return error
  }
}

/** An error the endpoint does not declare is not one its method can fail with: the type never lies. */
const narrow = <G extends GroupName, N extends EndpointName<G>>(
  endpoint: Endpoints.Endpoint,
  label: string,
  error: MakeError.MakeError
): Failure<G, N> =>
  MakeError.isCommon(error) || isDeclared<G, N>(endpoint, error)
    ? error
    : new MakeError.UnexpectedResponse({
      status: "status" in error ? error.status : 0,
      reason: `${label} does not expect ${error._tag}`,
      excerpt: ErrorText.excerpt(error.message)
    })

const isDeclared = <G extends GroupName, N extends EndpointName<G>>(
  endpoint: Endpoints.Endpoint,
  error: MakeError.MakeError
): error is Declared<G, N> => endpoint.declared.has(error._tag)

/**
 * Binds a service's table of methods to a client: each method named `Make.<service>.<key>`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { MakeClient, Operation, Usage } from "effect-make"
 *
 * const usage = Effect.map(MakeClient.MakeClient, (client) => Operation.bind("Usage", Usage.methods, client))
 * ```
 *
 * @since 1.0.0
 * @category constructors
 */
export const bind = <T extends Record<string, Any>>(
  service: string,
  table: T,
  client: MakeClientModule.Service
): Methods<T> => {
  const bound: Record<string, unknown> = {}
  for (const [key, entry] of Object.entries(table)) {
    bound[key] = entry.make(client, service, key).method
  }
  // An object built key by key is never a mapped type to the compiler: each entry is `Methods<T>[key]` by
  // construction (`make` answers the method with the entry's own arguments and error channel).
  return bound as Methods<T>
}
