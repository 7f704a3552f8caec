// The emulator's behaviour: HttpApiBuilder handlers for the contract's endpoints, the `Token` check, Make's 400 bodies,
// and the request log. Imports `effect`, `@effect/platform`, api/, MakeError and the emulator's state only.
/**
 * @since 0.1.0
 */
import {
  HttpApiBuilder,
  HttpApiError,
  type HttpApp,
  HttpMethod,
  HttpServerError,
  HttpServerRequest,
  HttpServerResponse,
  OpenApi
} from "@effect/platform"
import type { HttpApi } from "@effect/platform"
import {
  Array as Arr,
  Cause,
  Chunk,
  Clock,
  Duration,
  Effect,
  Either,
  Exit,
  Layer,
  Option,
  Order,
  Redacted,
  Ref
} from "effect"
import { MakeHttpApi } from "../api/MakeHttpApi.js"
import { Authentication } from "../api/Security.js"
import * as MakeError from "../MakeError.js"
import {
  addOrganization,
  addTeam,
  type Data,
  type EmulatorState,
  findOrganization,
  type Json,
  type JsonObject,
  type LicenseRecord,
  liveTeamsOf,
  type OrganizationRecord,
  type RecordedRequest,
  removeOrganization,
  type TeamRecord,
  teamsOf,
  updateOrganization,
  updateTeam
} from "./EmulatorState.js"

// ---------------------------------------------------------------------------
// Make's error answers
// ---------------------------------------------------------------------------

/**
 * 401, as Make answers a missing or wrong token.
 *
 * @since 0.1.0
 * @category errors
 */
export const unauthorized = (): MakeError.Unauthorized =>
  new MakeError.Unauthorized({ status: 401, detail: "Invalid credentials.", title: "Access denied", code: "SC401" })

/**
 * 404 for an organization that does not exist (or that the token cannot see).
 *
 * @since 0.1.0
 * @category errors
 */
export const organizationNotFound = (id: number): MakeError.NotFound =>
  new MakeError.NotFound({
    status: 404,
    detail: "Organization not found.",
    title: "Not found",
    code: "SC404",
    resource: "organization",
    id
  })

/**
 * 404 for an organization created moments ago that the zone has not synchronised yet (Make's advice: `wait=true`).
 *
 * @since 0.1.0
 * @category errors
 */
export const organizationNotSynchronised = (id: number): MakeError.NotFound =>
  new MakeError.NotFound({
    status: 404,
    detail: "Organization not found. It may not be synchronized with this zone yet; retry with wait=true.",
    title: "Not found",
    code: "SC404",
    resource: "organization",
    id
  })

/**
 * 404 for a team that does not exist or is deleted.
 *
 * @since 0.1.0
 * @category errors
 */
export const teamNotFound = (id: number): MakeError.NotFound =>
  new MakeError.NotFound({
    status: 404,
    detail: "Team not found.",
    title: "Not found",
    code: "SC404",
    resource: "team",
    id
  })

/**
 * 406 / `IM004`: deleting an organization with active scenarios needs `confirmed=true`.
 *
 * @since 0.1.0
 * @category errors
 */
export const deletionNotConfirmed = (org: OrganizationRecord): MakeError.NotConfirmed =>
  new MakeError.NotConfirmed({
    status: 406,
    detail: `The organization has ${org.activeScenarios} active scenario(s). Set confirmed=true to delete it anyway.`,
    title: "Confirmation required",
    code: "IM004",
    resource: "organization",
    id: org.id
  })

/**
 * 400 / `IM015` with one suberror per problem, as Make answers a request that fails validation.
 *
 * @since 0.1.0
 * @category errors
 */
export const invalidRequest = (problems: ReadonlyArray<string>): MakeError.InvalidRequest =>
  new MakeError.InvalidRequest({
    status: 400,
    detail: `Validation failed for ${problems.length} parameter(s).`,
    title: "Bad request",
    code: "IM015",
    suberrors: problems.map((message) => ({ message }))
  })

