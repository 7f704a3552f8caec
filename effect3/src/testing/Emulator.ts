/**
 * The emulator's public face: the Emulator service over an in-memory Make instance, an HttpClient that calls it in
 * process (no socket), and the same app on a real port; each transport drops connections its own way for faults.
 *
 * @since 0.1.0
 */
// Imports `effect`, `@effect/platform(-node)`, `node:` modules, MakeError and testing/ (the emulator by area).
import {
  FetchHttpClient,
  HttpApiBuilder,
  HttpApp,
  type HttpClient,
  HttpRouter,
  HttpServer,
  type HttpServerError,
  type OpenApi
} from "@effect/platform"
import { NodeHttpServer, NodeHttpServerRequest } from "@effect/platform-node"
import { Chunk, Context, Effect, Either, Layer, Option, Ref, type Scope } from "effect"
import type { Server } from "node:http"
import { constants } from "node:os"
import type * as MakeError from "../MakeError.js"
import { apiLive } from "./emulator/Api.js"
import { currentSubscription } from "./emulator/Billing.js"
import * as EmulatorDocs from "./emulator/Docs.js"
import { organizationNotFound, teamNotFound } from "./emulator/Errors.js"
import { findInvitation } from "./emulator/Invitations.js"
import { withRequestLog } from "./emulator/Middleware.js"
import * as EmulatorOptions from "./emulator/Options.js"
import type * as Records from "./emulator/Records.js"
import * as RequestBody from "./emulator/RequestBody.js"
import * as RequestLog from "./emulator/RequestLog.js"
import * as Seed_ from "./emulator/Seed.js"
import * as Store from "./emulator/Store.js"
import * as Transports from "./emulator/Transports.js"
import * as EmulatorFaults from "./EmulatorFaults.js"

/**
 * The path under which the emulator serves the API, as Make does (`https://{zone}/api/v2`).
 *
 * @since 0.1.0
 * @category constants
 */
export const basePath = "/api/v2"

/**
 * The base URL to give a client of {@link layerHttpClient}. Any host works (no request leaves the process); the path
 * must be {@link basePath}.
 *
 * @since 0.1.0
 * @category constants
 */
export const baseUrl = `http://localhost${basePath}`

/**
 * The largest request body the emulator reads: 1 MiB (Make documents no limit; a gateway's usual one). A body
 * declared or found larger is answered 413 (`SC413`) and never kept whole: past the limit it is counted, not stored.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxRequestBodyBytes: number = RequestBody.maxBodyBytes

/**
 * How many entries the request log holds: 10,000; past it the oldest go, a thousand at a time (see
 * {@link Service.droppedRequests}). With bodies and paths cut to 2,048 characters, the log stays bounded.
 *
 * @since 0.1.0
 * @category constants
 */
export const requestLogCapacity: number = RequestLog.capacity

/**
 * The token the emulator accepts unless {@link Options} say otherwise.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultToken = EmulatorOptions.defaultToken

/**
 * The instance the emulator starts with unless `seed` says otherwise: organizations 11 (Acme), 12 (Beta Labs) and
 * 13 (Gamma) with their teams, an invitation, custom apps, billing, variables and feature controls (the full table is
 * in `src/testing/emulator/Seed.ts`).
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultSeed: Seed = Seed_.defaultSeed

/**
 * How to set up the emulated instance: `token`, the token's user (`userId`, `userName`, `userEmail`,
 * `userTimezoneOffsetMinutes`), `syncDelay`, `seed`, `zone`, `faults` (a {@link FaultPlan} in force from the start)
 * and `rateLimit` (Make's per-organization limit: `true` for each licence's `apiLimit`, or `{ perMinute, window }`,
 * counted over a sliding minute unless `window: "fixed"`).
 *
 * @since 0.1.0
 * @category models
 */
export type Options = EmulatorOptions.Options

/**
 * The options, defaults filled in.
 *
 * @since 0.1.0
 * @category models
 */
export type Settings = EmulatorOptions.Settings

/**
 * What the emulated instance starts with (see {@link defaultSeed}).
 *
 * @since 0.1.0
 * @category seed
 */
