/**
 * The Organizations service: list, stream, get (`wait`), create, update, delete (`confirmed`), custom apps and the
 * team-permission check (both are questions about one organization as a whole), and the wait for a new
 * organization's zone to synchronise.
 *
 * @since 1.0.0
 */
// Floor 4: imports MakeClient, Operation, Mock and floors below; never testing/ or @effect/platform-node.
import { Clock, Context, Duration, Effect, Layer, Option, Ref, Schedule, Schema, type Stream } from "effect"
import type { OrganizationCreated } from "./api/OrganizationsApi.js"
import { Id } from "./domain/Common.js"
import {
  CreateOrganization,
  Organization,
  OrganizationColumn,
  TeamPermission,
  UpdateOrganization
} from "./domain/Organization.js"
import * as Validation from "./internal/validation.js"
import { MakeClient } from "./MakeClient.js"
import * as MakeError from "./MakeError.js"
import * as Mock from "./Mock.js"
import * as Operation from "./Operation.js"
import * as Pagination from "./Pagination.js"

// ---------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------

/** Columns always requested with `cols`, because every decoded `Organization` has them. */
const requiredColumns: ReadonlyArray<OrganizationColumn> = ["id", "name"]

/**
 * Options of `list` and `stream`.
 *
 * @since 1.0.0
 * @category arguments
 */