/** `path.to.field: message`, the way a suberror names the offending parameter. */
const describeIssue = (issue: HttpApiError.HttpApiDecodeError["issues"][number]): string =>
  issue.path.length === 0 ? issue.message : `${issue.path.map(String).join(".")}: ${issue.message}`

/**
 * Make's 400 for a request the contract's schemas rejected.
 *
 * @since 0.1.0
 * @category errors
 */
export const fromDecodeError = (error: HttpApiError.HttpApiDecodeError): MakeError.InvalidRequest =>
  invalidRequest(error.issues.length === 0 ? [error.message] : error.issues.map(describeIssue))

const errorResponse = (error: MakeError.NotFound | MakeError.InvalidRequest) =>
  HttpServerResponse.unsafeJson(MakeError.toBody(error), { status: error.status })

// ---------------------------------------------------------------------------
// Wire bodies (the quirks of the fixtures live here)
// ---------------------------------------------------------------------------

const ok = (body: JsonObject) => HttpServerResponse.unsafeJson(body)

/** The licence as GET sends it: `apps` always an array. */
const licenseBody = (license: LicenseRecord): JsonObject => ({ ...license })

/** The licence as PATCH sends it: with exactly one app, `apps` is that app's name (fixtures/organizations/update.json). */
const licenseBodyOfUpdate = (license: LicenseRecord): JsonObject => ({
  ...license,
  apps: Arr.match(license.apps, {
    onEmpty: () => [],
    onNonEmpty: (apps) => apps.length === 1 ? Arr.headNonEmpty(apps) : apps
  })
})

const teamSummaries = (teams: ReadonlyArray<TeamRecord>): ReadonlyArray<JsonObject> =>
  teams.map((team) => ({ id: team.id, name: team.name }))

/**
 * `GET /organizations/{id}`: the shape of fixtures/organizations/get.json, counters as strings.
 *
 * @since 0.1.0
 * @category wire
 */
export const organizationDetail = (org: OrganizationRecord, teams: ReadonlyArray<TeamRecord>): JsonObject => ({
  id: org.id,
  name: org.name,
  serviceName: org.serviceName,
  nextReset: org.nextReset,
  operations: org.operations,
  transfer: org.transfer,
  operationsExt: org.operationsExt,
  transferExt: org.transferExt,
  unusedOperations: org.unusedOperations,
  unusedTransfer: org.unusedTransfer,
  isPaused: org.isPaused,
  countryId: org.countryId,
  timezoneId: org.timezoneId,
  deleted: false,
  license: licenseBody(org.license),
  features: org.features,
  zone: org.zone,
  teams: teamSummaries(teams),
  privateSpaces: org.privateSpaces
})

/**
 * `POST /organizations`: the shape of fixtures/organizations/create.json.
 *
 * @since 0.1.0
 * @category wire
 */
export const organizationCreated = (org: OrganizationRecord, teams: ReadonlyArray<TeamRecord>): JsonObject => ({
  id: org.id,
  name: org.name,
  timezoneId: org.timezoneId,
  countryId: org.countryId,
  license: licenseBody(org.license),
  zone: org.zone,
  serviceName: org.serviceName,
  teams: teamSummaries(teams),
  isPaused: org.isPaused
})

/**
 * `PATCH /organizations/{id}`: the shape of fixtures/organizations/update.json (`id` last, `license.apps` quirk).
 *
 * @since 0.1.0
 * @category wire
 */
export const organizationUpdated = (org: OrganizationRecord, teams: ReadonlyArray<TeamRecord>): JsonObject => ({
  name: org.name,
  countryId: org.countryId,
  timezoneId: org.timezoneId,
  license: licenseBodyOfUpdate(org.license),
  zone: org.zone,
  serviceName: org.serviceName,
  teams: teamSummaries(teams),
  isPaused: org.isPaused,
  id: org.id
})