export type Seed = EmulatorOptions.Seed

/**
 * An organization to seed: `id` and `name`, and whatever should differ from the emulator's organization defaults.
 *
 * @since 0.1.0
 * @category seed
 */
export type SeedOrganization = EmulatorOptions.SeedOrganization
/**
 * A team to seed: `id`, `name` and `organizationId`, and whatever should differ from the emulator's team defaults.
 *
 * @since 0.1.0
 * @category seed
 */
export type SeedTeam = EmulatorOptions.SeedTeam
/**
 * A team role to seed; `userId` defaults to the user behind the token.
 *
 * @since 0.1.0
 * @category seed
 */
export type SeedTeamRole = EmulatorOptions.SeedTeamRole
/**
 * An invitation to seed: `hash` defaults to `EmulatorCatalog.invitationHash(id)`, `usersRoleId` to 13 (Member), `note`
 * to `null`, `teamsId` to none; it is pending and was sent at the seed's time.
 *
 * @since 0.1.0
 * @category seed
 */
export type SeedInvitation = EmulatorOptions.SeedInvitation
/**
 * A payment to seed, made `daysAgo` days before the seed's time; `amount` and `currency` come from the price list,
 * `quantity` defaults to 1, `status` to `paid`.
 *
 * @since 0.1.0
 * @category seed
 */
export type SeedPayment = EmulatorOptions.SeedPayment
/**
 * A subscription to seed, started `daysAgo` days before the seed's time; the product comes from the price list (`Free`
 * for `priceId: null`), billing every 30 days from the start while `active`.
 *
 * @since 0.1.0
 * @category seed
 */
export type SeedSubscription = EmulatorOptions.SeedSubscription
/**
 * A custom variable to seed. With `earlierValues`, it was created with the first of them and updated through the rest
 * to `value`, one change a day, the last at the seed's time; without, it was created at the seed's time. Every change
 * is by the user behind the token.
 *
 * @since 0.1.0
 * @category seed
 */
export type SeedVariable = EmulatorOptions.SeedVariable

/**
 * An organization in Make's wire form, plus what the emulator needs to behave like Make: `regionId` (accepted on
 * create, never sent back), `activeScenarios` (deleting needs `confirmed=true` while it is above 0), and the Clock
 * millis of creation and of synchronisation with the zone (`GET /organizations/{id}` answers 404 before that). The
 * counters are strings, as Make sends them (`"operations": "0"`).
 *
 * @since 0.1.0
 * @category records
 */
export type OrganizationRecord = Records.OrganizationRecord
/**
 * An organization's licence, as `GET /organizations/{id}` sends it. `customVariables` absent means the plan does not
 * grant custom organization variables.
 *
 * @since 0.1.0
 * @category records
 */
export type LicenseRecord = Records.LicenseRecord
/**
 * A team in Make's wire form. `transferLimit` is a string and `operationsLimit` a number, as Make sends them. Deleted
 * teams stay, with `deleted: true` (Admin > Teams keeps listing them).
 *
 * @since 0.1.0
 * @category records
 */
export type TeamRecord = Records.TeamRecord
/**
 * A user the instance knows: the one behind the token, and whoever accepted an invitation.
 *
 * @since 0.1.0
 * @category records
 */
export type UserRecord = Records.UserRecord
/**
 * A user's membership of an organization, with the organization role (see `EmulatorCatalog.organizationRoles`).
 *
 * @since 0.1.0
 * @category records
 */
export type MembershipRecord = Records.MembershipRecord
/**
 * A user's role in a team (see `EmulatorCatalog.teamRoles`): what `check-team-permission` looks at.
 *
 * @since 0.1.0
 * @category records
 */
export type TeamRoleRecord = Records.TeamRoleRecord
/**
 * An invitation to an organization. `id` is the emulator's own (Make identifies invitations by `hash` only).
 *
 * @since 0.1.0
 * @category records
 */
export type InvitationRecord = Records.InvitationRecord
/**
 * A custom app of a user of an organization, in wire form plus the organization it is listed under.
 *
 * @since 0.1.0
 * @category records
 */
