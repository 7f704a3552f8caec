/**
 * The Organizations service: list, stream, get (`wait`), create, update, delete (`confirmed`), custom apps and the
 * team-permission check (both are questions about one organization as a whole).
 *
 * @since 0.1.0
 */
// Floor 4: imports MakeClient, Operation and floors below; never testing/ or @effect/platform-node.
import type { Stream } from "effect"
import { Clock, Context, Duration, Effect, Layer, Option, Ref, Schedule, Schema } from "effect"
import type { OrganizationCreated } from "./api/OrganizationsApi.js"
import { Id } from "./domain/Common.js"
import {
  CreateOrganization,
  type CustomApp,
  type Organization,
  OrganizationColumn,
  TeamPermission,
  UpdateOrganization
} from "./domain/Organization.js"
import { MakeClient, validate } from "./MakeClient.js"
import * as MakeError from "./MakeError.js"
import * as Operation from "./Operation.js"
import * as Pagination from "./Pagination.js"

// ---------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------

/** Columns always requested with `cols`, because every decoded `Organization` has them. */
const requiredColumns: ReadonlyArray<OrganizationColumn> = ["id", "name"]

/**
 * Options of {@link Service.list}.
 *
 * @since 0.1.0
 * @category arguments
 */
export const ListOptions = Schema.Struct({
  ...Pagination.PageOptions.fields,
  /** Columns to return (`cols[]`); `id` and `name` are always included. */
  cols: Schema.optional(Schema.Array(OrganizationColumn)),
  /** Only organizations of this zone, e.g. `eu1.make.com`. */
  zone: Schema.optional(Schema.NonEmptyTrimmedString),
  /** White Label: only the organization with this external id. */
  externalId: Schema.optional(Schema.NonEmptyTrimmedString)
})

/**
 * The type of the `ListOptions` schema.
 *
 * @since 0.1.0
 * @category arguments
 */
export type ListOptions = typeof ListOptions.Type

/**
 * Options of {@link Service.get}.
 *
 * @since 0.1.0
 * @category arguments
 */
export const GetOptions = Schema.Struct({
  /** Let Make wait until the zone has synchronised a just-created organization (`wait=true`). */
  wait: Schema.optional(Schema.Boolean),
  /** Columns to return (`cols[]`); `id` and `name` are always included. */
  cols: Schema.optional(Schema.Array(OrganizationColumn))
})

/**
 * The type of the `GetOptions` schema.
 *
 * @since 0.1.0
 * @category arguments
 */
export type GetOptions = typeof GetOptions.Type

/**
 * Options of {@link Service.delete}.
 *
 * @since 0.1.0
 * @category arguments
 */
export const DeleteOptions = Schema.Struct({
  /** Confirm deleting an organization that has active scenarios (`confirmed=true`). */
  confirmed: Schema.optional(Schema.Boolean)
})

/**
 * The type of the `DeleteOptions` schema.
 *
 * @since 0.1.0
 * @category arguments
 */
export type DeleteOptions = typeof DeleteOptions.Type

const GetInput = Schema.Struct({ id: Id, ...GetOptions.fields })
const UpdateInput = Schema.Struct({ id: Id, body: UpdateOrganization })
const DeleteInput = Schema.Struct({ id: Id, ...DeleteOptions.fields })
const PermissionInput = Schema.Struct({ id: Id, teamPermission: TeamPermission })
const AwaitSyncedInput = Schema.Struct({
  id: Id,
  timeout: Schema.DurationFromSelf.pipe(Schema.filter((d) => Duration.isFinite(d) && Duration.toMillis(d) > 0, {
    message: () => "must be a positive, finite duration"
  })),
  interval: Schema.DurationFromSelf.pipe(Schema.filter((d) => Duration.toMillis(d) > 0, {
    message: () => "must be a positive duration"
  }))
})

/**
 * Options of {@link Service.awaitSynced}.
 *
 * @since 0.1.0
 * @category arguments
 */
export interface AwaitSyncedOptions {
  /** How long to wait in all (default 60 seconds). */
  readonly timeout?: Duration.DurationInput | undefined
  /** The first pause between two reads; pauses double up to 5 seconds (default 250 ms). */
  readonly interval?: Duration.DurationInput | undefined
}

/**
 * The answer of `create`: the organization and the caller's role in it.
 *
 * @since 0.1.0
 * @category models
 */
export type Created = typeof OrganizationCreated.Type

// ---------------------------------------------------------------------------
// Service
// ---------------------------------------------------------------------------

