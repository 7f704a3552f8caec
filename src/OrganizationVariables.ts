/**
 * The OrganizationVariables service: typed custom variables of an organization (list, create, update, delete with
 * `confirmed`, history), telling a licence without custom variables apart from a missing organization or variable.
 *
 * @since 1.0.0
 */
// Floor 4: imports MakeClient, Operation, Mock, the Organizations service and floors below; never testing/ or
// @effect/platform-node.
import { Context, Effect, Layer, Schema } from "effect"
import { Id } from "./domain/Common.js"
import { CreateVariable, UpdateVariable, VariableName } from "./domain/OrganizationVariable.js"
import { MakeClient, type Service as Client } from "./MakeClient.js"
import * as MakeError from "./MakeError.js"
import * as Mock from "./Mock.js"
import * as Operation from "./Operation.js"
import * as Organizations from "./Organizations.js"

// ---------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------

/**
 * Options of `delete`.
 *
 * @since 1.0.0
 * @category arguments
 */
export const DeleteOptions = Schema.Struct({
  /** Confirm the deletion (`confirmed=true`); without it Make answers `IM004` and deletes nothing. */
  confirmed: Schema.optional(Schema.Boolean)
})

/**
 * The type of the `DeleteOptions` schema.
 *
 * @since 1.0.0
 * @category arguments
 */
export type DeleteOptions = typeof DeleteOptions.Type

const VariableInput = Schema.Struct({ organizationId: Id, name: VariableName })

/** A validated typed body in its wire form (a date as its ISO string). */
const toWire = <S extends Schema.Codec<unknown, unknown>>(schema: S, body: S["Type"]): Effect.Effect<S["Encoded"]> =>
  // The body passed validation against this very schema: encoding it cannot fail, so a failure is a defect.
  Effect.orDie(Schema.encodeEffect(schema)(body))

/** The licence flag custom variables need. */
const feature = "customVariables"

const organization = (id: number): MakeError.Target => ({ resource: "organization", id })

const variable = (input: { readonly organizationId: number; readonly name: string }): MakeError.Target => ({
  resource: "variable",
  id: input.name,
  organizationId: input.organizationId
})

/**
 * Tells apart the three meanings of a variable call's 404 (see {@link OrganizationVariables}): reads the licence
 * only on that path, so a successful call costs one request. The read is `Organizations.get` itself (its span, its
 * retries), bound on this path only.
 */
const explainNotFound =
  (client: Client, organizationId: number, variableName: string | undefined) =>
  (notFound: MakeError.NotFound): Effect.Effect<never, MakeError.NotFound | MakeError.FeatureUnavailable> =>
    Effect.gen(function*() {
      const { get } = Operation.bind("Organizations", { get: Organizations.methods.get }, client)
      const found = yield* get(organizationId, { wait: true, cols: ["license"] }).pipe(
        // the organization is missing; any other failure of the lookup leaves the original 404 as the answer
        Effect.catch((error) =>
          Effect.fail(
            error._tag === "NotFound"
              ? new MakeError.NotFound({ ...notFound, resource: "organization", id: organizationId })
              : notFound
          )
        )
      )
      if (found.license?.customVariables !== true) {
        return yield* new MakeError.FeatureUnavailable({ organizationId, feature, detail: notFound.detail })
      }
      return yield* variableName === undefined
        ? new MakeError.NotFound({ ...notFound, ...organization(organizationId) })
        : new MakeError.NotFound({ ...notFound, ...variable({ organizationId, name: variableName }) })
    })

// ---------------------------------------------------------------------------
// Methods
// ---------------------------------------------------------------------------

/**
 * The methods of the service over the contract, each said once: its arguments, their schema, and the call. Every
 * call but `list` is behind the licence's `customVariables` flag: the contract declares `FeatureUnavailable` for
 * them.
 *
 * @since 1.0.0
 * @category methods
 */