export type CustomAppRecord = Records.CustomAppRecord
/**
 * A payment, in wire form plus its organization.
 *
 * @since 0.1.0
 * @category records
 */
export type PaymentRecord = Records.PaymentRecord
/**
 * A subscription, in wire form plus its organization. An organization has at most one that is `active` or `free` (its
 * current subscription); `canceled` ones stay as history.
 *
 * @since 0.1.0
 * @category records
 */
export type SubscriptionRecord = Records.SubscriptionRecord
/**
 * A custom organization variable, in wire form (`typeId` + `value`), with its history (oldest first). System variables
 * are not stored: they are derived from the organization (see the handlers).
 *
 * @since 0.1.0
 * @category records
 */
export type VariableRecord = Records.VariableRecord
/**
 * A feature control of an organization, in wire form plus its organization.
 *
 * @since 0.1.0
 * @category records
 */
export type FeatureControlRecord = Records.FeatureControlRecord

/**
 * Seeded, deterministic fault injection: 5xx (before or after processing), 429, connection resets and refusals,
 * truncated bodies, latency. See `EmulatorFaults.FaultPlan`.
 *
 * @since 0.1.0
 * @category models
 */
export type FaultPlan = EmulatorFaults.FaultPlan

/**
 * One request as the emulator saw it (never the `Authorization` value), with bounded excerpts of its path and body
 * and the body's length in bytes.
 *
 * @since 0.1.0
 * @category models
 */
export type RecordedRequest = Records.RecordedRequest

/**
 * The whole data of the instance at one moment: an immutable value whose shape is internal. Two snapshots are the
 * same reference exactly when nothing changed in between (what a test of a refused request asserts).
 *
 * @since 0.1.0
 * @category models
 */
export type Snapshot = Store.Data

/**
 * What tests can ask of and do to the emulated instance, besides calling its API. The state is read and changed
 * through these accessors only.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** The options, defaults filled in. */
  readonly settings: Settings
  /**
   * Every request so far, in the order they were answered (each carries the time it arrived): the newest
   * {@link requestLogCapacity} at most, each with bounded excerpts (see {@link RecordedRequest}).
   */
  readonly requests: Effect.Effect<ReadonlyArray<RecordedRequest>>
  /**
   * How many of the oldest entries the log dropped to stay within {@link requestLogCapacity} (a full log drops its
   * oldest 1,000 at once); 0 until then, and again after {@link Service.clearRequests}.
   */
  readonly droppedRequests: Effect.Effect<number>
  /** Forgets the requests so far (and the count of dropped ones). */
  readonly clearRequests: Effect.Effect<void>
  /** The fault plan in force, with how many requests it has numbered so far; `None` when there is none. */
  readonly faults: Effect.Effect<Option.Option<EmulatorFaults.ActivePlan>>
  /**
   * Puts a fault plan in force, replacing the one there was; its requests are numbered from 0 again, so what follows
   * is as deterministic as a plan given at start.
   */
  readonly setFaults: (plan: FaultPlan) => Effect.Effect<void>
  /** Ends fault injection: the requests that follow are answered normally (the rate limit, if on, stays). */
  readonly clearFaults: Effect.Effect<void>
  /** The whole data now, to compare with a later snapshot (see {@link Snapshot}). */
  readonly snapshot: Effect.Effect<Snapshot>
  /** Every organization, in creation order, in wire form. */
  readonly organizations: Effect.Effect<ReadonlyArray<OrganizationRecord>>
  /** One organization, whether or not the zone has synchronised it yet. */
  readonly organization: (id: number) => Effect.Effect<Option.Option<OrganizationRecord>>
  /** The teams of an organization, deleted ones included. */
  readonly teams: (organizationId: number) => Effect.Effect<ReadonlyArray<TeamRecord>>
  /** One team, deleted or not. */
  readonly team: (id: number) => Effect.Effect<Option.Option<TeamRecord>>
  /** Sets how many active scenarios an organization has (deleting it needs `confirmed=true` while above 0). */
  readonly setActiveScenarios: (organizationId: number, count: number) => Effect.Effect<void, MakeError.NotFound>
  /**
   * Changes an organization's licence, e.g. `{ customVariables: false }` to put its custom variables behind Make's
   * bare 404 (they are kept, and come back with `{ customVariables: true }`).
   */
  readonly setLicense: (
    organizationId: number,
    patch: Partial<LicenseRecord>
  ) => Effect.Effect<void, MakeError.NotFound>
  /** Every user the instance knows: the token's user first, then those who accepted invitations. */
  readonly users: Effect.Effect<ReadonlyArray<UserRecord>>
  /** The members of an organization, with their organization roles. */
  readonly memberships: (organizationId: number) => Effect.Effect<ReadonlyArray<MembershipRecord>>
  /** Every user-team role (deleted teams included), in the order they were given. */
  readonly teamRoles: Effect.Effect<ReadonlyArray<TeamRoleRecord>>
  /**
   * Gives a user (default: the token's) a role in a team, replacing the one they had there; what
   * `check-team-permission` answers follows. Fails for a team that does not exist.
   */
  readonly setTeamRole: (role: SeedTeamRole) => Effect.Effect<void, MakeError.NotFound>
  /** An invitation by hash, pending or accepted. */
  readonly invitation: (hash: string) => Effect.Effect<Option.Option<InvitationRecord>>
  /** The invitations to an organization, oldest first. */
  readonly invitations: (organizationId: number) => Effect.Effect<ReadonlyArray<InvitationRecord>>
  /** The custom apps listed under an organization. */
  readonly customApps: (organizationId: number) => Effect.Effect<ReadonlyArray<CustomAppRecord>>
  /** An organization's payments, oldest first. */
  readonly payments: (organizationId: number) => Effect.Effect<ReadonlyArray<PaymentRecord>>
  /** An organization's current subscription (`active` or `free`), if any. */
  readonly subscription: (organizationId: number) => Effect.Effect<Option.Option<SubscriptionRecord>>
  /** An organization's subscriptions, cancelled ones included, oldest first. */
  readonly subscriptions: (organizationId: number) => Effect.Effect<ReadonlyArray<SubscriptionRecord>>
  /** An organization's custom variables (whatever its licence), with their history, in creation order. */
  readonly variables: (organizationId: number) => Effect.Effect<ReadonlyArray<VariableRecord>>
  /** An organization's feature controls. */
  readonly featureControls: (organizationId: number) => Effect.Effect<ReadonlyArray<FeatureControlRecord>>
}

