// The emulator's Organizations area: create and remove organizations, their bodies with Make's quirks, the handlers.
// Imports `effect`, `@effect/platform`, api/, domain/, MakeError and testing/.
/**
 * @since 0.1.0
 * @internal
 */
import { HttpApiBuilder } from "@effect/platform"
import { Array as Arr, Clock, Duration, Effect, Either, HashMap, Option, type Schema } from "effect"
import { MakeHttpApi } from "../../api/MakeHttpApi.js"
import {
  CustomAppList,
  OrganizationCreated,
  OrganizationEnvelope,
  PermissionCheck
} from "../../api/OrganizationsApi.js"
import { type CustomApp, Organization, type OrganizationTeam } from "../../domain/Organization.js"
import type * as MakeError from "../../MakeError.js"
import { ownerRoleId, roleGrants, teamAdminRoleId } from "../EmulatorCatalog.js"
import { deletionNotConfirmed, organizationNotFound, organizationNotSynchronised } from "./Errors.js"
import type { CustomAppRecord, LicenseRecord, OrganizationRecord, TeamRecord } from "./Records.js"
import { defaultFeatureControls, organizationDefaults, teamDefaults } from "./Seed.js"
import {
  type Data,
  type EmulatorState,
  findOrganization,
  inOrganization,
  liveTeamRolesOf,
  liveTeamsOf,
  organizationsOf,
  put,
  putOrganization,
  removeOrganizationFrom,
  snapshot,
  teamsOf,
  transact,
  updateOrganization
} from "./Store.js"
import { answer, answerProjected, answerVoid, matchesOptional, paginate, project, requireOrganization } from "./Wire.js"

// ---------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------

/**
 * What `POST /organizations` needs.
 *
 * @since 0.1.0
 * @category models
 */
export interface NewOrganization {
  readonly name: string
  readonly regionId: number
  readonly timezoneId: number
  readonly countryId: number
}

/**
 * Adds an organization and its default team "My Team", owned by `owner` (organization role 11, Team Admin of the
 * team), with the catalogue's feature controls; the organization is synchronised at `syncedAt`.
 *
 * @since 0.1.0
 * @category operations
 */
export const addOrganization = (
  input: NewOrganization,
  times: { readonly createdAt: number; readonly syncedAt: number },
  zone: string,
  owner: number
) =>
(data: Data): readonly [{ readonly organization: OrganizationRecord; readonly team: TeamRecord }, Data] => {
  const organization: OrganizationRecord = {
    ...organizationDefaults(zone),
    id: data.nextId,
    name: input.name,
    regionId: input.regionId,
    timezoneId: input.timezoneId,
    countryId: input.countryId,
    createdAt: times.createdAt,
    syncedAt: times.syncedAt
  }
  const team: TeamRecord = { ...teamDefaults, id: data.nextId + 1, name: "My Team", organizationId: organization.id }
  return [
    { organization, team },
    {
      ...putOrganization(data, organization),
      teams: put(data.teams, team),
      nextId: data.nextId + 2,
      memberships: put(data.memberships, { userId: owner, organizationId: organization.id, usersRoleId: ownerRoleId }),
      teamRoles: Arr.append(data.teamRoles, { userId: owner, teamId: team.id, usersRoleId: teamAdminRoleId }),
      featureControls: Arr.reduce(defaultFeatureControls(organization.id), data.featureControls, put)
    }
  ]
}

/**
 * Removes an organization with everything in it: teams (and the roles in them), memberships, invitations, custom
 * apps, billing, variables, feature controls. Users stay: they may belong to other organizations.
 *
 * @since 0.1.0
 * @category operations
 */
