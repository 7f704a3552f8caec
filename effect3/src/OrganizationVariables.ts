/**
 * The OrganizationVariables service: typed custom variables of an organization (list, create, update, delete with
 * `confirmed`, history), telling a licence without custom variables apart from a missing organization or variable.
 *
 * @since 0.1.0
 */
// Floor 4: imports MakeClient, Operation and floors below; never testing/ or @effect/platform-node.
import { Context, Effect, Layer, Predicate, Schema } from "effect"
import { Id } from "./domain/Common.js"
import {
  CreateVariable,
  type OrganizationVariable,
  UpdateVariable,
  type VariableHistoryEntry,
  VariableName
} from "./domain/OrganizationVariable.js"
import { MakeClient, type Service as Client } from "./MakeClient.js"
import * as MakeError from "./MakeError.js"
import * as Operation from "./Operation.js"

/**
 * Options of {@link Service.delete}.
 *
 * @since 0.1.0
 * @category arguments
 */
export const DeleteOptions = Schema.Struct({
  /** Confirm the deletion (`confirmed=true`); without it Make answers `IM004` and deletes nothing. */
  confirmed: Schema.optional(Schema.Boolean)
})

/**
 * The type of the `DeleteOptions` schema.
 *
 * @since 0.1.0
 * @category arguments
 */
export type DeleteOptions = typeof DeleteOptions.Type

const VariableInput = Schema.Struct({ organizationId: Id, name: VariableName })
// Built once: a schema made per call would also be compiled per call.
const CreateInput = Schema.Struct({ organizationId: Id, body: CreateVariable })
const UpdateInput = Schema.Struct({ ...VariableInput.fields, body: UpdateVariable })
const DeleteInput = Schema.Struct({ ...VariableInput.fields, ...DeleteOptions.fields })

/** A validated typed body in its wire form (a date as its ISO string). */
const toWire = <A, I>(schema: Schema.Schema<A, I>, body: A): Effect.Effect<I> =>
  // The body passed validation against this very schema: encoding it cannot fail, so a failure is a defect.
  Effect.orDie(Schema.encode(schema)(body))

/** The licence flag custom variables need. */
const feature = "customVariables"

/**
 * Errors of the calls Make gates on the licence.
 *
 * @since 0.1.0
 * @category models
 */
export type GatedError = MakeError.NotFound | MakeError.FeatureUnavailable | MakeError.Common

/**
 * What `yield* OrganizationVariables` gives: an organization's custom variables. Each method's error channel is
 * exactly what its contract endpoint declares.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /**
   * The organization's variables. Without `customVariables` in the licence, Make lists only its system variables.
   *
   * @example
   * ```ts
   * const all = yield* variables.list(11)
   * ```
   */
  readonly list: (
    organizationId: number
  ) => Effect.Effect<ReadonlyArray<OrganizationVariable>, MakeError.NotFound | MakeError.Common>
  /**
   * Creates a variable; the value's type must be the one `typeId` says (1 number, 2 string, 3 boolean, 4 date as
   * `DateTime.Utc`), else `InvalidInput` and nothing is sent.
   *
   * @example
   * ```ts
   * const created = yield* variables.create(11, { name: "dailyLimit", typeId: 1, value: 250 })
   * ```
   */
  readonly create: (organizationId: number, body: CreateVariable) => Effect.Effect<OrganizationVariable, GatedError>
  /**
   * Changes a variable's value (and type): `typeId` and `value` always travel together, so Make checks they match.
   *
   * @example
   * ```ts
   * const updated = yield* variables.update(11, "dailyLimit", { typeId: 1, value: 500 })
   * ```
   */
  readonly update: (
    organizationId: number,
    name: string,
    body: UpdateVariable
  ) => Effect.Effect<OrganizationVariable, GatedError>
  /**
   * Deletes a variable. Without `{ confirmed: true }` the call fails with `NotConfirmed` and nothing is deleted.
   *
   * @example
   * ```ts
   * yield* variables.delete(11, "dailyLimit", { confirmed: true })
   * ```
   */
  readonly delete: (
    organizationId: number,
    name: string,
    options?: DeleteOptions
  ) => Effect.Effect<void, MakeError.NotConfirmed | GatedError>
  /**
   * The variable's changes, newest first: original and new value, when, and by whom.
   *
   * @example
   * ```ts
   * const [latest] = yield* variables.history(11, "dailyLimit")
   * ```
   */
  readonly history: (
    organizationId: number,
    name: string
  ) => Effect.Effect<ReadonlyArray<VariableHistoryEntry>, GatedError>
}

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
 * @since 0.1.0
 * @category tags
 */
export class OrganizationVariables
  extends Context.Tag("effect-make/OrganizationVariables")<OrganizationVariables, Service>()
{}