/** The state behind each service, for the transports of this module only (never on the service itself). */
const states = new WeakMap<Service, Store.EmulatorState>()

const stateOf = (emulator: Service): Effect.Effect<Store.EmulatorState> =>
  Effect.suspend(() => {
    const state = states.get(emulator)
    return state === undefined
      ? Effect.dieMessage("effect-make/testing: this Emulator service was not made by Emulator.make")
      : Effect.succeed(state)
  })

/**
 * The emulated Make instance.
 *
 * @example
 * ```ts
 * import { HttpClient } from "@effect/platform"
 * import { Effect, Layer } from "effect"
 * import { Emulator } from "effect-make/testing"
 *
 * const program = Effect.gen(function*() {
 *   const client = yield* HttpClient.HttpClient
 *   yield* client.get(`${Emulator.baseUrl}/organizations`)
 *   const emulator = yield* Emulator.Emulator
 *   return yield* emulator.requests
 * }).pipe(Effect.provide(Emulator.layerHttpClient.pipe(Layer.provideMerge(Emulator.layer()))))
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class Emulator extends Context.Tag("effect-make/testing/Emulator")<Emulator, Service>() {}

/**
 * Every request the emulator in context received so far, oldest first.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Emulator } from "effect-make/testing"
 *
 * const paths = Effect.map(Emulator.requests, (all) => all.map((request) => `${request.method} ${request.path}`))
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const requests: Effect.Effect<ReadonlyArray<RecordedRequest>, never, Emulator> = Effect.flatMap(
  Emulator,
  (emulator) => emulator.requests
)

/**
 * The last request the emulator in context received, if any.
 *
 * @example
 * ```ts
 * import { Emulator } from "effect-make/testing"
 *
 * const last = Emulator.lastRequest // Effect<RecordedRequest | undefined, never, Emulator>
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const lastRequest: Effect.Effect<RecordedRequest | undefined, never, Emulator> = Effect.map(
  requests,
  (all) => all.at(-1)
)

/**
 * Creates an emulated instance (time from the `Clock`, so `TestClock` drives the sync delay).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options?: Options): Effect.Effect<Service> =>
  Effect.map(Seed_.makeState(options), (state): Service => {
    const read = <A>(f: (data: Store.Data) => A): Effect.Effect<A> => Store.read(state, f)
    /** Changes an organization in one transaction, or fails with its 404. */
    const changeOrganization = (
      organizationId: number,
      change: (org: Records.OrganizationRecord) => Records.OrganizationRecord
    ) =>
      Store.transact(state, (data) => {
        const [updated, next] = Store.updateOrganization(organizationId, change)(data)
        return Either.map(
          Either.fromOption(updated, () => organizationNotFound(organizationId)),
          () => Store.commit(undefined, next)
        )
      })
    const service: Service = {
      settings: state.settings,
      requests: Effect.map(Ref.get(state.log), (log) => Chunk.toReadonlyArray(log.entries)),
      droppedRequests: Effect.map(Ref.get(state.log), (log) => log.dropped),
      clearRequests: Ref.set(state.log, RequestLog.empty),
      faults: Ref.get(state.faults),
      setFaults: (plan) => Ref.set(state.faults, Option.some({ plan, drawn: 0 })),
      clearFaults: Ref.set(state.faults, Option.none()),
      snapshot: Store.snapshot(state),
      organizations: read(Store.organizationsOf),
      organization: (id) => read((data) => Store.findOrganization(data, id)),
      teams: (organizationId) => read((data) => Store.teamsOf(data, organizationId)),
      team: (id) => read((data) => Store.findTeam(data, id)),
      setActiveScenarios: (organizationId, count) =>
        changeOrganization(organizationId, (org) => ({ ...org, activeScenarios: Math.max(0, count) })),
      setLicense: (organizationId, patch) =>
        changeOrganization(organizationId, (org) => ({ ...org, license: { ...org.license, ...patch } })),
      users: read((data) => data.users),
      memberships: (organizationId) => read((data) => Store.inOrganization(data.memberships, organizationId)),
      teamRoles: read((data) => data.teamRoles),
      setTeamRole: (role) =>
        Store.transact(state, (data) =>
          Option.isSome(Store.findTeam(data, role.teamId))
            ? Either.right(
              Store.commit(
                undefined,
                Store.setTeamRole({ ...role, userId: role.userId ?? state.settings.userId })(data)
              )
            )
            : Either.left(teamNotFound(role.teamId))),
      invitation: (hash) => read((data) => findInvitation(data, hash)),
      invitations: (organizationId) => read((data) => Store.inOrganization(data.invitations, organizationId)),
      customApps: (organizationId) => read((data) => Store.inOrganization(data.customApps, organizationId)),
      payments: (organizationId) => read((data) => Store.inOrganization(data.payments, organizationId)),
      subscription: (organizationId) => read((data) => currentSubscription(data, organizationId)),
      subscriptions: (organizationId) => read((data) => Store.inOrganization(data.subscriptions, organizationId)),
      variables: (organizationId) => read((data) => Store.inOrganization(data.variables, organizationId)),
      featureControls: (organizationId) => read((data) => Store.inOrganization(data.featureControls, organizationId))
    }
    states.set(service, state)
    return service
  })