export const removeOrganization = (id: number) => (data: Data): Data => {
  const teamIds = new Set(teamsOf(data, id).map((team) => team.id))
  return {
    ...data,
    organizations: HashMap.remove(data.organizations, id),
    organizationOrder: data.organizationOrder.filter((other) => other !== id),
    teams: removeOrganizationFrom(data.teams, id),
    teamRoles: data.teamRoles.filter((role) => !teamIds.has(role.teamId)),
    memberships: removeOrganizationFrom(data.memberships, id),
    invitations: removeOrganizationFrom(data.invitations, id),
    customApps: removeOrganizationFrom(data.customApps, id),
    payments: removeOrganizationFrom(data.payments, id),
    subscriptions: removeOrganizationFrom(data.subscriptions, id),
    variables: removeOrganizationFrom(data.variables, id),
    featureControls: removeOrganizationFrom(data.featureControls, id)
  }
}

// ---------------------------------------------------------------------------
// Wire bodies (the quirks of the fixtures live here)
// ---------------------------------------------------------------------------

type OrganizationWire = Schema.Schema.Encoded<typeof Organization>
type LicenseWire = NonNullable<OrganizationWire["license"]>
type TeamSummaryWire = Schema.Schema.Encoded<typeof OrganizationTeam>

/** The licence as GET sends it: `apps` always an array. */
const licenseBody = (license: LicenseRecord): LicenseWire => ({ ...license })

/** The licence as PATCH sends it: with exactly one app, `apps` is that app's name (fixtures/organizations/update.json). */
const licenseBodyOfUpdate = (license: LicenseRecord): LicenseWire => ({
  ...license,
  apps: Arr.match(license.apps, {
    onEmpty: (): ReadonlyArray<string> => [],
    onNonEmpty: (apps) => apps.length === 1 ? Arr.headNonEmpty(apps) : apps
  })
})

const teamSummaries = (teams: ReadonlyArray<TeamRecord>): ReadonlyArray<TeamSummaryWire> =>
  teams.map((team) => ({ id: team.id, name: team.name }))

/**
 * `GET /organizations/{id}`: the shape of fixtures/organizations/get.json, counters as strings.
 *
 * @since 0.1.0
 * @category wire
 */