export const methods = {
  /**
   * The organization's variables. Without `customVariables` in the licence, Make lists only its system variables.
   *
   * @example
   * ```ts
   * const all = yield* variables.list(11)
   * ```
   */
  list: Operation.method({
    endpoint: ["organizationVariables", "list"],
    args: (organizationId: number) => organizationId,
    input: Id,
    about: organization,
    organization: (id) => id,
    send: (list, organizationId) => list({ params: { organizationId } })
  }),
  /**
   * Creates a variable; the value's type must be the one `typeId` says (1 number, 2 string, 3 boolean, 4 date as
   * `DateTime.Utc`), else `InvalidInput` and nothing is sent.
   *
   * @example
   * ```ts
   * const created = yield* variables.create(11, { name: "dailyLimit", typeId: 1, value: 250 })
   * ```
   */
  create: Operation.method({
    endpoint: ["organizationVariables", "create"],
    args: (organizationId: number, body: CreateVariable) => ({ organizationId, body }),
    input: Schema.Struct({ organizationId: Id, body: CreateVariable }),
    about: ({ organizationId }) => organization(organizationId),
    organization: ({ organizationId }) => organizationId,
    send: (create, input, client) =>
      Effect.flatMap(
        toWire(CreateVariable, input.body),
        (payload) =>
          create({ params: { organizationId: input.organizationId }, payload }).pipe(
            Effect.catchTag("NotFound", explainNotFound(client, input.organizationId, undefined))
          )
      )
  }),
  /**
   * Changes a variable's value (and type): `typeId` and `value` always travel together, so Make checks they match.
   *
   * @example
   * ```ts
   * const updated = yield* variables.update(11, "dailyLimit", { typeId: 1, value: 500 })
   * ```
   */
  update: Operation.method({
    endpoint: ["organizationVariables", "update"],
    args: (organizationId: number, name: string, body: UpdateVariable) => ({ organizationId, name, body }),
    input: Schema.Struct({ ...VariableInput.fields, body: UpdateVariable }),
    about: variable,
    organization: ({ organizationId }) => organizationId,
    send: (update, input, client) =>
      Effect.flatMap(
        toWire(UpdateVariable, input.body),
        (payload) =>
          update({ params: { organizationId: input.organizationId, variableName: input.name }, payload }).pipe(
            Effect.catchTag("NotFound", explainNotFound(client, input.organizationId, input.name))
          )
      )
  }),
  /**
   * Deletes a variable. Without `{ confirmed: true }` the call fails with `NotConfirmed` and nothing is deleted.
   *
   * @example
   * ```ts
   * yield* variables.delete(11, "dailyLimit", { confirmed: true })
   * ```
   */
  delete: Operation.method({
    endpoint: ["organizationVariables", "delete"],
    args: (organizationId: number, name: string, options?: DeleteOptions) => ({ organizationId, name, ...options }),
    input: Schema.Struct({ ...VariableInput.fields, ...DeleteOptions.fields }),
    about: variable,
    organization: ({ organizationId }) => organizationId,
    output: Schema.Void,
    send: (del, input, client) =>
      del({
        params: { organizationId: input.organizationId, variableName: input.name },
        query: { confirmed: input.confirmed }
      }).pipe(
        Effect.catchTag("NotFound", explainNotFound(client, input.organizationId, input.name)),
        Effect.flatMap(client.ignore)
      )
  }),
  /**
   * The variable's changes, newest first: original and new value, when, and by whom.
   *
   * @example
   * ```ts
   * const [latest] = yield* variables.history(11, "dailyLimit")
   * ```
   */
  history: Operation.method({
    endpoint: ["organizationVariables", "history"],
    args: (organizationId: number, name: string) => ({ organizationId, name }),
    input: VariableInput,
    about: variable,
    organization: ({ organizationId }) => organizationId,
    send: (history, input, client) =>
      history({ params: { organizationId: input.organizationId, variableName: input.name } }).pipe(
        Effect.catchTag("NotFound", explainNotFound(client, input.organizationId, input.name))
      )
  })
}

/**
 * What `yield* OrganizationVariables` gives: an organization's custom variables, each method with exactly the
 * errors its contract endpoint declares.
 *
 * @since 1.0.0
 * @category models
 */
export interface Service extends Operation.Methods<typeof methods> {}

/**
 * The OrganizationVariables service.
 *
 * Make answers the same bare 404 for a missing organization, for an organization whose licence lacks
 * `customVariables`, and for a missing variable. On that 404 (and only then) this service reads the organization's
 * licence (`Organizations.get` with `cols: ["license"]`) to say which: `NotFound` for the organization,
 * `FeatureUnavailable` for the licence, `NotFound` for the variable. Successful calls cost one request, as before.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { OrganizationVariables } from "effect-make"
 *
 * const program = Effect.gen(function*() {
 *   const variables = yield* OrganizationVariables.OrganizationVariables
 *   return yield* variables.create(11, { name: "region", typeId: 2, value: "eu" })
 * }).pipe(Effect.catchTag("FeatureUnavailable", (e) => Effect.logWarning(e.message)))
 * ```
 *
 * @since 1.0.0
 * @category tags
 */
export class OrganizationVariables
  extends Context.Service<OrganizationVariables, Service>()("effect-make/OrganizationVariables")
{}

/**
 * Builds the service over {@link MakeClient}.
 *
 * @since 1.0.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, MakeClient> = Effect.map(
  Effect.service(MakeClient),
  (client) => Operation.bind("OrganizationVariables", methods, client)
)

/**
 * The service, over a {@link MakeClient} the caller provides.
 *
 * @since 1.0.0
 * @category layers
 */
export const layer: Layer.Layer<OrganizationVariables, never, MakeClient> = Layer.effect(OrganizationVariables, make)

/**
 * A mock of the service for tests of code that uses it: the methods given, and for every other one a defect naming
 * it (`OrganizationVariables.<method> was called but the mock layer does not implement it`), or, with `otherwise`, a
 * typed error every method can fail with (see `Mock.Shared`). No client, no emulator, no network.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { MakeError, OrganizationVariables } from "effect-make"
 *
 * // an organization whose licence lacks custom variables
 * const VariablesTest = OrganizationVariables.layerMock({
 *   list: () => Effect.succeed([]),
 *   create: (organizationId) =>
 *     Effect.fail(new MakeError.FeatureUnavailable({ organizationId, feature: "customVariables" }))
 * })
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layerMock: Mock.MockLayer<OrganizationVariables, Service> = Mock.layer(OrganizationVariables, {
  effects: Object.keys(methods),
  streams: []
})