/**
 * What `yield* Organizations` gives: the organization methods. Each method's error channel is exactly what its
 * contract endpoint declares.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /**
   * One page of the organizations the user is a member of, sorted by name unless `sortBy` says otherwise.
   *
   * @example
   * ```ts
   * const page = yield* orgs.list({ limit: 50, cols: ["zone", "license"] })
   * page.items.map((org) => org.name)
   * ```
   */
  readonly list: (options?: ListOptions) => Effect.Effect<Pagination.Page<Organization>, MakeError.Common>
  /**
   * Every organization, page after page (`limit` per request, 500 by default), in constant memory.
   *
   * @example
   * ```ts
   * const names = yield* Stream.runCollect(orgs.stream().pipe(Stream.map((org) => org.name)))
   * ```
   */
  readonly stream: (options?: ListOptions) => Stream.Stream<Organization, MakeError.Common>
  /**
   * One organization. Right after `create`, pass `{ wait: true }` so Make waits for the zone to synchronise.
   *
   * @example
   * ```ts
   * const org = yield* orgs.get(11, { wait: true })
   * ```
   */
  readonly get: (
    organizationId: number,
    options?: GetOptions
  ) => Effect.Effect<Organization, MakeError.NotFound | MakeError.Common>
  /**
   * Creates an organization; answers it with the caller's role in it.
   *
   * @example
   * ```ts
   * const { organization } = yield* orgs.create({ name: "Acme", regionId: 1, timezoneId: 113, countryId: 1 })
   * ```
   */
  readonly create: (body: CreateOrganization) => Effect.Effect<Created, MakeError.Common>
  /**
   * Changes name, country or timezone; fields left out stay as they are.
   *
   * @example
   * ```ts
   * const renamed = yield* orgs.update(11, { name: "Acme EU" })
   * ```
   */
  readonly update: (
    organizationId: number,
    body: UpdateOrganization
  ) => Effect.Effect<Organization, MakeError.NotFound | MakeError.Common>
  /**
   * Deletes an organization and its teams. Without `{ confirmed: true }`, an organization with active scenarios
   * is not deleted and the call fails with `NotConfirmed`.
   *
   * @example
   * ```ts
   * yield* orgs.delete(11, { confirmed: true })
   * ```
   */
  readonly delete: (
    organizationId: number,
    options?: DeleteOptions
  ) => Effect.Effect<void, MakeError.NotFound | MakeError.NotConfirmed | MakeError.Common>
  /**
   * The custom apps of the organization's users, published or not.
   *
   * @example
   * ```ts
   * const apps = yield* orgs.apps(11)
   * ```
   */
  readonly apps: (
    organizationId: number
  ) => Effect.Effect<ReadonlyArray<CustomApp>, MakeError.NotFound | MakeError.Common>
  /**
   * Reads a just-created organization until the zone has synchronised it (Make answers 404 until then), polling
   * with a growing pause; `NotSynced` when `timeout` (60 s by default) passes first. Other errors end the wait.
   *
   * @example
   * ```ts
   * const { organization } = yield* orgs.create({ name: "Acme", regionId: 1, timezoneId: 113, countryId: 1 })
   * const synced = yield* orgs.awaitSynced(organization.id, { timeout: "2 minutes" })
   * ```
   */
  readonly awaitSynced: (
    organizationId: number,
    options?: AwaitSyncedOptions
  ) => Effect.Effect<Organization, MakeError.NotSynced | MakeError.Common>
  /**
   * Whether the caller holds a team permission (e.g. `"scenario add"`) on at least one team of the organization.
   *
   * @example
   * ```ts
   * const canBuild = yield* orgs.checkTeamPermission(11, "scenario add")
   * ```
   */
  readonly checkTeamPermission: (
    organizationId: number,
    teamPermission: string
  ) => Effect.Effect<boolean, MakeError.NotFound | MakeError.Common>
}

/**
 * The Organizations service.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Organizations } from "effect-make"
 *
 * const program = Effect.gen(function*() {
 *   const orgs = yield* Organizations.Organizations
 *   const org = yield* orgs.get(11)
 *   return org.name
 * })
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class Organizations extends Context.Tag("effect-make/Organizations")<Organizations, Service>() {}

const organization = (id: number): MakeError.Target => ({ resource: "organization", id })

/**
 * The methods of the service, each over the contract endpoint it names.
 *
 * @since 0.1.0
 * @category operations
 */