/**
 * Every column `cols[]` can select on an organization (also what `pg[sortBy]` sorts on).
 *
 * @since 0.1.0
 * @category wire
 */
export const organizationColumns = (org: OrganizationRecord, teams: ReadonlyArray<TeamRecord>): JsonObject => ({
  id: org.id,
  name: org.name,
  countryId: org.countryId,
  timezoneId: org.timezoneId,
  license: licenseBody(org.license),
  zone: org.zone,
  serviceName: org.serviceName,
  teams: teamSummaries(teams),
  isPaused: org.isPaused,
  externalId: org.externalId,
  productName: org.productName
})

/**
 * The columns `GET /organizations` answers without `cols[]` (fixtures/organizations/list.json).
 *
 * @since 0.1.0
 * @category wire
 */
export const defaultOrganizationColumns: ReadonlyArray<string> = ["id", "name", "timezoneId"]

/** Make sends these only for organizations in the zone of the request (organizations.txt). */
const zoneOnlyColumns: ReadonlyArray<string> = ["license", "serviceName", "isPaused"]

/** Picks `cols` from a column view, in the order asked, skipping unknown ones. */
const project = (view: JsonObject, cols: ReadonlyArray<string>): JsonObject =>
  Object.fromEntries(Arr.filterMap(cols, (col) => Option.map(Option.fromNullable(view[col]), (value) => [col, value])))

/**
 * An item of `GET /organizations`: the selected columns, plus `privateSpaces` whenever the organization has some
 * (fixtures/organizations/list.json sends them although no column asked for them).
 *
 * @since 0.1.0
 * @category wire
 */
export const organizationListItem = (
  org: OrganizationRecord,
  teams: ReadonlyArray<TeamRecord>,
  cols: ReadonlyArray<string>,
  zone: string
): JsonObject => {
  const visible = org.zone === zone ? cols : cols.filter((col) => !zoneOnlyColumns.includes(col))
  const item = project(organizationColumns(org, teams), visible)
  return org.privateSpaces.length === 0 ? item : { ...item, privateSpaces: org.privateSpaces }
}

/**
 * A team as Admin > Teams lists and updates it (admin-teams.txt).
 *
 * @since 0.1.0
 * @category wire
 */
export const teamBody = (team: TeamRecord): JsonObject => ({
  id: team.id,
  name: team.name,
  organizationId: team.organizationId,
  scenarioDrafts: team.scenarioDrafts,
  deleted: team.deleted,
  externalId: team.externalId
})

/**
 * A team as `POST /admin/teams` answers it: `operationsLimit` a number, `transferLimit` a string
 * (fixtures/teams/create.json).
 *
 * @since 0.1.0
 * @category wire
 */
export const teamCreated = (team: TeamRecord): JsonObject => ({
  id: team.id,
  name: team.name,
  organizationId: team.organizationId,
  operationsLimit: team.operationsLimit,
  transferLimit: team.transferLimit
})

// ---------------------------------------------------------------------------
// Paging and sorting
// ---------------------------------------------------------------------------

/**
 * The paging part of a list's query, decoded.
 *
 * @since 0.1.0
 * @category models
 */
export interface PageQuery {
  readonly offset?: number | undefined
  readonly limit?: number | undefined
  readonly sortBy?: string | undefined
  readonly sortDir?: "asc" | "desc" | undefined
}

const sign = (n: number): -1 | 0 | 1 => n < 0 ? -1 : n > 0 ? 1 : 0

/** Make-ish ordering of column values: numbers and strings naturally, `null` and missing last. */
const compareJson = (a: Json | undefined, b: Json | undefined): -1 | 0 | 1 => {
  if (a === b) return 0
  if (a === undefined || a === null) return 1
  if (b === undefined || b === null) return -1
  if (typeof a === "number" && typeof b === "number") return sign(a - b)
  if (typeof a === "string" && typeof b === "string") return sign(a.localeCompare(b))
  if (typeof a === "boolean" && typeof b === "boolean") return sign(Number(a) - Number(b))
  return sign(JSON.stringify(a).localeCompare(JSON.stringify(b)))
}

