/**
 * The White Label Admin > Teams service: list and stream an organization's teams, create, update and delete them.
 *
 * @since 0.1.0
 */
// Floor 4: imports MakeClient, Operation and floors below; never testing/ or @effect/platform-node.
import type { Stream } from "effect"
import { Context, Effect, Layer, Schema } from "effect"
import type { TeamCreated } from "./api/AdminTeamsApi.js"
import { Id } from "./domain/Common.js"
import { CreateTeam, type Team, UpdateTeam } from "./domain/Team.js"
import { MakeClient } from "./MakeClient.js"
import type * as MakeError from "./MakeError.js"
import * as Operation from "./Operation.js"
import * as Pagination from "./Pagination.js"

/**
 * Options of {@link Service.list}.
 *
 * @since 0.1.0
 * @category arguments
 */
export const ListOptions = Schema.Struct({
  ...Pagination.PageOptions.fields,
  /** Only the team with this id in an external system. */
  externalId: Schema.optional(Schema.NonEmptyTrimmedString)
})

/**
 * The type of the `ListOptions` schema.
 *
 * @since 0.1.0
 * @category arguments
 */
export type ListOptions = typeof ListOptions.Type

const ListInput = Schema.Struct({ organizationId: Id, ...ListOptions.fields })
const UpdateInput = Schema.Struct({ teamId: Id, body: UpdateTeam })

/**
 * The answer of `create`: the team and the admin's role in it.
 *
 * @since 0.1.0
 * @category models
 */
export type Created = typeof TeamCreated.Type

/**
 * What `yield* AdminTeams` gives: the White Label Admin > Teams methods. Each method's error channel is exactly what
 * its contract endpoint declares.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /**
   * One page of an organization's teams, deleted ones included (`deleted: true`).
   *
   * @example
   * ```ts
   * const page = yield* teams.list(22, { limit: 100, sortBy: "name" })
   * ```
   */
  readonly list: (
    organizationId: number,
    options?: ListOptions
  ) => Effect.Effect<Pagination.Page<Team>, MakeError.NotFound | MakeError.Common>
  /**
   * Every team of an organization, page after page (`limit` per request, 500 by default), in constant memory.
   *
   * @example
   * ```ts
   * const all = yield* Stream.runCollect(teams.stream(22))
   * ```
   */
  readonly stream: (
    organizationId: number,
    options?: ListOptions
  ) => Stream.Stream<Team, MakeError.NotFound | MakeError.Common>
  /**
   * Creates a team; `userTeamAdmin` makes that user its admin (otherwise the caller, if a member).
   *
   * @example
   * ```ts
   * const { team } = yield* teams.create({ name: "Marketing", organizationId: 22, userTeamAdmin: 15 })
   * ```
   */
  readonly create: (body: CreateTeam) => Effect.Effect<Created, MakeError.NotFound | MakeError.Common>
  /**
   * Renames a team.
   *
   * @example
   * ```ts
   * const team = yield* teams.update(56, { name: "Sales people team" })
   * ```
   */
  readonly update: (teamId: number, body: UpdateTeam) => Effect.Effect<Team, MakeError.NotFound | MakeError.Common>
  /**
   * Deletes a team with its scenarios and data; Admin > Teams keeps listing it with `deleted: true`.
   *
   * @example
   * ```ts
   * yield* teams.delete(56)
   * ```
   */
  readonly delete: (teamId: number) => Effect.Effect<void, MakeError.NotFound | MakeError.Common>
}

/**
 * The White Label Admin > Teams service.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { AdminTeams } from "effect-make"
 *
 * const program = Effect.gen(function*() {
 *   const teams = yield* AdminTeams.AdminTeams
 *   return yield* teams.create({ name: "Marketing", organizationId: 22 })
 * })
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class AdminTeams extends Context.Tag("effect-make/AdminTeams")<AdminTeams, Service>() {}

const team = (teamId: number): MakeError.Target => ({ resource: "team", id: teamId })

/**
 * The methods of the service, each over the contract endpoint it names.
 *
 * @since 0.1.0
 * @category operations
 */
export const operations = Operation.table("AdminTeams", {
  list: Operation.make({
    endpoint: ["adminTeams", "list"],
    input: ListInput,
    target: ({ organizationId }) => ({ resource: "organization", id: organizationId }),
    send: (list, urlParams) =>
      Effect.map(list({ urlParams }), (page): Pagination.Page<Team> => ({ items: page.teams, pg: page.pg }))
  }),
  create: Operation.make({
    endpoint: ["adminTeams", "create"],
    input: CreateTeam,
    target: ({ organizationId }) => ({ resource: "organization", id: organizationId }),
    send: (create, payload) => create({ payload })
  }),
  update: Operation.make({
    endpoint: ["adminTeams", "update"],
    input: UpdateInput,
    target: ({ teamId }) => team(teamId),
    send: (update, input) => update({ path: { teamId: input.teamId }, payload: input.body })
  }),
  delete: Operation.make({
    endpoint: ["adminTeams", "delete"],
    input: Id,
    target: team,
    send: (del, teamId, client) => Effect.flatMap(del({ path: { teamId } }), client.ignore)
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
  const list = operations.list.bind(client)
  const update = operations.update.bind(client)
  return {
    list: (organizationId, options) => list({ organizationId, ...options }),
    // each page is one `list` call, with its own span
    stream: (organizationId, options) =>
      Pagination.stream((page) => list({ organizationId, ...options, ...page }), options),
    create: operations.create.bind(client),
    update: (teamId, body) => update({ teamId, body }),
    delete: operations.delete.bind(client)
  }
})

/**
 * The service, over a {@link MakeClient} the caller provides.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<AdminTeams, never, MakeClient> = Layer.effect(AdminTeams, make)

/**
 * A mock of the service for tests of code that uses it: the methods given, and for every other one a defect naming
 * it (`AdminTeams.<method> was called but the mock layer does not implement it`) — or, with `otherwise`, a typed error
 * every method can fail with (see {@link Operation.Shared}). No client, no emulator, no network.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { AdminTeams } from "effect-make"
 *
 * // an organization without teams, listed page by page or as a stream
 * const TeamsTest = AdminTeams.layerMock({ stream: () => Stream.empty })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMock: Operation.MockLayer<AdminTeams, Service> = Operation.layerMock(AdminTeams)