export const operations = Operation.table("Organizations", {
  list: Operation.make({
    endpoint: ["organizations", "list"],
    input: ListOptions,
    send: (list, input) =>
      Effect.map(
        list({ urlParams: { ...input, cols: Pagination.withColumns(input.cols, requiredColumns) } }),
        (page): Pagination.Page<Organization> => ({ items: page.organizations, pg: page.pg })
      )
  }),
  get: Operation.make({
    endpoint: ["organizations", "get"],
    input: GetInput,
    target: ({ id }) => organization(id),
    send: (get, input) =>
      Effect.map(
        get({
          path: { organizationId: input.id },
          urlParams: { wait: input.wait, cols: Pagination.withColumns(input.cols, requiredColumns) }
        }),
        (answer) => answer.organization
      )
  }),
  create: Operation.make({
    endpoint: ["organizations", "create"],
    input: CreateOrganization,
    send: (create, payload) => create({ payload })
  }),
  update: Operation.make({
    endpoint: ["organizations", "update"],
    input: UpdateInput,
    target: ({ id }) => organization(id),
    send: (update, input) =>
      Effect.map(update({ path: { organizationId: input.id }, payload: input.body }), (answer) => answer.organization)
  }),
  delete: Operation.make({
    endpoint: ["organizations", "delete"],
    input: DeleteInput,
    target: ({ id }) => organization(id),
    send: (del, input, client) =>
      Effect.flatMap(
        del({ path: { organizationId: input.id }, urlParams: { confirmed: input.confirmed } }),
        client.ignore
      )
  }),
  apps: Operation.make({
    endpoint: ["organizations", "apps"],
    input: Id,
    target: organization,
    send: (apps, id) => apps({ path: { organizationId: id } })
  }),
  checkTeamPermission: Operation.make({
    endpoint: ["organizations", "checkTeamPermission"],
    input: PermissionInput,
    target: ({ id }) => organization(id),
    send: (check, input) =>
      Effect.map(
        check({ path: { organizationId: input.id }, urlParams: { teamPermission: input.teamPermission } }),
        (answer) => answer.hasPermission
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
  const list = operations.list.bind(client)
  const get = operations.get.bind(client)
  const create = operations.create.bind(client)
  const update = operations.update.bind(client)
  const remove = operations.delete.bind(client)
  const apps = operations.apps.bind(client)
  const checkTeamPermission = operations.checkTeamPermission.bind(client)

  const awaitSynced: Service["awaitSynced"] = (organizationId, options) =>
    Effect.gen(function*() {
      const input = yield* validate("Organizations.awaitSynced", AwaitSyncedInput, {
        id: organizationId,
        timeout: Duration.decode(options?.timeout ?? "60 seconds"),
        interval: Duration.decode(options?.interval ?? "250 millis")
      })
      const started = yield* Clock.currentTimeMillis
      const attempts = yield* Ref.make(0)
      const notSynced = Effect.gen(function*() {
        return new MakeError.NotSynced({
          organizationId: input.id,
          waitedMillis: (yield* Clock.currentTimeMillis) - started,
          attempts: yield* Ref.get(attempts)
        })
      })
      return yield* Ref.update(attempts, (n) => n + 1).pipe(
        Effect.zipRight(get({ id: input.id })),
        Effect.retry({
          schedule: Schedule.exponential(input.interval).pipe(Schedule.union(Schedule.spaced("5 seconds"))),
          while: (error) => error._tag === "NotFound"
        }),
        Effect.timeoutOption(input.timeout),
        Effect.flatMap(Option.match({ onNone: () => Effect.flatMap(notSynced, Effect.fail), onSome: Effect.succeed })),
        // the retry only stops on NotFound when the schedule ends, which it never does before the timeout
        Effect.catchTag("NotFound", () => Effect.flatMap(notSynced, Effect.fail))
      )
    }).pipe(Effect.withSpan("Make.Organizations.awaitSynced", { kind: "client" }))

  return {
    list: (options) => list(options ?? {}),
    // each page is one `list` call, with its own span
    stream: (options) => Pagination.stream((page) => list({ ...options, ...page }), options),
    get: (organizationId, options) => get({ id: organizationId, ...options }),
    awaitSynced,
    create,
    update: (organizationId, body) => update({ id: organizationId, body }),
    delete: (organizationId, options) => remove({ id: organizationId, ...options }),
    apps,
    checkTeamPermission: (organizationId, teamPermission) => checkTeamPermission({ id: organizationId, teamPermission })
  }
})

/**
 * The service, over a {@link MakeClient} the caller provides.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Organizations, never, MakeClient> = Layer.effect(Organizations, make)

/**
 * A mock of the service for tests of code that uses it: the methods given, and for every other one a defect naming
 * it (`Organizations.<method> was called but the mock layer does not implement it`) — or, with `otherwise`, a typed error
 * every method can fail with (see {@link Operation.Shared}). No client, no emulator, no network.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { MakeError, Organizations } from "effect-make"
 *
 * // get answers; any other method dies naming itself ("Organizations.list was called but ...")
 * const OrganizationsTest = Organizations.layerMock({
 *   get: (id) => Effect.fail(new MakeError.NotFound({ status: 404, detail: "Not found", resource: "organization", id }))
 * })
 * // every call answers 429, to test a caller's handling of it
 * const RateLimitedTest = Organizations.layerMock({}, {
 *   otherwise: new MakeError.RateLimited({ status: 429, detail: "Too many requests", retryAfterMillis: 1000 })
 * })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMock: Operation.MockLayer<Organizations, Service> = Operation.layerMock(Organizations)