/**
 * Sorts, then cuts one page; `pg` echoes what was applied, in the order of fixtures/organizations/list.json. An
 * unknown `pg[sortBy]` is a 400, as validation failures are.
 *
 * @since 0.1.0
 * @category paging
 */
export const paginate = <A extends { readonly id: number }>(
  items: ReadonlyArray<A>,
  columns: (item: A) => JsonObject,
  query: PageQuery
): Either.Either<
  { readonly items: ReadonlyArray<A>; readonly pg: JsonObject },
  MakeError.InvalidRequest
> => {
  const sortBy = query.sortBy ?? "name"
  const sortDir = query.sortDir ?? "asc"
  const offset = query.offset ?? 0
  const limit = query.limit ?? 10_000
  const sortable = Arr.match(items, { onEmpty: () => [sortBy], onNonEmpty: (all) => Object.keys(columns(all[0])) })
  if (!sortable.includes(sortBy)) {
    return Either.left(invalidRequest([`pg[sortBy]: expected one of ${sortable.join(", ")}, got "${sortBy}"`]))
  }
  const byColumn = Order.make<A>((a, b) => compareJson(columns(a)[sortBy], columns(b)[sortBy]))
  const order = Order.combine(
    sortDir === "asc" ? byColumn : Order.reverse(byColumn),
    Order.mapInput(Order.number, (item: A) => item.id)
  )
  return Either.right({
    items: Arr.sort(items, order).slice(offset, offset + limit),
    pg: { sortBy, sortDir, limit, offset }
  })
}

// ---------------------------------------------------------------------------
// Authentication
// ---------------------------------------------------------------------------

/**
 * Whether an `Authorization` header value carries the accepted token (`Token <api-token>`).
 *
 * @since 0.1.0
 * @category authentication
 */
export const acceptsAuthorization = (state: EmulatorState, header: string | undefined): boolean =>
  header !== undefined && header.trim() === `Token ${Redacted.value(state.settings.token)}`

/**
 * The `Authentication` middleware of the contract: 401 with Make's body unless the header carries the token.
 *
 * @since 0.1.0
 * @category layers
 */
export const authenticationLive = (state: EmulatorState): Layer.Layer<Authentication> =>
  Layer.succeed(
    Authentication,
    Authentication.of({
      token: (header) => acceptsAuthorization(state, Redacted.value(header)) ? Effect.void : Effect.fail(unauthorized())
    })
  )

// ---------------------------------------------------------------------------
// Handlers
// ---------------------------------------------------------------------------

const lookUp = (data: Data, id: number): Effect.Effect<OrganizationRecord, MakeError.NotFound> =>
  Option.match(findOrganization(data, id), {
    onNone: () => Effect.fail(organizationNotFound(id)),
    onSome: Effect.succeed
  })

const matchesOptional = <A>(wanted: A | undefined, actual: A): boolean => wanted === undefined || wanted === actual

/**
 * The Organizations group over the state.
 *
 * @since 0.1.0
 * @category layers
 */