/**
 * A fresh emulated instance. Default: token {@link defaultToken}, user 1 ("Awesome Maker", `noreply@make.com`, UTC),
 * sync delay 2 seconds, zone `eu1.make.com`, seeded with {@link defaultSeed}.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options?: Options): Layer.Layer<Emulator> => Layer.effect(Emulator, make(options))

/**
 * The emulator's HTTP app: the contract's handlers mounted under {@link basePath}, behind the request log (with the
 * faults and the rate limit); with `docs`, also `GET /openapi.json` and Swagger UI at `GET /docs`. Mirrors
 * `HttpApiBuilder.toWebHandler`: the API, `Router.Live` and `Middleware.layer` are built together, in the given scope.
 * The app needs the transport's `EmulatorFaults.Connection` to drop connections ({@link layerHttpClient} and
 * {@link layerServer} provide theirs).
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeApp = (
  emulator: Service,
  options?: {
    readonly docs?: boolean | undefined
    readonly servers?: ReadonlyArray<OpenApi.OpenAPISpecServer> | undefined
  }
): Effect.Effect<
  HttpApp.Default<HttpServerError.RouteNotFound, HttpRouter.HttpRouter.DefaultServices | EmulatorFaults.Connection>,
  never,
  Scope.Scope
> =>
  Effect.gen(function*() {
    const state = yield* stateOf(emulator)
    const api = apiLive(state, { servers: options?.servers })
    const docs = options?.docs === true
      ? Layer.merge(HttpApiBuilder.middlewareOpenApi(), EmulatorDocs.layer).pipe(Layer.provide(api))
      : Layer.empty
    const context = yield* Layer.build(
      Layer.mergeAll(api, docs, HttpApiBuilder.Router.Live, HttpApiBuilder.Middleware.layer)
    )
    const apiApp = yield* Effect.provide(HttpApiBuilder.httpApp, context)
    const mounted = HttpRouter.empty.pipe(HttpRouter.mountApp(basePath, withRequestLog(state)(apiApp)))
    // `/openapi.json` and Swagger UI's `/docs` (EmulatorDocs: one self-contained page, never a CDN) live in the API's
    // router; they answer at the root too, outside the request log.
    return options?.docs === true
      ? mounted.pipe(HttpRouter.get("/openapi.json", apiApp), HttpRouter.get(EmulatorDocs.path, apiApp))
      : mounted
  })

/**
 * The `cause` of the `TypeError("fetch failed")` that Node's `fetch` (undici) rejects with when a connection is reset
 * (`read ECONNRESET`) or refused (`connect ECONNREFUSED 127.0.0.1:80`): a system error with `code`, `errno` and
 * `syscall`, as Node's own. What a client inspects to tell a refused request (never sent) from a reset one.
 *
 * @since 0.1.0
 * @category errors
 */