export const ListOptions = Schema.Struct({
  ...Pagination.PageOptions.fields,
  /** Columns to return (`cols[]`); `id` and `name` are always included. */
  cols: Schema.optional(Schema.Array(OrganizationColumn)),
  /** Only organizations of this zone, e.g. `eu1.make.com`. */
  zone: Schema.optional(Schema.Trimmed.check(Schema.isNonEmpty())),
  /** White Label: only the organization with this external id. */
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
 * Options of `get`.
 *
 * @since 1.0.0
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
 * @since 1.0.0
 * @category arguments
 */
export type GetOptions = typeof GetOptions.Type

/**
 * Options of `delete`.
 *
 * @since 1.0.0
 * @category arguments
 */
export const DeleteOptions = Schema.Struct({
  /** Confirm deleting an organization that has active scenarios (`confirmed=true`). */
  confirmed: Schema.optional(Schema.Boolean)
})

/**
 * The type of the `DeleteOptions` schema.
 *
 * @since 1.0.0
 * @category arguments
 */
export type DeleteOptions = typeof DeleteOptions.Type

/**
 * Options of `awaitSynced`.
 *
 * @since 1.0.0
 * @category arguments
 */
export interface AwaitSyncedOptions {
  /** How long to wait in all (default 60 seconds). */
  readonly timeout?: Duration.Input | undefined
  /** The first pause between two reads; pauses double up to 5 seconds (default 250 ms). */
  readonly interval?: Duration.Input | undefined
}

/**
 * The answer of `create`: the organization and the caller's role in it.
 *
 * @since 1.0.0
 * @category models
 */
export type Created = typeof OrganizationCreated.Type

const organization = (id: number): MakeError.Target => ({ resource: "organization", id })

const positive = (what: string) =>
  Schema.makeFilter(
    (d: Duration.Duration) => Duration.toMillis(d) > 0 && (what !== "timeout" || Duration.isFinite(d)),
    {
      message: what === "timeout" ? "must be a positive, finite duration" : "must be a positive duration"
    }
  )

const AwaitSyncedInput = Schema.Struct({
  id: Id,
  timeout: Schema.Duration.check(positive("timeout")),
  interval: Schema.Duration.check(positive("interval"))
})

// ---------------------------------------------------------------------------
// Methods
// ---------------------------------------------------------------------------

/**
 * The methods of the service over the contract, each said once: its arguments, their schema, and the call.
 *
 * @since 1.0.0
 * @category methods
 */
export const methods = {
  /**
   * One page of the organizations the user is a member of, sorted by name unless `sortBy` says otherwise.
   *
   * @example
   * ```ts
   * const page = yield* orgs.list({ limit: 50, cols: ["zone", "license"] })
   * page.items.map((org) => org.name)
   * ```
   */
  list: Operation.method({
    endpoint: ["organizations", "list"],
    args: (options?: ListOptions) => options ?? {},
    input: ListOptions,
    output: Pagination.page(Organization),
    send: (list, input) =>
      Effect.map(
        list({ query: { ...input, cols: Pagination.withColumns(input.cols, requiredColumns) } }),
        (page): Pagination.Page<Organization> => ({ items: page.organizations, pg: page.pg })
      )
  }),
  /**
   * One organization. Right after `create`, pass `{ wait: true }` so Make waits for the zone to synchronise.
   *
   * @example
   * ```ts
   * const org = yield* orgs.get(11, { wait: true })
   * ```
   */
  get: Operation.method({
    endpoint: ["organizations", "get"],
    args: (organizationId: number, options?: GetOptions) => ({ id: organizationId, ...options }),
    input: Schema.Struct({ id: Id, ...GetOptions.fields }),
    about: ({ id }) => organization(id),
    organization: ({ id }) => id,
    output: Organization,
    send: (get, input) =>
      Effect.map(
        get({
          params: { organizationId: input.id },
          query: { wait: input.wait, cols: Pagination.withColumns(input.cols, requiredColumns) }
        }),
        (answer) => answer.organization
      )
  }),
  /**
   * Creates an organization; answers it with the caller's role in it.
   *
   * @example
   * ```ts
   * const { organization } = yield* orgs.create({ name: "Acme", regionId: 1, timezoneId: 113, countryId: 1 })
   * ```
   */
  create: Operation.method({
    endpoint: ["organizations", "create"],
    args: (body: CreateOrganization) => body,
    input: CreateOrganization,
    send: (create, payload) => create({ payload })
  }),
  /**
   * Changes name, country or timezone; fields left out stay as they are.
   *
   * @example
   * ```ts
   * const renamed = yield* orgs.update(11, { name: "Acme EU" })
   * ```
   */
  update: Operation.method({
    endpoint: ["organizations", "update"],
    args: (organizationId: number, body: UpdateOrganization) => ({ id: organizationId, body }),
    input: Schema.Struct({ id: Id, body: UpdateOrganization }),
    about: ({ id }) => organization(id),
    organization: ({ id }) => id,
    output: Organization,
    send: (update, input) =>
      Effect.map(update({ params: { organizationId: input.id }, payload: input.body }), (answer) => answer.organization)
  }),
  /**
   * Deletes an organization and its teams. Without `{ confirmed: true }`, an organization with active scenarios
   * is not deleted and the call fails with `NotConfirmed`.
   *
   * @example
   * ```ts
   * yield* orgs.delete(11, { confirmed: true })
   * ```
   */
  delete: Operation.method({
    endpoint: ["organizations", "delete"],
    args: (organizationId: number, options?: DeleteOptions) => ({ id: organizationId, ...options }),
    input: Schema.Struct({ id: Id, ...DeleteOptions.fields }),
    about: ({ id }) => organization(id),
    organization: ({ id }) => id,
    output: Schema.Void,
    send: (del, input, client) =>
      Effect.flatMap(
        del({ params: { organizationId: input.id }, query: { confirmed: input.confirmed } }),
        client.ignore
      )
  }),
  /**
   * The custom apps of the organization's users, published or not.
   *
   * @example
   * ```ts
   * const apps = yield* orgs.apps(11)
   * ```
   */
  apps: Operation.method({
    endpoint: ["organizations", "apps"],
    args: (organizationId: number) => organizationId,
    input: Id,
    about: organization,
    organization: (id) => id,
    send: (apps, id) => apps({ params: { organizationId: id } })
  }),
  /**
   * Whether the caller holds a team permission (e.g. `"scenario add"`) on at least one team of the organization.
   *
   * @example
   * ```ts
   * const canBuild = yield* orgs.checkTeamPermission(11, "scenario add")
   * ```
   */
  checkTeamPermission: Operation.method({
    endpoint: ["organizations", "checkTeamPermission"],
    args: (organizationId: number, teamPermission: string) => ({ id: organizationId, teamPermission }),
    input: Schema.Struct({ id: Id, teamPermission: TeamPermission }),
    about: ({ id }) => organization(id),
    organization: ({ id }) => id,
    output: Schema.Boolean,
    send: (check, input) =>
      Effect.map(
        check({ params: { organizationId: input.id }, query: { teamPermission: input.teamPermission } }),
        (answer) => answer.hasPermission
      )
  })
}

/**
 * What `yield* Organizations` gives: the methods of {@link methods}, each with exactly the errors its contract
 * endpoint declares, plus the two composed ones.
 *
 * @since 1.0.0
 * @category models
 */
export interface Service extends Operation.Methods<typeof methods> {
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
 * @since 1.0.0
 * @category tags
 */
export class Organizations extends Context.Service<Organizations, Service>()("effect-make/Organizations") {}

const validateAwait = Validation.validator("Organizations.awaitSynced", AwaitSyncedInput)

/** `awaitSynced` over the service's own `get`: each read is a `get` call with its own span. */
const awaitSyncedWith = (get: Service["get"]): Service["awaitSynced"] => (organizationId, options) =>
  Effect.gen(function*() {
    const input = yield* Effect.fromResult(validateAwait({
      id: organizationId,
      timeout: Duration.fromInputUnsafe(options?.timeout ?? "60 seconds"),
      interval: Duration.fromInputUnsafe(options?.interval ?? "250 millis")
    }))
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
      Effect.andThen(get(input.id)),
      Effect.retry({
        schedule: Schedule.min([Schedule.exponential(input.interval), Schedule.spaced("5 seconds")]),
        while: (error) => error._tag === "NotFound"
      }),
      Effect.timeoutOption(input.timeout),
      Effect.flatMap(Option.match({ onNone: () => Effect.flatMap(notSynced, Effect.fail), onSome: Effect.succeed })),
      // the retry only stops on NotFound when the schedule ends, which it never does before the timeout
      Effect.catchTag("NotFound", () => Effect.flatMap(notSynced, Effect.fail))
    )
  }).pipe(Effect.withSpan("Make.Organizations.awaitSynced", { kind: "client" }))

/**
 * Builds the service over {@link MakeClient}.
 *
 * @since 1.0.0
 * @category constructors
 */
export const make: Effect.Effect<Service, never, MakeClient> = Effect.map(Effect.service(MakeClient), (client) => {
  const bound = Operation.bind("Organizations", methods, client)
  return {
    ...bound,
    // each page is one `list` call, with its own span
    stream: (options) => Pagination.stream((page) => bound.list({ ...options, ...page }), options),
    awaitSynced: awaitSyncedWith(bound.get)
  }
})

/**
 * The service, over a {@link MakeClient} the caller provides.
 *
 * @since 1.0.0
 * @category layers
 */
export const layer: Layer.Layer<Organizations, never, MakeClient> = Layer.effect(Organizations, make)

/**
 * A mock of the service for tests of code that uses it: the methods given, and for every other one a defect naming
 * it (`Organizations.<method> was called but the mock layer does not implement it`), or, with `otherwise`, a typed
 * error every method can fail with (see `Mock.Shared`). No client, no emulator, no network.
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
 * @since 1.0.0
 * @category layers
 */
export const layerMock: Mock.MockLayer<Organizations, Service> = Mock.layer(Organizations, {
  effects: [...Object.keys(methods), "awaitSynced"],
  streams: ["stream"]
})
