/**
 * The White Label Admin > Teams service: list and stream an organization's teams, create, update and delete them.
 *
 * @since 1.0.0
 */
// Floor 4: imports MakeClient, Operation, Mock and floors below; never testing/ or @effect/platform-node.
import { Context, Effect, Layer, Schema, type Stream } from "effect"
import type { TeamCreated } from "./api/AdminTeamsApi.js"
import { Id } from "./domain/Common.js"
import { CreateTeam, Team, UpdateTeam } from "./domain/Team.js"
import { MakeClient } from "./MakeClient.js"
import type * as MakeError from "./MakeError.js"
import * as Mock from "./Mock.js"
import * as Operation from "./Operation.js"
import * as Pagination from "./Pagination.js"

// ---------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------

/**
 * Options of `list` and `stream`.
 *
 * @since 1.0.0
 * @category arguments
 */
export const ListOptions = Schema.Struct({
  ...Pagination.PageOptions.fields,
  /** Only the team with this id in an external system. */
  externalId: Schema.optional(Schema.Trimmed.check(Schema.isNonEmpty()))
})

/**
 * The type of the `ListOptions` schema.
 *
 * @since 1.0.0
 * @category arguments
 */
export type ListOptions = typeof ListOptions.Type

/**
 * The answer of `create`: the team and the admin's role in it.
 *
 * @since 1.0.0
 * @category models
 */
export type Created = typeof TeamCreated.Type

const organization = (organizationId: number): MakeError.Target => ({ resource: "organization", id: organizationId })
const team = (teamId: number): MakeError.Target => ({ resource: "team", id: teamId })

// ---------------------------------------------------------------------------
// Methods
// ---------------------------------------------------------------------------

/**
 * The methods of the service over the contract, each said once: its arguments, their schema, and the call. A call
 * about a team (`update`, `delete`) does not know the team's organization, so it counts against the client's shared
 * rate limit only, as Effect 3's key (the organization in the path, the query or the body) had it.
 *
 * @since 1.0.0
 * @category methods
 */
export const methods = {
  /**
   * One page of an organization's teams, deleted ones included (`deleted: true`).
   *
   * @example
   * ```ts
   * const page = yield* teams.list(22, { limit: 100, sortBy: "name" })
   * ```
   */
  list: Operation.method({
    endpoint: ["adminTeams", "list"],
    args: (organizationId: number, options?: ListOptions) => ({ organizationId, ...options }),
    input: Schema.Struct({ organizationId: Id, ...ListOptions.fields }),
    about: ({ organizationId }) => organization(organizationId),
    organization: ({ organizationId }) => organizationId,
    output: Pagination.page(Team),
    send: (list, query) =>
      Effect.map(list({ query }), (page): Pagination.Page<Team> => ({ items: page.teams, pg: page.pg }))
  }),
  /**
   * Creates a team; `userTeamAdmin` makes that user its admin (otherwise the caller, if a member).
   *
   * @example
   * ```ts
   * const { team } = yield* teams.create({ name: "Marketing", organizationId: 22, userTeamAdmin: 15 })
   * ```
   */
  create: Operation.method({
    endpoint: ["adminTeams", "create"],
    args: (body: CreateTeam) => body,
    input: CreateTeam,
    about: ({ organizationId }) => organization(organizationId),
    organization: ({ organizationId }) => organizationId,
    send: (create, payload) => create({ payload })
  }),
  /**
   * Renames a team.
   *
   * @example
   * ```ts
   * const team = yield* teams.update(56, { name: "Sales people team" })
   * ```
   */
  update: Operation.method({
    endpoint: ["adminTeams", "update"],
    args: (teamId: number, body: UpdateTeam) => ({ teamId, body }),
    input: Schema.Struct({ teamId: Id, body: UpdateTeam }),
    about: ({ teamId }) => team(teamId),
    send: (update, input) => update({ params: { teamId: input.teamId }, payload: input.body })
  }),
  /**
   * Deletes a team with its scenarios and data; Admin > Teams keeps listing it with `deleted: true`.
   *
   * @example
   * ```ts
   * yield* teams.delete(56)
   * ```
   */
  delete: Operation.method({
    endpoint: ["adminTeams", "delete"],
    args: (teamId: number) => teamId,
    input: Id,
    about: team,
    // the answer's body (`{"team": <id>}`) is not needed: any body is taken
    output: Schema.Void,
    send: (del, teamId, client) => Effect.flatMap(del({ params: { teamId } }), client.ignore)
  })
}

/**
 * What `yield* AdminTeams` gives: the White Label Admin > Teams methods, each with exactly the errors its contract
 * endpoint declares, plus the teams' stream.
 *
 * @since 1.0.0
 * @category models
 */
export interface Service extends Operation.Methods<typeof methods> {
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
 * @since 1.0.0
 * @category tags
 */
export class AdminTeams extends Context.Service<AdminTeams, Service>()("effect-make/AdminTeams") {}

/**
 * Builds the service over {@link MakeClient}.
 *
 * @since 1.0.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, MakeClient> = Effect.map(Effect.service(MakeClient), (client) => {
  const bound = Operation.bind("AdminTeams", methods, client)
  return {
    ...bound,
    // each page is one `list` call, with its own span
    stream: (organizationId, options) =>
      Pagination.stream((page) => bound.list(organizationId, { ...options, ...page }), options)
  }
})

/**
 * The service, over a {@link MakeClient} the caller provides.
 *
 * @since 1.0.0
 * @category layers
 */
export const layer: Layer.Layer<AdminTeams, never, MakeClient> = Layer.effect(AdminTeams, make)

/**
 * A mock of the service for tests of code that uses it: the methods given, and for every other one a defect naming
 * it (`AdminTeams.<method> was called but the mock layer does not implement it`), or, with `otherwise`, a typed error
 * every method can fail with (see `Mock.Shared`). No client, no emulator, no network.
 *
 * @example
 * ```ts
 * import { Stream } from "effect"
 * import { AdminTeams } from "effect-make"
 *
 * // an organization without teams, listed page by page or as a stream
 * const TeamsTest = AdminTeams.layerMock({ stream: () => Stream.empty })
 * ```
 *
 * @since 1.0.0
 * @category layers
 */
export const layerMock: Mock.MockLayer<AdminTeams, Service> = Mock.layer(AdminTeams, {
  effects: Object.keys(methods),
  streams: ["stream"]
})