export class ConnectionError extends Error {
  /**
   * Node's error code: `ECONNREFUSED` for a refusal (nothing was sent), `ECONNRESET` for a reset.
   *
   * @since 0.1.0
   */
  readonly code: "ECONNRESET" | "ECONNREFUSED"
  /**
   * Node's errno for that code (the negated system error number).
   *
   * @since 0.1.0
   */
  readonly errno: number
  /**
   * The system call that failed: `connect` for a refusal, `read` for a reset.
   *
   * @since 0.1.0
   */
  readonly syscall: "read" | "connect"
  constructor(fault: EmulatorFaults.ConnectionFault, url: URL) {
    const refused = fault === "refused"
    const port = url.port === "" ? (url.protocol === "https:" ? "443" : "80") : url.port
    super(refused ? `connect ECONNREFUSED ${url.hostname}:${port}` : "read ECONNRESET")
    this.code = refused ? "ECONNREFUSED" : "ECONNRESET"
    // Node's errno is the negated system error number (-104 / -111 on Linux).
    this.errno = -(refused ? constants.errno.ECONNREFUSED : constants.errno.ECONNRESET)
    this.syscall = refused ? "connect" : "read"
  }
}

/**
 * How Node's `fetch` fails for a connection fault: `TypeError("fetch failed")` with a {@link ConnectionError} as
 * `cause`.
 *
 * @since 0.1.0
 * @category errors
 */
export const fetchFailed = (fault: EmulatorFaults.ConnectionFault, url: URL): TypeError =>
  new TypeError("fetch failed", { cause: new ConnectionError(fault, url) })