/**
 * Tells apart the three meanings of a variable call's 404 (see the service's documentation): reads the licence only
 * on that path, so a successful call costs one request.
 */
const explainNotFound =
  (client: Client, organizationId: number, variableName: string | undefined) => (notFound: MakeError.NotFound) =>
    Effect.gen(function*() {
      const answer = yield* client.api.organizations.get({
        path: { organizationId },
        urlParams: { wait: true, cols: ["id", "name", "license"] }
      }).pipe(
        // the organization is missing; any other failure of the lookup leaves the original 404 as the answer
        Effect.catchAll((error) =>
          Effect.fail(
            Predicate.isTagged(error, "NotFound")
              ? new MakeError.NotFound({ ...notFound, resource: "organization", id: organizationId })
              : notFound
          )
        )
      )
      if (answer.organization.license?.customVariables !== true) {
        return yield* new MakeError.FeatureUnavailable({ organizationId, feature, detail: notFound.detail })
      }
      return yield* variableName === undefined
        ? new MakeError.NotFound({ ...notFound, resource: "organization", id: organizationId })
        : new MakeError.NotFound({ ...notFound, resource: "variable", id: variableName, organizationId })
    })

const variable = (input: { readonly organizationId: number; readonly name: string }): MakeError.Target => ({
  resource: "variable",
  id: input.name,
  organizationId: input.organizationId
})

/**
 * The methods of the service, each over the contract endpoint it names. Every call but `list` is behind the
 * licence's `customVariables` flag: the contract declares `FeatureUnavailable` for them.
 *
 * @since 0.1.0
 * @category operations
 */
export const operations = Operation.table("OrganizationVariables", {
  list: Operation.make({
    endpoint: ["organizationVariables", "list"],
    input: Id,
    target: (id) => ({ resource: "organization", id }),
    send: (list, organizationId) => list({ path: { organizationId } })
  }),
  create: Operation.make({
    endpoint: ["organizationVariables", "create"],
    input: CreateInput,
    target: ({ organizationId }) => ({ resource: "organization", id: organizationId }),
    send: (create, input, client) =>
      Effect.flatMap(
        toWire(CreateVariable, input.body),
        (payload) =>
          create({ path: { organizationId: input.organizationId }, payload }).pipe(
            Effect.catchTag("NotFound", explainNotFound(client, input.organizationId, undefined))
          )
      )
  }),
  update: Operation.make({
    endpoint: ["organizationVariables", "update"],
    input: UpdateInput,
    target: variable,
    send: (update, input, client) =>
      Effect.flatMap(
        toWire(UpdateVariable, input.body),
        (payload) =>
          update({ path: { organizationId: input.organizationId, variableName: input.name }, payload }).pipe(
            Effect.catchTag("NotFound", explainNotFound(client, input.organizationId, input.name))
          )
      )
  }),
  delete: Operation.make({
    endpoint: ["organizationVariables", "delete"],
    input: DeleteInput,
    target: variable,
    send: (del, input, client) =>
      del({
        path: { organizationId: input.organizationId, variableName: input.name },
        urlParams: { confirmed: input.confirmed }
      }).pipe(
        Effect.catchTag("NotFound", explainNotFound(client, input.organizationId, input.name)),
        Effect.flatMap(client.ignore)
      )
  }),
  history: Operation.make({
    endpoint: ["organizationVariables", "history"],
    input: VariableInput,
    target: variable,
    send: (history, input, client) =>
      history({ path: { organizationId: input.organizationId, variableName: input.name } }).pipe(
        Effect.catchTag("NotFound", explainNotFound(client, input.organizationId, input.name))
      )
  })
})

/**
 * Builds the service over {@link MakeClient}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, MakeClient> = Effect.gen(function*() {
  const client = yield* MakeClient
  const create = operations.create.bind(client)
  const update = operations.update.bind(client)
  const remove = operations.delete.bind(client)
  const history = operations.history.bind(client)
  return {
    list: operations.list.bind(client),
    create: (organizationId, body) => create({ organizationId, body }),
    update: (organizationId, name, body) => update({ organizationId, name, body }),
    delete: (organizationId, name, options) => remove({ organizationId, name, ...options }),
    history: (organizationId, name) => history({ organizationId, name })
  }
})

/**
 * The service, over a {@link MakeClient} the caller provides.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<OrganizationVariables, never, MakeClient> = Layer.effect(OrganizationVariables, make)

/**
 * A mock of the service for tests of code that uses it: the methods given, and for every other one a defect naming
 * it (`OrganizationVariables.<method> was called but the mock layer does not implement it`) — or, with `otherwise`, a typed error
 * every method can fail with (see {@link Operation.Shared}). No client, no emulator, no network.
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
 * @since 0.1.0
 * @category layers
 */
export const layerMock: Operation.MockLayer<OrganizationVariables, Service> = Operation.layerMock(OrganizationVariables)
