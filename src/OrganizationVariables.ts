// The OrganizationVariables service: typed custom variables of an organization (list, create, update, delete with
// `confirmed`, history), telling a licence without custom variables apart from a missing organization or variable.
// Floor 4: imports MakeClient and floors below; never testing/ or @effect/platform-node.
/**
 * @since 0.1.0
 */
import { Context, Effect, Layer, Predicate, Schema } from "effect"
import { Id } from "./domain/Common.js"
import {
  CreateVariable,
  type OrganizationVariable,
  UpdateVariable,
  type VariableHistoryEntry,
  VariableName
} from "./domain/OrganizationVariable.js"
import { MakeClient, validate } from "./MakeClient.js"
import * as MakeError from "./MakeError.js"

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
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /**
   * The organization's variables. Without `customVariables` in the licence, Make lists only its system variables.
   *
   * @example
   * ```ts
   * const variables = yield* variables.list(11)
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
 * licence (`GET /organizations/{id}` with `cols[]=license`) to say which: `NotFound` for the organization,
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

const service = "OrganizationVariables"

/**
 * Builds the service over {@link MakeClient}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, MakeClient> = Effect.gen(function*() {
  const client = yield* MakeClient
  const { api } = client

  /** Tells apart the three meanings of a variable call's 404 (see the service's documentation). */
  const explainNotFound =
    (organizationId: number, variableName: string | undefined) => (notFound: MakeError.NotFound) =>
      Effect.gen(function*() {
        const answer = yield* api.organizations.get({
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

  /** A call behind the licence's customVariables flag, on `/organizations/{organizationId}/variables…`. */
  const gated = <const Tags extends "NotFound" | "FeatureUnavailable" | "NotConfirmed">(
    method: string,
    httpMethod: string,
    below: string,
    errors: ReadonlyArray<Tags>
  ) => ({ service, method, route: `${httpMethod} /organizations/{organizationId}/variables${below}`, errors })

  return {
    list: (organizationId) =>
      client.call(
        {
          service,
          method: "list",
          route: "GET /organizations/{organizationId}/variables",
          target: { resource: "organization", id: organizationId },
          errors: ["NotFound"]
        },
        Effect.gen(function*() {
          const id = yield* validate(`${service}.list`, Id, organizationId)
          return yield* api.organizationVariables.list({ path: { organizationId: id } })
        })
      ),
    create: (organizationId, body) =>
      client.call(
        gated("create", "POST", "", ["NotFound", "FeatureUnavailable"]),
        Effect.gen(function*() {
          const input = yield* validate(
            `${service}.create`,
            CreateInput,
            { organizationId, body }
          )
          return yield* api.organizationVariables.create({
            path: { organizationId: input.organizationId },
            payload: yield* toWire(CreateVariable, input.body)
          }).pipe(Effect.catchTag("NotFound", explainNotFound(input.organizationId, undefined)))
        })
      ),
    update: (organizationId, name, body) =>
      client.call(
        gated("update", "PATCH", "/{variableName}", ["NotFound", "FeatureUnavailable"]),
        Effect.gen(function*() {
          const input = yield* validate(
            `${service}.update`,
            UpdateInput,
            { organizationId, name, body }
          )
          return yield* api.organizationVariables.update({
            path: { organizationId: input.organizationId, variableName: input.name },
            payload: yield* toWire(UpdateVariable, input.body)
          }).pipe(Effect.catchTag("NotFound", explainNotFound(input.organizationId, input.name)))
        })
      ),
    delete: (organizationId, name, options) =>
      client.call(
        gated("delete", "DELETE", "/{variableName}", ["NotFound", "FeatureUnavailable", "NotConfirmed"]),
        Effect.gen(function*() {
          const input = yield* validate(
            `${service}.delete`,
            DeleteInput,
            { organizationId, name, ...options }
          )
          const body = yield* api.organizationVariables.delete({
            path: { organizationId: input.organizationId, variableName: input.name },
            urlParams: { confirmed: input.confirmed }
          }).pipe(
            Effect.catchTags({
              NotFound: explainNotFound(input.organizationId, input.name),
              // Like every other NotConfirmed, say what was not confirmed: this variable.
              NotConfirmed: (error) =>
                Effect.fail(
                  new MakeError.NotConfirmed({
                    ...error,
                    resource: "variable",
                    id: input.name,
                    organizationId: input.organizationId
                  })
                )
            })
          )
          yield* client.ignore(body)
        })
      ),
    history: (organizationId, name) =>
      client.call(
        gated("history", "GET", "/{variableName}/history", ["NotFound", "FeatureUnavailable"]),
        Effect.gen(function*() {
          const input = yield* validate(`${service}.history`, VariableInput, { organizationId, name })
          return yield* api.organizationVariables.history({
            path: { organizationId: input.organizationId, variableName: input.name }
          }).pipe(Effect.catchTag("NotFound", explainNotFound(input.organizationId, input.name)))
        })
      )
  }
})

/**
 * The service, over a {@link MakeClient} the caller provides.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<OrganizationVariables, never, MakeClient> = Layer.effect(OrganizationVariables, make)