/**
 * An `HttpClient` whose requests go straight into the emulator, in process: no socket, no port. The app runs on the
 * runtime that builds this layer, so it shares that runtime's `Clock` (a test's `TestClock` drives the sync delay and
 * latency faults). A connection fault rejects the `fetch` as Node's does (see {@link fetchFailed}), so the client sees
 * an `HttpClientError` of reason `Transport` whose cause chain carries `ECONNRESET` or `ECONNREFUSED`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerHttpClient: Layer.Layer<HttpClient.HttpClient, never, Emulator> = Layer.unwrapScoped(
  Effect.gen(function*() {
    const emulator = yield* Emulator
    const app = yield* makeApp(emulator)
    const services = yield* Layer.build(HttpServer.layerContext)
    const runtime = yield* Effect.runtime<never>()
    const transport = Transports.inProcess(fetchFailed)
    const handler = HttpApp.toWebHandlerRuntime(runtime)(
      Effect.provide(app, services).pipe(Effect.provideService(EmulatorFaults.Connection, transport.connection))
    )
    return FetchHttpClient.layer.pipe(Layer.provide(Layer.succeed(FetchHttpClient.Fetch, transport.fetch(handler))))
  })
)

/**
 * An emulated instance and an in-process `HttpClient` to it, in one layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerTest = (options?: Options): Layer.Layer<Emulator | HttpClient.HttpClient> =>
  layerHttpClient.pipe(Layer.provideMerge(layer(options)))

/**
 * Where {@link layerServer} listens.
 *
 * @since 0.1.0
 * @category models
 */
export interface ServerInfo {
  readonly address: HttpServer.Address
  /** `http://127.0.0.1:54321` */
  readonly url: string
  /** `http://127.0.0.1:54321/api/v2`: what a client's base URL should be. */
  readonly baseUrl: string
}

/**
 * The address of a running {@link layerServer}.
 *
 * @since 0.1.0
 * @category tags
 */
export class EmulatorServer extends Context.Tag("effect-make/testing/EmulatorServer")<EmulatorServer, ServerInfo>() {}

/**
 * Node's way to drop a connection: reset the request's socket (`socket.resetAndDestroy()`: a TCP RST), so the
 * client sees `ECONNRESET`, as from a server that crashed or a proxy that gave up.
 *
 * A server cannot refuse a connection it has accepted (refusal happens in the kernel, before any request exists): a
 * `refused` fault resets the socket too, before reading the request, so on a real port the client sees `ECONNRESET`
 * for it as well; the request log still says `refused`. To see a true `ECONNREFUSED`, point a client at a closed port.
 *
 * @since 0.1.0
 * @category transports
 */
export const nodeConnection: EmulatorFaults.ConnectionService = {
  drop: (request) => Effect.sync(() => NodeHttpServerRequest.toIncomingMessage(request).socket.resetAndDestroy())
}

/**
 * The Node HTTP server the emulator listens with ({@link layerServer}, `effect-make emulator`): Node's own, plus 405
 * for `CONNECT`, which Node would otherwise drop without a word.
 *
 * @since 0.1.0
 * @category transports
 */
export const createNodeServer: () => Server = Transports.createNodeServer

/**
 * The emulator on a real port (Node's HTTP server), API under {@link basePath}, plus `GET /openapi.json` and Swagger
 * UI at `GET /docs`. Port 0 (the default) picks a free port; host defaults to `127.0.0.1`, so nothing outside the
 * machine can reach it. Connection faults reset the socket (see {@link nodeConnection}).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerServer = (options?: {
  readonly port?: number | undefined
  readonly host?: string | undefined
}): Layer.Layer<EmulatorServer, HttpServerError.ServeError, Emulator> =>
  Layer.scoped(
    EmulatorServer,
    Effect.gen(function*() {
      const emulator = yield* Emulator
      const server = yield* HttpServer.HttpServer
      const url = HttpServer.formatAddress(server.address)
      const info: ServerInfo = { address: server.address, url, baseUrl: `${url}${basePath}` }
      const app = yield* makeApp(emulator, {
        docs: true,
        servers: [{ url: info.baseUrl, description: "effect-make emulator" }]
      })
      yield* server.serve(Effect.provideService(app, EmulatorFaults.Connection, nodeConnection))
      return info
    })
  ).pipe(
    Layer.provide(NodeHttpServer.layer(createNodeServer, {
      port: options?.port ?? 0,
      host: options?.host ?? "127.0.0.1"
    }))
  )