export const organizationDetail = (org: OrganizationRecord, teams: ReadonlyArray<TeamRecord>): OrganizationWire => ({
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
export const organizationCreated = (org: OrganizationRecord, teams: ReadonlyArray<TeamRecord>): OrganizationWire => ({
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
export const organizationUpdated = (org: OrganizationRecord, teams: ReadonlyArray<TeamRecord>): OrganizationWire => ({
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
export const organizationColumns = (org: OrganizationRecord, teams: ReadonlyArray<TeamRecord>): OrganizationWire => ({
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
): Partial<OrganizationWire> => {
  const visible = org.zone === zone ? cols : cols.filter((col) => !zoneOnlyColumns.includes(col))
  const item = project(organizationColumns(org, teams), visible)
  return org.privateSpaces.length === 0 ? item : { ...item, privateSpaces: org.privateSpaces }
}

/**
 * A custom app as `GET /organizations/{id}/apps` lists it.
 *
 * @since 0.1.0
 * @category wire
 */
export const customAppBody = (app: CustomAppRecord): Schema.Schema.Encoded<typeof CustomApp> => ({
  name: app.name,
  label: app.label,
  version: app.version,
  public: app.public,
  approved: app.approved,
  theme: app.theme,
  description: app.description
})

// ---------------------------------------------------------------------------
// Handlers
// ---------------------------------------------------------------------------

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
          const data = yield* snapshot(state)
          const candidates = organizationsOf(data).filter((org) =>
            matchesOptional(urlParams.zone, org.zone) && matchesOptional(urlParams.externalId, org.externalId)
          )
          const page = yield* paginate(
            candidates,
            (org) => organizationColumns(org, liveTeamsOf(data, org.id)),
            urlParams
          )
          const cols = urlParams.cols ?? defaultOrganizationColumns
          // `cols[]` narrows each item to the columns asked for (see Wire.ts).
          const items = page.items.map((org) =>
            organizationListItem(org, liveTeamsOf(data, org.id), cols, state.settings.zone)
          )
          return answerProjected(Organization, { organizations: items, pg: page.pg })
        }))
      .handle("create", ({ payload }) =>
        Effect.gen(function*() {
          const createdAt = yield* Clock.currentTimeMillis
          const syncedAt = createdAt + Duration.toMillis(state.settings.syncDelay)
          const { organization, team } = yield* transact(
            state,
            (data) =>
              Either.right(
                addOrganization(payload, { createdAt, syncedAt }, state.settings.zone, state.settings.userId)(data)
              )
          )
          return answer(OrganizationCreated, {
            organization: organizationCreated(organization, [team]),
            userOrganizationRole: {
              userId: state.settings.userId,
              organizationId: organization.id,
              usersRoleId: ownerRoleId,
              invitation: null
            }
          })
        }))
      .handle("get", ({ path, urlParams }) =>
        Effect.gen(function*() {
          const org = yield* requireOrganization(yield* snapshot(state), path.organizationId)
          const now = yield* Clock.currentTimeMillis
          if (now < org.syncedAt) {
            if (urlParams.wait !== true) return yield* organizationNotSynchronised(org.id)
            // Make holds a `wait=true` request until the zone has the organization; so does the emulator.
            yield* Effect.sleep(Duration.millis(org.syncedAt - now))
          }
          // Read again: the organization may have changed, or gone, while the request waited.
          const data = yield* snapshot(state)
          const current = yield* requireOrganization(data, path.organizationId)
          return answer(OrganizationEnvelope, {
            organization: organizationDetail(current, liveTeamsOf(data, current.id))
          })
        }))
      .handle("update", ({ path, payload }) =>
        Effect.gen(function*() {
          const [org, teams] = yield* transact(state, (data) => {
            const [updated, next] = updateOrganization(path.organizationId, (org) => ({
              ...org,
              name: payload.name ?? org.name,
              countryId: payload.countryId ?? org.countryId,
              timezoneId: payload.timezoneId ?? org.timezoneId
            }))(data)
            return Either.map(
              Either.fromOption(updated, () => organizationNotFound(path.organizationId)),
              (org) => [[org, liveTeamsOf(next, org.id)] as const, next] as const
            )
          })
          return answer(OrganizationEnvelope, { organization: organizationUpdated(org, teams) })
        }))
      .handle("delete", ({ path, urlParams }) =>
        Effect.gen(function*() {
          const id = path.organizationId
          // Check and delete in one atomic step, so that a refused deletion changes nothing.
          const deleted = yield* transact(
            state,
            (data): Either.Either<readonly [number, Data], MakeError.NotFound | MakeError.NotConfirmed> =>
              Option.match(findOrganization(data, id), {
                onNone: () => Either.left(organizationNotFound(id)),
                onSome: (org) =>
                  org.activeScenarios > 0 && urlParams.confirmed !== true
                    ? Either.left(deletionNotConfirmed(org))
                    : Either.right([id, removeOrganization(id)(data)] as const)
              })
          )
          return answerVoid({ organization: deleted })
        }))
      .handle("apps", ({ path }) =>
        Effect.gen(function*() {
          const data = yield* snapshot(state)
          const org = yield* requireOrganization(data, path.organizationId)
          return answer(CustomAppList, { apps: inOrganization(data.customApps, org.id).map(customAppBody) })
        }))
      .handle("checkTeamPermission", ({ path, urlParams }) =>
        Effect.gen(function*() {
          const data = yield* snapshot(state)
          const org = yield* requireOrganization(data, path.organizationId)
          // Held if any role of the token's user, in any team of the organization that is not deleted, grants it.
          const hasPermission = liveTeamRolesOf(data, state.settings.userId, org.id).some((role) =>
            roleGrants(role.usersRoleId, urlParams.teamPermission)
          )
          return answer(PermissionCheck, { hasPermission })
        })))