export const organizationsLive = (state: EmulatorState) =>
  HttpApiBuilder.group(MakeHttpApi, "organizations", (handlers) =>
    handlers
      .handle("list", ({ urlParams }) =>
        Effect.gen(function*() {
          const data = yield* Ref.get(state.data)
          const candidates = data.organizations.filter((org) =>
            matchesOptional(urlParams.zone, org.zone) && matchesOptional(urlParams.externalId, org.externalId)
          )
          const page = yield* paginate(
            candidates,
            (org) => organizationColumns(org, liveTeamsOf(data, org.id)),
            urlParams
          )
          const cols = urlParams.cols ?? defaultOrganizationColumns
          return ok({
            organizations: page.items.map((org) =>
              organizationListItem(org, liveTeamsOf(data, org.id), cols, state.settings.zone)
            ),
            pg: page.pg
          })
        }))
      .handle("create", ({ payload }) =>
        Effect.gen(function*() {
          const createdAt = yield* Clock.currentTimeMillis
          const syncedAt = createdAt + Duration.toMillis(state.settings.syncDelay)
          const { organization, team } = yield* Ref.modify(
            state.data,
            addOrganization(payload, { createdAt, syncedAt }, state.settings.zone)
          )
          return ok({
            organization: organizationCreated(organization, [team]),
            userOrganizationRole: {
              userId: state.settings.userId,
              organizationId: organization.id,
              usersRoleId: 11,
              invitation: null
            }
          })
        }))
      .handle("get", ({ path, urlParams }) =>
        Effect.gen(function*() {
          const org = yield* Effect.flatMap(Ref.get(state.data), (data) => lookUp(data, path.organizationId))
          const now = yield* Clock.currentTimeMillis
          if (now < org.syncedAt) {
            if (urlParams.wait !== true) return yield* organizationNotSynchronised(org.id)
            // Make holds a `wait=true` request until the zone has the organization; so does the emulator.
            yield* Effect.sleep(Duration.millis(org.syncedAt - now))
          }
          // Read again: the organization may have changed, or gone, while the request waited.
          const data = yield* Ref.get(state.data)
          const current = yield* lookUp(data, path.organizationId)
          return ok({ organization: organizationDetail(current, liveTeamsOf(data, current.id)) })
        }))
      .handle("update", ({ path, payload }) =>
        Effect.gen(function*() {
          const updated = yield* Ref.modify(
            state.data,
            updateOrganization(path.organizationId, (org) => ({
              ...org,
              name: payload.name ?? org.name,
              countryId: payload.countryId ?? org.countryId,
              timezoneId: payload.timezoneId ?? org.timezoneId
            }))
          )
          const org = yield* Option.match(updated, {
            onNone: () => Effect.fail(organizationNotFound(path.organizationId)),
            onSome: Effect.succeed
          })
          const data = yield* Ref.get(state.data)
          return ok({ organization: organizationUpdated(org, liveTeamsOf(data, org.id)) })
        }))
      .handle("delete", ({ path, urlParams }) =>
        Effect.gen(function*() {
          const id = path.organizationId
          // Check and delete in one atomic step, so that a refused deletion changes nothing.
          const outcome = yield* Ref.modify(
            state.data,
            (data): readonly [Either.Either<number, MakeError.NotFound | MakeError.NotConfirmed>, Data] =>
              Option.match(findOrganization(data, id), {
                onNone: () => [Either.left(organizationNotFound(id)), data],
                onSome: (org) =>
                  org.activeScenarios > 0 && urlParams.confirmed !== true
                    ? [Either.left(deletionNotConfirmed(org)), data]
                    : [Either.right(id), removeOrganization(id)(data)]
              })
          )
          const deleted = yield* outcome
          return ok({ organization: deleted })
        })))

/**
 * The White Label Admin > Teams group over the state.
 *
 * @since 0.1.0
 * @category layers
 */
