// The emulator's behaviour: HttpApiBuilder handlers for the contract's 30 endpoints, the `Token` check, Make's error
// bodies, the request log with faults and rate limit. Imports `effect`, `@effect/platform`, api/, MakeError, testing/.
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
  DateTime,
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
  amountOf,
  dayAt,
  dayMillis,
  defaultInvitedRoleId,
  findCoupon,
  findPrice,
  isoOf,
  offsetMinutesOf,
  roleGrants,
  usageOf
} from "./EmulatorCatalog.js"
import {
  admit,
  Connection,
  type ConnectionFault,
  draw,
  type Fault,
  faultOf,
  type RequestLine,
  retryAfterValue,
  serverError,
  tooManyRequests,
  truncate
} from "./EmulatorFaults.js"
import {
  acceptInvitation,
  addInvitation,
  addOrganization,
  addPayment,
  addSubscription,
  addTeam,
  addVariable,
  type Change,
  currentSubscription,
  type CustomAppRecord,
  customAppsOf,
  type Data,
  type EmulatorState,
  type FeatureControlRecord,
  featureControlsOf,
  findInvitation,
  findOrganization,
  findTeam,
  findUserByEmail,
  findVariable,
  type InvitationRecord,
  isMember,
  type Json,
  type JsonObject,
  type LicenseRecord,
  liveTeamRolesOf,
  liveTeamsOf,
  type OrganizationRecord,
  type PaymentRecord,
  paymentsOf,
  productNameOf,
  type RecordedRequest,
  removeOrganization,
  removeVariable,
  replaceSubscription,
  setFeatureControl,
  type SubscriptionRecord,
  type TeamRecord,
  teamsLicense,
  teamsOf,
  tokenUser,
  type TypedValue,
  updateOrganization,
  updateTeam,
  updateVariable,
  type VariableRecord,
  variablesOf
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

/**
 * Make's bare 404 (`{"detail":"Not found.","message":"Not found","code":"SC404"}`), as the organization variable
 * calls answer a missing organization, a licence without `customVariables` and a missing variable alike: the API
 * does not tell them apart, so neither does the emulator (telling them apart is the client's job).
 *
 * @since 0.1.0
 * @category errors
 */
export const bareNotFound = (): MakeError.NotFound =>
  new MakeError.NotFound({ status: 404, detail: "Not found.", title: "Not found", code: "SC404" })

/**
 * 404 for an invitation hash that is unknown or already accepted.
 *
 * @since 0.1.0
 * @category errors
 */
export const invitationNotFound = (hash: string): MakeError.NotFound =>
  new MakeError.NotFound({
    status: 404,
    detail: "Invitation not found.",
    title: "Not found",
    code: "SC404",
    resource: "invitation",
    id: hash
  })

/**
 * 404 for an organization without a current subscription (none, or cancelled).
 *
 * @since 0.1.0
 * @category errors
 */
export const noActiveSubscription = (organizationId: number): MakeError.NotFound =>
  new MakeError.NotFound({
    status: 404,
    detail: "No active subscription.",
    title: "Not found",
    code: "SC404",
    resource: "subscription",
    id: organizationId
  })

/**
 * 404 for a feature control the organization does not have.
 *
 * @since 0.1.0
 * @category errors
 */
export const featureControlNotFound = (id: number): MakeError.NotFound =>
  new MakeError.NotFound({
    status: 404,
    detail: "Feature control not found.",
    title: "Not found",
    code: "SC404",
    resource: "featureControl",
    id
  })

/**
 * 406 / `IM004` for a confirmation-guarded call made without `confirmed=true`.
 *
 * @since 0.1.0
 * @category errors
 */
export const notConfirmed = (
  detail: string,
  resource: MakeError.Resource,
  id: number | string
): MakeError.NotConfirmed =>
  new MakeError.NotConfirmed({ status: 406, detail, title: "Confirmation required", code: "IM004", resource, id })

/**
 * 400 for a well-formed request that the state refuses (a conflict rather than a validation failure).
 *
 * @since 0.1.0
 * @category errors
 */
export const badRequest = (detail: string): MakeError.InvalidRequest =>
  new MakeError.InvalidRequest({ status: 400, detail, title: "Bad request", code: "SC400" })

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

/**
 * A custom app as `GET /organizations/{id}/apps` lists it.
 *
 * @since 0.1.0
 * @category wire
 */
export const customAppBody = (app: CustomAppRecord): JsonObject => ({
  name: app.name,
  label: app.label,
  version: app.version,
  public: app.public,
  approved: app.approved,
  theme: app.theme,
  description: app.description
})

/**
 * An invitation as invite and invitation detail answer it (`note` is `null` when there is none).
 *
 * @since 0.1.0
 * @category wire
 */
export const invitationBody = (invitation: InvitationRecord, organization: OrganizationRecord): JsonObject => ({
  hash: invitation.hash,
  organizationId: invitation.organizationId,
  organizationName: organization.name,
  email: invitation.email,
  name: invitation.name,
  usersRoleId: invitation.usersRoleId,
  note: invitation.note,
  teamsId: invitation.teamsId,
  accepted: invitation.accepted
})

/**
 * A payment (also what `pg[sortBy]` sorts payments on).
 *
 * @since 0.1.0
 * @category wire
 */
export const paymentBody = (payment: PaymentRecord): JsonObject => ({
  id: payment.id,
  priceId: payment.priceId,
  quantity: payment.quantity,
  amount: payment.amount,
  currency: payment.currency,
  status: payment.status,
  couponCode: payment.couponCode,
  createdAt: payment.createdAt
})

/**
 * A subscription.
 *
 * @since 0.1.0
 * @category wire
 */
export const subscriptionBody = (subscription: SubscriptionRecord): JsonObject => ({
  id: subscription.id,
  priceId: subscription.priceId,
  status: subscription.status,
  productName: subscription.productName,
  couponCode: subscription.couponCode,
  createdAt: subscription.createdAt,
  nextBillingAt: subscription.nextBillingAt
})

/**
 * A custom organization variable.
 *
 * @since 0.1.0
 * @category wire
 */
export const variableBody = (variable: VariableRecord): JsonObject => ({
  name: variable.name,
  typeId: variable.typeId,
  value: variable.value,
  isSystem: false
})

/**
 * The system variables of an organization, derived from it (so they follow a rename): `$organizationId` (number)
 * and `$organizationName` (string). Read-only; listed whatever the licence.
 *
 * @since 0.1.0
 * @category wire
 */
export const systemVariables = (org: OrganizationRecord): ReadonlyArray<JsonObject> => [
  { name: "$organizationId", typeId: 1, value: org.id, isSystem: true },
  { name: "$organizationName", typeId: 2, value: org.name, isSystem: true }
]

const systemVariableNames: ReadonlyArray<string> = ["$organizationId", "$organizationName"]

const isSystemVariableName = (name: string): boolean => systemVariableNames.includes(name)

/**
 * A variable's history, newest first. An update shows `originalValue` and `newValue`; the creation (the only entry
 * of a variable never updated) shows the `value` it was created with, which for such a variable is its current value.
 *
 * @since 0.1.0
 * @category wire
 */
export const historyBody = (variable: VariableRecord): ReadonlyArray<JsonObject> =>
  Arr.reverse(variable.history).map((entry): JsonObject => {
    const author: JsonObject = { id: entry.author.id, name: entry.author.name, email: entry.author.email }
    const values: JsonObject = entry.change._tag === "Created"
      ? { value: entry.change.value }
      : { originalValue: entry.change.originalValue, newValue: entry.change.newValue }
    return { id: entry.id, diffObject: { ...values, timestamp: entry.timestamp, author } }
  })

/**
 * A feature control, every column.
 *
 * @since 0.1.0
 * @category wire
 */
export const featureControlBody = (control: FeatureControlRecord): JsonObject => ({
  id: control.id,
  name: control.name,
  enabled: control.enabled,
  description: control.description
})

/**
 * One day of usage: counters as numbers, except `dataTransfer` as a numeric string (a quirk the client tolerates,
 * as it does for the organization counters).
 *
 * @since 0.1.0
 * @category wire
 */
export const usageDayBody = (organizationId: number, date: string): JsonObject => {
  const usage = usageOf(organizationId, date)
  return {
    date,
    operations: usage.operations,
    dataTransfer: String(usage.dataTransfer),
    centicredits: usage.centicredits
  }
}

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
 * unknown `pg[sortBy]` is a 400, as validation failures are. Without `pg[sortBy]`/`pg[sortDir]`, the list's own
 * defaults apply (by name, ascending, unless said otherwise).
 *
 * @since 0.1.0
 * @category paging
 */
export const paginate = <A extends { readonly id: number }>(
  items: ReadonlyArray<A>,
  columns: (item: A) => JsonObject,
  query: PageQuery,
  defaults: { readonly sortBy: string; readonly sortDir: "asc" | "desc" } = { sortBy: "name", sortDir: "asc" }
): Either.Either<
  { readonly items: ReadonlyArray<A>; readonly pg: JsonObject },
  MakeError.InvalidRequest
> => {
  const sortBy = query.sortBy ?? defaults.sortBy
  const sortDir = query.sortDir ?? defaults.sortDir
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
            addOrganization(payload, { createdAt, syncedAt }, state.settings.zone, state.settings.userId)
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
        }))
      .handle("apps", ({ path }) =>
        Effect.gen(function*() {
          const data = yield* Ref.get(state.data)
          const org = yield* lookUp(data, path.organizationId)
          return ok({ apps: customAppsOf(data, org.id).map(customAppBody) })
        }))
      .handle("checkTeamPermission", ({ path, urlParams }) =>
        Effect.gen(function*() {
          const data = yield* Ref.get(state.data)
          const org = yield* lookUp(data, path.organizationId)
          // Held if any role of the token's user, in any team of the organization that is not deleted, grants it.
          const hasPermission = liveTeamRolesOf(data, state.settings.userId, org.id).some((role) =>
            roleGrants(role.usersRoleId, urlParams.teamPermission)
          )
          return ok({ hasPermission })
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
          // Whoever the request names as the team's admin (else the token's user) becomes its Team Admin.
          const admin = payload.userTeamAdmin ?? state.settings.userId
          const created = yield* Ref.modify(
            state.data,
            (data): readonly [Option.Option<TeamRecord>, Data] =>
              Option.match(findOrganization(data, payload.organizationId), {
                onNone: () => [Option.none(), data],
                onSome: () => {
                  const [team, next] = addTeam(payload, admin)(data)
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
              userId: admin,
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
// Handlers of the areas added to Organizations: each `transact` checks and changes the data in one `Ref.modify`,
// so a refused request changes nothing and concurrent requests never see half a change.
// ---------------------------------------------------------------------------

/**
 * Runs a check-and-change on the data atomically: `Left` leaves the data as it was and fails with the error,
 * `Right` stores the new data and succeeds with the result.
 *
 * @since 0.1.0
 * @category combinators
 */
export const transact = <A, E>(
  state: EmulatorState,
  step: (data: Data) => Either.Either<readonly [A, Data], E>
): Effect.Effect<A, E> =>
  Effect.flatMap(
    Ref.modify(state.data, (data): readonly [Either.Either<A, E>, Data] =>
      Either.match(step(data), {
        onLeft: (error) => [Either.left(error), data],
        onRight: ([result, next]) => [Either.right(result), next]
      })),
    (outcome) => outcome
  )

/** The outcome of a successful check-and-change: what to answer, and the data to store. */
const commit = <A>(result: A, data: Data): readonly [A, Data] => [result, data]

const requireOrganization = (data: Data, id: number): Either.Either<OrganizationRecord, MakeError.NotFound> =>
  Either.fromOption(findOrganization(data, id), () => organizationNotFound(id))

const nowIso = Effect.map(Clock.currentTimeMillis, isoOf)

/**
 * The Invitations group over the state.
 *
 * @since 0.1.0
 * @category layers
 */
export const invitationsLive = (state: EmulatorState) =>
  HttpApiBuilder.group(MakeHttpApi, "invitations", (handlers) =>
    handlers
      .handle("invite", ({ path, payload }) =>
        Effect.gen(function*() {
          const createdAt = yield* nowIso
          const { invitation, org } = yield* transact(state, (data) =>
            Either.gen(function*() {
              const org = yield* requireOrganization(data, path.organizationId)
              const teamIds = liveTeamsOf(data, org.id).map((team) => team.id)
              const teamsId = payload.teamsId ?? []
              const problems = Arr.filterMap(teamsId, (teamId, i) =>
                teamIds.includes(teamId)
                  ? Option.none()
                  : Option.some(`teamsId.${i}: team ${teamId} is not a team of organization ${org.id}`))
              const member = Option.exists(
                findUserByEmail(data, payload.email),
                (user) => isMember(data, user.id, org.id)
              )
              const all = member
                ? Arr.append(problems, `email: ${payload.email} is already a member of organization ${org.id}`)
                : problems
              if (all.length > 0) return yield* Either.left(invalidRequest(all))
              const [invitation, next] = addInvitation({
                organizationId: org.id,
                email: payload.email,
                name: payload.name,
                usersRoleId: payload.usersRoleId ?? defaultInvitedRoleId,
                note: payload.note ?? null,
                teamsId,
                createdAt
              })(data)
              return commit({ invitation, org }, next)
            }))
          return ok({ invitation: invitationBody(invitation, org) })
        }))
      .handle("get", ({ urlParams }) =>
        Effect.gen(function*() {
          const data = yield* Ref.get(state.data)
          const invitation = yield* Either.fromOption(
            findInvitation(data, urlParams.hash),
            () => invitationNotFound(urlParams.hash)
          )
          const org = yield* requireOrganization(data, invitation.organizationId)
          return ok({ invitation: invitationBody(invitation, org) })
        }))
      .handle("accept", ({ payload }) =>
        Effect.gen(function*() {
          // An invitation can be accepted once: afterwards its hash is as unknown as a wrong one.
          const membership = yield* transact(state, (data) =>
            Either.map(
              Either.fromOption(
                Option.filter(findInvitation(data, payload.hash), (invitation) => !invitation.accepted),
                () => invitationNotFound(payload.hash)
              ),
              (invitation) => acceptInvitation(invitation)(data)
            ))
          return ok({
            userOrganizationRole: {
              userId: membership.userId,
              organizationId: membership.organizationId,
              usersRoleId: membership.usersRoleId,
              invitation: null
            }
          })
        })))

/** The problem of a coupon code, if the coupon is unknown. */
const couponProblems = (couponCode: string | undefined): ReadonlyArray<string> =>
  couponCode === undefined || Option.isSome(findCoupon(couponCode))
    ? []
    : [`couponCode: unknown coupon "${couponCode}"`]

/** The problems of a price and an optional coupon, one suberror each, for the kind of purchase being made. */
const purchaseProblems = (
  priceId: number,
  kind: "subscription" | "single",
  couponCode: string | undefined
): ReadonlyArray<string> => {
  const price = Option.match(findPrice(priceId), {
    onNone: () => [`priceId: unknown price ${priceId}`],
    onSome: (found) =>
      found.kind === kind
        ? []
        : [
          kind === "single"
            ? `priceId: price ${priceId} is a subscription plan; subscribe to it instead`
            : `priceId: price ${priceId} is not a subscription plan`
        ]
  })
  return [...price, ...couponProblems(couponCode)]
}

const activeSubscription = (
  data: Data,
  organizationId: number
): Either.Either<SubscriptionRecord, MakeError.NotFound> =>
  Either.fromOption(
    Option.filter(currentSubscription(data, organizationId), (subscription) => subscription.status === "active"),
    () => noActiveSubscription(organizationId)
  )

/**
 * The Billing group over the state. An organization's current subscription is its `active` or `free` one: GET and
 * DELETE act on it; PATCH and coupons need an `active` (paid) one. Creating a subscription pays its first period.
 *
 * @since 0.1.0
 * @category layers
 */
export const billingLive = (state: EmulatorState) =>
  HttpApiBuilder.group(MakeHttpApi, "billing", (handlers) =>
    handlers
      .handle("payments", ({ path, urlParams }) =>
        Effect.gen(function*() {
          const data = yield* Ref.get(state.data)
          const org = yield* lookUp(data, path.organizationId)
          // Newest first unless asked otherwise: ids grow with time, whatever the Clock says.
          const page = yield* paginate(paymentsOf(data, org.id), paymentBody, urlParams, {
            sortBy: "id",
            sortDir: "desc"
          })
          return ok({ payments: page.items.map(paymentBody), pg: page.pg })
        }))
      .handle("createSinglePayment", ({ path, payload }) =>
        Effect.gen(function*() {
          const createdAt = yield* nowIso
          const payment = yield* transact(state, (data) =>
            Either.gen(function*() {
              const org = yield* requireOrganization(data, path.organizationId)
              const problems = purchaseProblems(payload.priceId, "single", payload.couponCode)
              if (problems.length > 0) return yield* Either.left(invalidRequest(problems))
              const couponCode = payload.couponCode ?? null
              return addPayment({
                organizationId: org.id,
                priceId: payload.priceId,
                quantity: payload.quantity,
                amount: amountOf(payload.priceId, payload.quantity, couponCode),
                currency: "USD",
                status: "paid",
                couponCode,
                createdAt
              })(data)
            }))
          return ok({ payment: paymentBody(payment) })
        }))
      .handle("getSubscription", ({ path }) =>
        Effect.gen(function*() {
          const data = yield* Ref.get(state.data)
          const org = yield* lookUp(data, path.organizationId)
          const subscription = yield* Either.fromOption(
            currentSubscription(data, org.id),
            () => noActiveSubscription(org.id)
          )
          return ok({ subscription: subscriptionBody(subscription) })
        }))
      .handle("createSubscription", ({ path, payload }) =>
        Effect.gen(function*() {
          const now = yield* Clock.currentTimeMillis
          const subscription = yield* transact(state, (data) =>
            Either.gen(function*() {
              const org = yield* requireOrganization(data, path.organizationId)
              const problems = purchaseProblems(payload.priceId, "subscription", payload.couponCode)
              if (problems.length > 0) return yield* Either.left(invalidRequest(problems))
              if (Either.isRight(activeSubscription(data, org.id))) {
                return yield* Either.left(
                  badRequest("The organization already has an active subscription; change it or cancel it first.")
                )
              }
              const couponCode = payload.couponCode ?? null
              // A Free plan in place ends: the new subscription replaces it.
              const [subscription, subscribed] = addSubscription({
                organizationId: org.id,
                priceId: payload.priceId,
                status: "active",
                productName: productNameOf(payload.priceId),
                couponCode,
                createdAt: isoOf(now),
                nextBillingAt: isoOf(now + 30 * dayMillis)
              })(data)
              const [, paid] = addPayment({
                organizationId: org.id,
                priceId: payload.priceId,
                quantity: 1,
                amount: amountOf(payload.priceId, 1, couponCode),
                currency: "USD",
                status: "paid",
                couponCode,
                createdAt: isoOf(now)
              })(subscribed)
              return commit(subscription, paid)
            }))
          return ok({ subscription: subscriptionBody(subscription) })
        }))
      .handle("changeSubscription", ({ path, payload }) =>
        Effect.gen(function*() {
          const subscription = yield* transact(state, (data) =>
            Either.gen(function*() {
              const org = yield* requireOrganization(data, path.organizationId)
              const current = yield* activeSubscription(data, org.id)
              const problems = purchaseProblems(payload.priceId, "subscription", undefined)
              if (problems.length > 0) return yield* Either.left(invalidRequest(problems))
              const changed: SubscriptionRecord = {
                ...current,
                priceId: payload.priceId,
                productName: productNameOf(payload.priceId)
              }
              return commit(changed, replaceSubscription(changed)(data))
            }))
          return ok({ subscription: subscriptionBody(subscription) })
        }))
      .handle("cancelSubscription", ({ path }) =>
        Effect.gen(function*() {
          const cancelled = yield* transact(state, (data) =>
            Either.gen(function*() {
              const org = yield* requireOrganization(data, path.organizationId)
              const current = yield* Either.fromOption(
                currentSubscription(data, org.id),
                () => noActiveSubscription(org.id)
              )
              const ended: SubscriptionRecord = { ...current, status: "canceled", nextBillingAt: null }
              return commit(ended, replaceSubscription(ended)(data))
            }))
          return ok({ subscription: cancelled.id })
        }))
      .handle("setFreePlan", ({ path, urlParams }) =>
        Effect.gen(function*() {
          const now = yield* Clock.currentTimeMillis
          const subscription = yield* transact(
            state,
            (data): Either.Either<readonly [SubscriptionRecord, Data], MakeError.NotFound | MakeError.NotConfirmed> =>
              Either.gen(function*() {
                const org = yield* requireOrganization(data, path.organizationId)
                if (urlParams.confirmed !== true) {
                  return yield* Either.left(notConfirmed(
                    "Switching to the Free plan ends the current subscription at once. Set confirmed=true to go ahead.",
                    "subscription",
                    org.id
                  ))
                }
                const free: Pick<
                  SubscriptionRecord,
                  "priceId" | "status" | "productName" | "couponCode" | "nextBillingAt"
                > = {
                  priceId: null,
                  status: "free",
                  productName: productNameOf(null),
                  couponCode: null,
                  nextBillingAt: null
                }
                return Option.match(currentSubscription(data, org.id), {
                  onNone: () => addSubscription({ ...free, organizationId: org.id, createdAt: isoOf(now) })(data),
                  onSome: (current): readonly [SubscriptionRecord, Data] => {
                    const downgraded: SubscriptionRecord = { ...current, ...free }
                    return [downgraded, replaceSubscription(downgraded)(data)]
                  }
                })
              })
          )
          return ok({ subscription: subscriptionBody(subscription) })
        }))
      .handle("applyCoupon", ({ path, urlParams }) =>
        Effect.gen(function*() {
          const subscription = yield* transact(state, (data) =>
            Either.gen(function*() {
              const org = yield* requireOrganization(data, path.organizationId)
              const current = yield* activeSubscription(data, org.id)
              const problems = couponProblems(urlParams.couponCode)
              if (problems.length > 0) return yield* Either.left(invalidRequest(problems))
              const discounted: SubscriptionRecord = { ...current, couponCode: urlParams.couponCode }
              return commit(discounted, replaceSubscription(discounted)(data))
            }))
          return ok({ subscription: subscriptionBody(subscription) })
        })))

/** Custom variables need `customVariables: true` in the organization's licence. */
const hasCustomVariables = (org: OrganizationRecord): boolean => org.license.customVariables === true

/**
 * The organization an organization-variable call may change: Make's bare 404 when it is missing or its licence
 * lacks custom variables.
 */
const variableOrganization = (data: Data, id: number): Either.Either<OrganizationRecord, MakeError.NotFound> =>
  Either.filterOrLeft(
    Either.fromOption(findOrganization(data, id), bareNotFound),
    hasCustomVariables,
    bareNotFound
  )

const requireVariable = (
  data: Data,
  organizationId: number,
  name: string
): Either.Either<VariableRecord, MakeError.NotFound> =>
  Either.fromOption(findVariable(data, organizationId, name), bareNotFound)

const systemVariableIsReadOnly = (name: string): MakeError.InvalidRequest =>
  invalidRequest([`variableName: "${name}" is a system variable and cannot be changed`])

/**
 * A request's typed value as the emulator stores it. The contract has already checked that `value` fits `typeId`;
 * a date is stored in one form (`2026-12-01T09:00:00.000Z`) whatever ISO 8601 form it came in, as Make stores
 * dates. The value is taken as `unknown` so that a decoded `DateTime` would be stored the same way.
 */
const wireValue = (input: { readonly typeId: TypedValue["typeId"]; readonly value: unknown }): TypedValue => {
  const value = input.value
  if (input.typeId === 4 && (DateTime.isDateTime(value) || typeof value === "string")) {
    return {
      typeId: 4,
      value: Option.match(DateTime.make(value), {
        onNone: () => String(value),
        onSome: DateTime.formatIso
      })
    }
  }
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") {
    return { typeId: input.typeId, value }
  }
  return { typeId: input.typeId, value: String(value) }
}

/**
 * A variable after a PATCH, as Make's docs describe it: with both fields, the contract has checked that they match;
 * with only `value` or only `typeId`, Make does no type check, so the variable may end up holding a value of another
 * type than its `typeId` says (the client decodes it as a `MismatchedVariable`).
 */
const patchedValue = (
  current: VariableRecord,
  patch: { readonly typeId?: TypedValue["typeId"] | undefined; readonly value?: VariableRecord["value"] | undefined }
): TypedValue => {
  if (patch.typeId !== undefined && patch.value !== undefined) {
    return wireValue({ typeId: patch.typeId, value: patch.value })
  }
  if (patch.value !== undefined) return { typeId: current.typeId, value: patch.value }
  return { typeId: patch.typeId ?? current.typeId, value: current.value }
}

/**
 * The Organization variables group over the state. `list` answers the system variables, plus the custom ones when
 * the licence has `customVariables`; every other call answers Make's bare 404 when the organization is missing,
 * its licence lacks `customVariables`, or the variable is missing.
 *
 * @since 0.1.0
 * @category layers
 */
export const organizationVariablesLive = (state: EmulatorState) =>
  HttpApiBuilder.group(MakeHttpApi, "organizationVariables", (handlers) =>
    handlers
      .handle("list", ({ path }) =>
        Effect.gen(function*() {
          const data = yield* Ref.get(state.data)
          const org = yield* lookUp(data, path.organizationId)
          const custom = hasCustomVariables(org) ? variablesOf(data, org.id).map(variableBody) : []
          return ok({ organizationVariables: [...systemVariables(org), ...custom] })
        }))
      .handle("create", ({ path, payload }) =>
        Effect.gen(function*() {
          const change: Change = { author: tokenUser(state.settings), timestamp: yield* nowIso }
          const variable = yield* transact(state, (data) =>
            Either.gen(function*() {
              const org = yield* variableOrganization(data, path.organizationId)
              if (isSystemVariableName(payload.name) || Option.isSome(findVariable(data, org.id, payload.name))) {
                return yield* Either.left(
                  invalidRequest([`name: a variable named "${payload.name}" already exists`])
                )
              }
              return addVariable(org.id, payload.name, wireValue(payload), change)(data)
            }))
          return ok({ organizationVariable: variableBody(variable) })
        }))
      .handle("update", ({ path, payload }) =>
        Effect.gen(function*() {
          const change: Change = { author: tokenUser(state.settings), timestamp: yield* nowIso }
          const variable = yield* transact(state, (data) =>
            Either.gen(function*() {
              const org = yield* variableOrganization(data, path.organizationId)
              if (isSystemVariableName(path.variableName)) {
                return yield* Either.left(systemVariableIsReadOnly(path.variableName))
              }
              const current = yield* requireVariable(data, org.id, path.variableName)
              return updateVariable(current, patchedValue(current, payload), change)(data)
            }))
          return ok({ organizationVariable: variableBody(variable) })
        }))
      .handle("delete", ({ path, urlParams }) =>
        Effect.gen(function*() {
          const name = yield* transact(
            state,
            (data): Either.Either<
              readonly [string, Data],
              MakeError.NotFound | MakeError.NotConfirmed | MakeError.InvalidRequest
            > =>
              Either.gen(function*() {
                const org = yield* variableOrganization(data, path.organizationId)
                if (isSystemVariableName(path.variableName)) {
                  return yield* Either.left(systemVariableIsReadOnly(path.variableName))
                }
                const variable = yield* requireVariable(data, org.id, path.variableName)
                if (urlParams.confirmed !== true) {
                  return yield* Either.left(notConfirmed(
                    `Deleting the variable "${variable.name}" breaks the scenarios that use it. Set confirmed=true to delete it anyway.`,
                    "variable",
                    variable.name
                  ))
                }
                return commit(variable.name, removeVariable(org.id, variable.name)(data))
              })
          )
          return ok({ organizationVariable: name })
        }))
      .handle("history", ({ path }) =>
        Effect.gen(function*() {
          const data = yield* Ref.get(state.data)
          const org = yield* variableOrganization(data, path.organizationId)
          const variable = yield* requireVariable(data, org.id, path.variableName)
          return ok({ history: historyBody(variable) })
        })))

/**
 * The Usage group over the state: the 30 days up to today (oldest first), "today" and each day's bounds in the
 * token's user's timezone (`userTimezoneOffsetMinutes`) or, with `organizationTimezone=true`, in the organization's
 * (`EmulatorCatalog.timezones`).
 *
 * @since 0.1.0
 * @category layers
 */
export const usageLive = (state: EmulatorState) =>
  HttpApiBuilder.group(
    MakeHttpApi,
    "usage",
    (handlers) =>
      handlers.handle("get", ({ path, urlParams }) =>
        Effect.gen(function*() {
          const data = yield* Ref.get(state.data)
          const org = yield* lookUp(data, path.organizationId)
          const now = yield* Clock.currentTimeMillis
          const offset = urlParams.organizationTimezone === true
            ? offsetMinutesOf(org.timezoneId)
            : state.settings.userTimezoneOffsetMinutes
          const days = Arr.makeBy(30, (i) => dayAt(now - (29 - i) * dayMillis, offset))
          return ok({ usage: days.map((date) => usageDayBody(org.id, date)) })
        }))
  )

const byDescendingId = Order.reverse(Order.mapInput(Order.number, (control: FeatureControlRecord) => control.id))

/**
 * The Feature controls group over the state: listed by descending id, filtered by exact name, projected to exactly
 * the `cols[]` asked for.
 *
 * @since 0.1.0
 * @category layers
 */
export const featureControlsLive = (state: EmulatorState) =>
  HttpApiBuilder.group(MakeHttpApi, "featureControls", (handlers) =>
    handlers
      .handle("list", ({ path, urlParams }) =>
        Effect.gen(function*() {
          const data = yield* Ref.get(state.data)
          const org = yield* lookUp(data, path.organizationId)
          const controls = Arr.sort(featureControlsOf(data, org.id), byDescendingId).filter((control) =>
            matchesOptional(urlParams.featureControlName, control.name)
          )
          const cols = urlParams.cols
          return ok({
            featureControls: controls.map((control) =>
              cols === undefined ? featureControlBody(control) : project(featureControlBody(control), cols)
            )
          })
        }))
      .handle("update", ({ path, payload }) =>
        Effect.gen(function*() {
          const control = yield* transact(state, (data) =>
            Either.gen(function*() {
              const org = yield* requireOrganization(data, path.organizationId)
              const [updated, next] = setFeatureControl(org.id, payload.id, payload.enabled)(data)
              const switched = yield* Either.fromOption(updated, () => featureControlNotFound(payload.id))
              return commit(switched, next)
            }))
          return ok({ featureControl: featureControlBody(control) })
        })))

// ---------------------------------------------------------------------------
// Make's 400s
// ---------------------------------------------------------------------------

/** What in a failure is a request the contract cannot read: its schemas rejected it, or its body is not JSON. */
const rejectionIn = (cause: Cause.Cause<unknown>): Option.Option<MakeError.InvalidRequest> =>
  Cause.find(cause, (reason) => {
    if (Cause.isFailType(reason)) {
      const error: unknown = reason.error
      return error instanceof HttpApiError.HttpApiDecodeError ? Option.some(fromDecodeError(error)) : Option.none()
    }
    // An endpoint that needs a payload got no body: HttpApiBuilder reads the JSON with `orDie`, so it is a defect.
    if (Cause.isDieType(reason)) {
      const defect: unknown = reason.defect
      return HttpServerError.isServerError(defect) && defect._tag === "RequestError" && defect.reason === "Decode"
        ? Option.some(invalidRequest(["body: expected a JSON body"]))
        : Option.none()
    }
    return Option.none()
  })

/**
 * API-level middleware: a request the contract's schemas reject, or whose payload is missing, answers Make's 400
 * (`IM015` with `suberrors`) instead of effect's own error bodies.
 *
 * @since 0.1.0
 * @category layers
 */
export const makeValidationErrorsLive: Layer.Layer<never> = HttpApiBuilder.middleware(
  MakeHttpApi,
  (app) =>
    Effect.catchAllCause(app, (cause) =>
      Option.match(rejectionIn(cause), {
        onNone: () => Effect.failCause(cause),
        onSome: Effect.fail
      }))
)

/**
 * The whole contract implemented over the state: `HttpApi.Api` with every group, the `Token` check and Make's 400s.
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
      Layer.provide([
        organizationsLive(state),
        invitationsLive(state),
        billingLive(state),
        organizationVariablesLive(state),
        usageLive(state),
        featureControlsLive(state),
        adminTeamsLive(state)
      ]),
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

// Only methods whose body, when there is one, must be JSON: a DELETE's is ignored.
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

// ---------------------------------------------------------------------------
// Rate limit
// ---------------------------------------------------------------------------

/** A positive integer id from a query value or a body field (Make's numeric ids come as numbers or digit strings). */
const idOf = (value: unknown): Option.Option<number> => {
  if (typeof value === "number") return Number.isSafeInteger(value) && value > 0 ? Option.some(value) : Option.none()
  if (typeof value === "string" && /^\d+$/.test(value)) return Option.some(Number(value))
  return Option.none()
}

/** A field of a JSON body, whatever the body is. */
const fieldOf = (body: unknown, name: string): unknown =>
  typeof body === "object" && body !== null ? Object.entries(body).find(([key]) => key === name)?.[1] : undefined

const queryValue = (query: RecordedRequest["query"], name: string): Option.Option<string> => {
  const value = query[name]
  return typeof value === "string" ? Option.some(value) : Option.none()
}

/**
 * What the rate limit looks at in a request: the request line, the query under Make's raw names, the parsed body.
 *
 * @since 0.1.0
 * @category rate limit
 */
export interface RequestSummary {
  readonly method: string
  readonly path: string
  readonly query: RecordedRequest["query"]
  readonly body: unknown
}

/**
 * The organization a request concerns, as the rate limit counts it: `/organizations/{id}/...`; the `organizationId`
 * of `/admin/teams` (query on GET, body on POST); the team's organization for `/admin/teams/{teamId}`; the
 * invitation's organization for the invitation endpoints (by `hash`). `None` for the rest (`GET /organizations`,
 * `POST /organizations`, unknown teams or invitations), which share one count.
 *
 * @since 0.1.0
 * @category rate limit
 */
export const organizationConcerned = (data: Data, request: RequestSummary): Option.Option<number> => {
  const { body, method, path, query } = request
  if (path === "/organizations/invitation") {
    return Option.flatMap(
      queryValue(query, "hash"),
      (hash) => Option.map(findInvitation(data, hash), (invitation) => invitation.organizationId)
    )
  }
  if (path === "/organizations/accept-invitation") {
    const hash = fieldOf(body, "hash")
    return typeof hash === "string"
      ? Option.map(findInvitation(data, hash), (invitation) => invitation.organizationId)
      : Option.none()
  }
  const organization = /^\/organizations\/(\d+)(?:\/|$)/.exec(path)
  if (organization !== null) return idOf(organization[1])
  if (path === "/admin/teams" || path === "/admin/teams/") {
    if (method === "POST") return idOf(fieldOf(body, "organizationId"))
    return Option.flatMap(queryValue(query, "organizationId"), idOf)
  }
  const team = /^\/admin\/teams\/(\d+)\/?$/.exec(path)
  if (team !== null) {
    return Option.map(Option.flatMap(idOf(team[1]), (id) => findTeam(data, id)), (found) => found.organizationId)
  }
  return Option.none()
}

/**
 * The limit when the organization's licence does not say: requests that concern no organization, or one that does
 * not exist (the Teams plan's `apiLimit`).
 *
 * @since 0.1.0
 * @category rate limit
 */
export const defaultApiLimit = teamsLicense.apiLimit

/** Counts the request against its organization's limit; past it, the `Retry-After` value to answer with. */
const rateLimitCheck = (
  state: EmulatorState,
  request: RequestSummary
): Effect.Effect<Option.Option<string>> =>
  Option.match(state.settings.rateLimit, {
    onNone: () => Effect.succeed(Option.none()),
    onSome: (settings) =>
      Effect.gen(function*() {
        const data = yield* Ref.get(state.data)
        const organizationId = organizationConcerned(data, request)
        const licensed = Option.match(Option.flatMap(organizationId, (id) => findOrganization(data, id)), {
          onNone: () => defaultApiLimit,
          onSome: (org) => org.license.apiLimit
        })
        const limit = Option.getOrElse(settings.perMinute, () => licensed)
        const key = Option.match(organizationId, { onNone: () => "none", onSome: (id) => `organization:${id}` })
        const now = yield* Clock.currentTimeMillis
        const wait = yield* Ref.modify(state.rateWindows, admit(key, limit, now, settings.window))
        return Option.map(wait, (after) => retryAfterValue(after, settings.retryAfterAs, now))
      })
  })

// ---------------------------------------------------------------------------
// The request log, with faults and the rate limit
// ---------------------------------------------------------------------------

/** What the log will say of a request, filled in as it goes. */
interface Progress {
  readonly body: BodyRead
  readonly fault: Fault | undefined
  readonly processed: boolean
  /** The entry is in the log already (written before a connection is dropped, so it is there when the client fails). */
  readonly logged: boolean
}

/**
 * Wraps the API app (mounted under the base URL, so it sees paths without `/api/v2`): records every request with
 * the status it got, never the `Authorization` value; answers Make's 400 for a body that is not JSON and Make's 404
 * for an unknown endpoint. It is also where the instance is unreliable on purpose, in this order:
 *
 * 1. the fault plan in force draws the request's fault (see `EmulatorFaults.FaultPlan`);
 * 2. `refused`: the connection is dropped before the request is read;
 * 3. `latency`: the request waits (`Clock`);
 * 4. `reset`: the connection is dropped;
 * 5. the per-organization rate limit counts the request (`rateLimit` option), answering 429 past the limit;
 * 6. an injected 429, or a 5xx drawn to come before processing, answers without running the handler;
 * 7. the handler runs; a 5xx drawn to come after processing replaces its answer, `truncated` cuts its body.
 *
 * Dropping a connection goes through the {@link Connection} of the transport. An interrupted request (the client
 * went away) is logged as `aborted`.
 *
 * @since 0.1.0
 * @category request log
 */
export const withRequestLog =
  (state: EmulatorState) => <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<E, R | Connection> =>
    Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const connection = yield* Connection
      const at = yield* Clock.currentTimeMillis
      const line: RequestLine = { method: request.method, path: pathOf(request.url) }
      const query = queryOf(request.url)
      const authenticated = acceptsAuthorization(state, request.headers["authorization"])
      const decision = yield* Ref.modify(state.faults, draw(line))
      const progress = yield* Ref.make<Progress>({
        body: { _tag: "Empty" },
        fault: undefined,
        processed: false,
        logged: false
      })
      const mark = (change: Partial<Progress>) => Ref.update(progress, (current) => ({ ...current, ...change }))

      const record = (status: number, aborted: boolean) =>
        Effect.flatMap(Ref.getAndUpdate(progress, (current) => ({ ...current, logged: true })), (current) => {
          const entry: RecordedRequest = {
            method: line.method,
            path: line.path,
            query,
            body: bodyValue(current.body),
            status,
            authenticated,
            at,
            ...(current.fault === undefined ? {} : { fault: current.fault }),
            processed: current.processed,
            aborted
          }
          return current.logged ? Effect.void : Ref.update(state.log, Chunk.append(entry))
        })

      // No HTTP answer: the entry goes in the log first, then the transport drops the connection and ends the fiber.
      const drop = (fault: ConnectionFault) =>
        mark({ fault }).pipe(
          Effect.zipRight(record(0, false)),
          Effect.zipRight(connection.drop(request, fault)),
          Effect.zipRight(Effect.never)
        )

      const handled = Effect.catchAllCause(
        app,
        (cause) => routeNotFoundIn(cause) ? Effect.succeed(errorResponse(routeNotFound)) : Effect.failCause(cause)
      )
      // The handler's answer, or the response its failure stands for (what the transport would have sent).
      const handledResponse = Effect.flatMap(
        Effect.exit(handled),
        Exit.match({
          onSuccess: Effect.succeed,
          onFailure: (cause) => Effect.map(HttpServerError.causeResponse(cause), ([response]) => response)
        })
      )

      const respond = Effect.gen(function*() {
        if (decision._tag === "Refused") return yield* drop("refused")
        const body = yield* readBody(request)
        yield* mark({ body })
        if (decision._tag === "Latency") {
          yield* mark({ fault: "latency" })
          yield* Effect.sleep(decision.duration)
        }
        if (decision._tag === "Reset") return yield* drop("reset")
        const limited = yield* rateLimitCheck(state, { ...line, query, body: bodyValue(body) })
        if (Option.isSome(limited)) {
          yield* mark({ fault: "rateLimit" })
          return tooManyRequests(limited.value)
        }
        if (decision._tag === "RateLimited") {
          yield* mark({ fault: "429" })
          const now = yield* Clock.currentTimeMillis
          return tooManyRequests(retryAfterValue(decision.retryAfter, decision.form, now))
        }
        if (decision._tag === "ServerError" && !decision.processed) {
          yield* mark({ fault: faultOf(decision) })
          return serverError(decision.status)
        }
        // A body that is there but not JSON is Make's 400; no body at all is left to the endpoint (some POSTs take
        // none, and the contract rejects a missing payload where one is needed).
        if (authenticated && needsJsonBody(request.method) && body._tag === "Malformed") {
          return errorResponse(invalidRequest(["body: expected a JSON body"]))
        }
        yield* mark({ processed: true })
        if (decision._tag === "ServerError") {
          // The gateway's answer replaces the handler's: the change is made, the client is told it failed.
          yield* handledResponse
          yield* mark({ fault: faultOf(decision) })
          return serverError(decision.status)
        }
        if (decision._tag === "Truncated") {
          const response = yield* handledResponse
          yield* mark({ fault: "truncated" })
          return truncate(response)
        }
        return yield* handled
      })

      // The platform runs apps uninterruptibly (`HttpApp.toHandled`), so a client going away would go unnoticed; the
      // emulator opts in, as a server that stops work for a closed connection. A handler changes state in one atomic
      // step, so an interruption lands before the change (nothing happened) or after it (the answer is lost).
      return yield* Effect.onExit(
        Effect.interruptible(respond),
        (exit) => Effect.flatMap(statusOf(exit), (status) => record(status, Exit.isInterrupted(exit)))
      )
    })