export const adminTeamsLive = (state: EmulatorState) =>
  HttpApiBuilder.group(MakeHttpApi, "adminTeams", (handlers) =>
    handlers
      .handle("list", ({ urlParams }) =>
        Effect.gen(function*() {
          const data = yield* Ref.get(state.data)
          const org = yield* lookUp(data, urlParams.organizationId)
          const teams = teamsOf(data, org.id).filter((team) => matchesOptional(urlParams.externalId, team.externalId))
          const page = yield* paginate(teams, teamBody, urlParams)
          return ok({ teams: page.items.map(teamBody), pg: page.pg })
        }))
      .handle("create", ({ payload }) =>
        Effect.gen(function*() {
          const created = yield* Ref.modify(
            state.data,
            (data): readonly [Option.Option<TeamRecord>, Data] =>
              Option.match(findOrganization(data, payload.organizationId), {
                onNone: () => [Option.none(), data],
                onSome: () => {
                  const [team, next] = addTeam(payload)(data)
                  return [Option.some(team), next]
                }
              })
          )
          const team = yield* Option.match(created, {
            onNone: () => Effect.fail(organizationNotFound(payload.organizationId)),
            onSome: Effect.succeed
          })
          return ok({
            team: teamCreated(team),
            userTeamRole: {
              usersRoleId: 1,
              userId: payload.userTeamAdmin ?? state.settings.userId,
              teamId: team.id,
              changeable: false,
              ssoPending: false
            }
          })
        }))
      .handle("update", ({ path, payload }) =>
        Effect.gen(function*() {
          const updated = yield* Ref.modify(
            state.data,
            updateTeam(path.teamId, (team) => ({ ...team, name: payload.name ?? team.name }))
          )
          return yield* Option.match(updated, {
            onNone: () => Effect.fail(teamNotFound(path.teamId)),
            onSome: (team) => Effect.succeed(ok(teamBody(team)))
          })
        }))
      .handle("delete", ({ path }) =>
        Effect.gen(function*() {
          // Make keeps a deleted team: Admin > Teams goes on listing it with `deleted: true`.
          const deleted = yield* Ref.modify(state.data, updateTeam(path.teamId, (team) => ({ ...team, deleted: true })))
          return yield* Option.match(deleted, {
            onNone: () => Effect.fail(teamNotFound(path.teamId)),
            onSome: (team) => Effect.succeed(ok({ team: team.id }))
          })
        })))

// ---------------------------------------------------------------------------
// Make's 400s
// ---------------------------------------------------------------------------

const decodeErrorIn = (cause: Cause.Cause<unknown>): Option.Option<HttpApiError.HttpApiDecodeError> =>
  Cause.find(cause, (reason) => {
    if (!Cause.isFailType(reason)) return Option.none()
    const error: unknown = reason.error
    return error instanceof HttpApiError.HttpApiDecodeError ? Option.some(error) : Option.none()
  })

/**
 * API-level middleware: a request the contract's schemas reject answers Make's 400 (`IM015` with `suberrors`)
 * instead of effect's `HttpApiDecodeError` body.
 *
 * @since 0.1.0
 * @category layers
 */
export const makeValidationErrorsLive: Layer.Layer<never> = HttpApiBuilder.middleware(
  MakeHttpApi,
  (app) =>
    Effect.catchAllCause(app, (cause) =>
      Option.match(decodeErrorIn(cause), {
        onNone: () => Effect.failCause(cause),
        onSome: (error) => Effect.fail(fromDecodeError(error))
      }))
)

/**
 * The whole contract implemented over the state: `HttpApi.Api` with both groups, the `Token` check and Make's 400s.
 * Build it together with `HttpApiBuilder.Router.Live` and `HttpApiBuilder.Middleware.layer`. `servers` replaces the
 * contract's servers in the OpenAPI document (an emulator on a port documents its own address).
 *
 * @since 0.1.0
 * @category layers
 */
export const apiLive = (
  state: EmulatorState,
  options?: { readonly servers?: ReadonlyArray<OpenApi.OpenAPISpecServer> | undefined }
): Layer.Layer<HttpApi.Api> =>
  Layer.mergeAll(
    HttpApiBuilder.api(
      options?.servers === undefined ? MakeHttpApi : MakeHttpApi.annotate(OpenApi.Servers, options.servers)
    ).pipe(
      Layer.provide([organizationsLive(state), adminTeamsLive(state)]),
      Layer.provide(authenticationLive(state))
    ),
    makeValidationErrorsLive
  )

// ---------------------------------------------------------------------------
// Request log
// ---------------------------------------------------------------------------

type BodyRead =
  | { readonly _tag: "Empty" }
  | { readonly _tag: "Json"; readonly value: unknown }
  | { readonly _tag: "Malformed"; readonly text: string }

const parseBody = (text: string): BodyRead =>
  text.trim() === "" ? { _tag: "Empty" } : Either.match(Either.try((): unknown => JSON.parse(text)), {
    onLeft: () => ({ _tag: "Malformed", text }),
    onRight: (value) => ({ _tag: "Json", value })
  })

// The body is read here once; the request caches it, so the handler reads the same text afterwards.
const readBody = (request: HttpServerRequest.HttpServerRequest): Effect.Effect<BodyRead> =>
  HttpMethod.hasBody(request.method)
    ? request.text.pipe(Effect.map(parseBody), Effect.orElseSucceed((): BodyRead => ({ _tag: "Empty" })))
    : Effect.succeed({ _tag: "Empty" })

const bodyValue = (body: BodyRead): unknown =>
  body._tag === "Json" ? body.value : body._tag === "Malformed" ? body.text : undefined

// Only requests that must carry a JSON body: a DELETE without one is fine.
const needsJsonBody = (method: string): boolean => method === "POST" || method === "PUT" || method === "PATCH"

const placeholderBase = "http://emulator.invalid"

/**
 * The query of a URL under Make's raw names; `name[]` keys (and repeated keys) are arrays.
 *
 * @since 0.1.0
 * @category request log
 */
export const queryOf = (url: string): { readonly [name: string]: string | ReadonlyArray<string> } => {
  const params = new URL(url, placeholderBase).searchParams
  return Object.fromEntries(
    Arr.dedupe(Array.from(params.keys())).map((name) => {
      const values = params.getAll(name)
      return [name, name.endsWith("[]") || values.length > 1 ? values : values.join("")]
    })
  )
}

const pathOf = (url: string): string => new URL(url, placeholderBase).pathname

const routeNotFoundIn = (cause: Cause.Cause<unknown>): boolean =>
  Option.isSome(Cause.find(cause, (reason) => {
    if (!Cause.isFailType(reason)) return Option.none()
    const error: unknown = reason.error
    return HttpServerError.isServerError(error) && error._tag === "RouteNotFound" ? Option.some(error) : Option.none()
  }))

const routeNotFound = new MakeError.NotFound({
  status: 404,
  detail: "The requested endpoint does not exist.",
  title: "Not found",
  code: "SC404"
})

const statusOf = <E>(exit: Exit.Exit<HttpServerResponse.HttpServerResponse, E>): Effect.Effect<number> =>
  Exit.match(exit, {
    onSuccess: (response) => Effect.succeed(response.status),
    onFailure: (cause) => Effect.map(HttpServerError.causeResponse(cause), ([response]) => response.status)
  })

/**
 * Wraps the API app (mounted under the base URL, so it sees paths without `/api/v2`): records every request with
 * the status it got, never the `Authorization` value; answers Make's 400 for a body that is not JSON and Make's 404
 * for an unknown endpoint.
 *
 * @since 0.1.0
 * @category request log
 */
export const withRequestLog = (state: EmulatorState) => <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R> =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const at = yield* Clock.currentTimeMillis
    const authenticated = acceptsAuthorization(state, request.headers["authorization"])
    const body = yield* readBody(request)
    const answer = authenticated && needsJsonBody(request.method) && body._tag !== "Json"
      ? Effect.succeed(errorResponse(invalidRequest(["body: expected a JSON body"])))
      : Effect.catchAllCause(
        app,
        (cause) => routeNotFoundIn(cause) ? Effect.succeed(errorResponse(routeNotFound)) : Effect.failCause(cause)
      )
    const entry = (status: number): RecordedRequest => ({
      method: request.method,
      path: pathOf(request.url),
      query: queryOf(request.url),
      body: bodyValue(body),
      status,
      authenticated,
      at
    })
    return yield* Effect.onExit(
      answer,
      (exit) => Effect.flatMap(statusOf(exit), (status) => Ref.update(state.log, Chunk.append(entry(status))))
    )
  })
