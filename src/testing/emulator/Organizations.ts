// The emulator's Organizations area, without HTTP: create and remove organizations, every answer's body with Make's
// quirks, and the pure operations behind the handlers. Imports `effect`, api/, domain/, MakeError and testing/.
/**
 * @since 1.0.0
 * @internal
 */
import { Array as Arr, Duration, HashMap, Option, Result } from "effect"
import {
  CustomAppList,
  type OrganizationCreated,
  type OrganizationEnvelope,
  type PermissionCheck
} from "../../api/OrganizationsApi.js"
import type { CustomApp, Organization, OrganizationTeam } from "../../domain/Organization.js"
import type * as MakeError from "../../MakeError.js"
import { ownerRoleId, roleGrants, teamAdminRoleId } from "../EmulatorCatalog.js"
import { deletionNotConfirmed, organizationNotFound, organizationNotSynchronised } from "./Errors.js"
import type { Settings } from "./Options.js"
import type { CustomAppRecord, LicenseRecord, OrganizationRecord, TeamRecord } from "./Records.js"
import { defaultFeatureControls, organizationDefaults, teamDefaults } from "./Seed.js"
import {
  type Data,
  findOrganization,
  inOrganization,
  liveTeamRolesOf,
  liveTeamsOf,
  organizationsOf,
  put,
  putOrganization,
  removeOrganizationFrom,
  teamsOf,
  updateOrganization
} from "./Store.js"
import {
  checked,
  matchesOptional,
  type PageEcho,
  type PageQuery,
  paginate,
  project,
  requireOrganization
} from "./Wire.js"

// ---------------------------------------------------------------------------
// Operations on the data
// ---------------------------------------------------------------------------

/**
 * What `POST /organizations` needs.
 *
 * @since 1.0.0
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
 * @example
 * ```ts
 * import { addOrganization } from "effect-make/testing/emulator/Organizations"
 * declare const data: import("effect-make/testing/emulator/Store").Data
 * const input = { name: "New", regionId: 1, timezoneId: 113, countryId: 1 }
 * const [{ organization, team }, next] = addOrganization(input, { createdAt: 0, syncedAt: 2000 }, "eu1.make.com", 1)(
 *   data
 * )
 * ```
 *
 * @since 1.0.0
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
 * @since 1.0.0
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

type OrganizationWire = typeof Organization.Encoded
type LicenseWire = NonNullable<OrganizationWire["license"]>
type TeamSummaryWire = typeof OrganizationTeam.Encoded

/** The licence as GET sends it: `apps` always an array. */
const licenseBody = (license: LicenseRecord): LicenseWire => ({ ...license })

/** The licence as PATCH sends it: with exactly one app, `apps` is that name (fixtures/organizations/update.json). */
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
 * @since 1.0.0
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
 * @since 1.0.0
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
 * @since 1.0.0
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
 * @since 1.0.0
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
 * @since 1.0.0
 * @category wire
 */
export const defaultOrganizationColumns: ReadonlyArray<string> = ["id", "name", "timezoneId"]

/** Make sends these only for organizations in the zone of the request (organizations.txt). */
const zoneOnlyColumns: ReadonlyArray<string> = ["license", "serviceName", "isPaused"]

/**
 * An item of `GET /organizations`: the selected columns, plus `privateSpaces` whenever the organization has some
 * (fixtures/organizations/list.json sends them although no column asked for them).
 *
 * @since 1.0.0
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
 * @since 1.0.0
 * @category wire
 */
export const customAppBody = (app: CustomAppRecord): typeof CustomApp.Encoded => ({
  name: app.name,
  label: app.label,
  version: app.version,
  public: app.public,
  approved: app.approved,
  theme: app.theme,
  description: app.description
})

// ---------------------------------------------------------------------------
// What each endpoint does to the data (the handlers run these in one snapshot or one `transact`)
// ---------------------------------------------------------------------------

/**
 * The query of `GET /organizations`, decoded.
 *
 * @since 1.0.0
 * @category models
 */
export interface ListQuery extends PageQuery {
  readonly cols?: ReadonlyArray<string> | undefined
  readonly zone?: string | undefined
  readonly externalId?: string | undefined
}

/**
 * `GET /organizations`: filtered by `zone` and `externalId`, sorted and paged, each item narrowed to `cols[]` (by
 * default id, name, timezoneId); the zone-only columns are left out for organizations of other zones.
 *
 * @example
 * ```ts
 * import { listOrganizations } from "effect-make/testing/emulator/Organizations"
 * declare const data: import("effect-make/testing/emulator/Store").Data
 * const page = listOrganizations(data, { limit: 2 }, "eu1.make.com")
 * ```
 *
 * @since 1.0.0
 * @category endpoints
 */
export const listOrganizations = (
  data: Data,
  query: ListQuery,
  zone: string
): Result.Result<
  { readonly organizations: ReadonlyArray<Partial<OrganizationWire>>; readonly pg: PageEcho },
  MakeError.InvalidRequest
> => {
  const candidates = organizationsOf(data).filter((org) =>
    matchesOptional(query.zone, org.zone) && matchesOptional(query.externalId, org.externalId)
  )
  const cols = query.cols ?? defaultOrganizationColumns
  return Result.map(
    paginate(candidates, (org) => organizationColumns(org, liveTeamsOf(data, org.id)), query),
    (page) => ({
      organizations: page.items.map((org) => organizationListItem(org, liveTeamsOf(data, org.id), cols, zone)),
      pg: page.pg
    })
  )
}

/**
 * `POST /organizations` at `now`: the organization is readable by `GET` after the settings' sync delay; the token's
 * user owns it.
 *
 * @since 1.0.0
 * @category endpoints
 */
export const createOrganization =
  (input: NewOrganization, now: number, settings: Settings) =>
  (data: Data): readonly [typeof OrganizationCreated.Encoded, Data] => {
    const syncedAt = now + Duration.toMillis(settings.syncDelay)
    const [{ organization, team }, next] = addOrganization(
      input,
      { createdAt: now, syncedAt },
      settings.zone,
      settings.userId
    )(data)
    return [{
      organization: organizationCreated(organization, [team]),
      userOrganizationRole: {
        userId: settings.userId,
        organizationId: organization.id,
        usersRoleId: ownerRoleId,
        invitation: null
      }
    }, next]
  }

/**
 * What `GET /organizations/{id}` does at `now`: answer the organization, or, before the zone has synchronised it,
 * a 404 (without `wait=true`) or wait `millis` and look again (with it: Make holds the request until the zone has the
 * organization).
 *
 * @since 1.0.0
 * @category models
 */
export type GetOutcome =
  | { readonly _tag: "Ready"; readonly body: typeof OrganizationEnvelope.Encoded }
  | { readonly _tag: "Wait"; readonly millis: number }

/**
 * `GET /organizations/{id}` at `now`, with or without `wait=true` (see {@link GetOutcome}).
 *
 * @since 1.0.0
 * @category endpoints
 */
export const getOrganization = (
  data: Data,
  id: number,
  now: number,
  wait: boolean
): Result.Result<GetOutcome, MakeError.NotFound> =>
  Result.flatMap(
    requireOrganization(data, id),
    (org): Result.Result<GetOutcome, MakeError.NotFound> =>
      now >= org.syncedAt
        ? Result.succeed({
          _tag: "Ready",
          body: { organization: organizationDetail(org, liveTeamsOf(data, org.id)) }
        })
        : wait
        ? Result.succeed({ _tag: "Wait", millis: org.syncedAt - now })
        : Result.fail(organizationNotSynchronised(org.id))
  )

/**
 * `PATCH /organizations/{id}`: the fields given replace the old ones.
 *
 * @since 1.0.0
 * @category endpoints
 */
export const patchOrganization = (
  id: number,
  change: {
    readonly name?: string | undefined
    readonly countryId?: number | undefined
    readonly timezoneId?: number | undefined
  }
) =>
(data: Data): Result.Result<readonly [typeof OrganizationEnvelope.Encoded, Data], MakeError.NotFound> => {
  const [updated, next] = updateOrganization(id, (org) => ({
    ...org,
    name: change.name ?? org.name,
    countryId: change.countryId ?? org.countryId,
    timezoneId: change.timezoneId ?? org.timezoneId
  }))(data)
  return Result.map(
    Result.fromOption(updated, () => organizationNotFound(id)),
    (org) => [{ organization: organizationUpdated(org, liveTeamsOf(next, org.id)) }, next] as const
  )
}

/**
 * `DELETE /organizations/{id}`: with active scenarios it needs `confirmed=true` (406 `IM004` otherwise, nothing
 * deleted); answers Make's `{"organization": <id>}`.
 *
 * @since 1.0.0
 * @category endpoints
 */
export const deleteOrganization = (id: number, confirmed: boolean) =>
(
  data: Data
): Result.Result<
  readonly [{ readonly organization: number }, Data],
  MakeError.NotFound | MakeError.NotConfirmed
> =>
  Option.match(findOrganization(data, id), {
    onNone: () => Result.fail(organizationNotFound(id)),
    onSome: (org) =>
      org.activeScenarios > 0 && !confirmed
        ? Result.fail(deletionNotConfirmed(org))
        : Result.succeed([{ organization: id }, removeOrganization(id)(data)] as const)
  })

/**
 * `GET /organizations/{id}/apps`: the custom apps, under the canonical `apps` key.
 *
 * @since 1.0.0
 * @category endpoints
 */
export const customApps = (
  data: Data,
  id: number
): Result.Result<{ readonly apps: ReadonlyArray<typeof CustomApp.Encoded> }, MakeError.NotFound> =>
  Result.map(
    requireOrganization(data, id),
    (org) => checked(CustomAppList, { apps: inOrganization(data.customApps, org.id).map(customAppBody) })
  )

/**
 * `GET /organizations/{id}/check-team-permission`: held if any role of `userId`, in any team of the organization
 * that is not deleted, grants it.
 *
 * @since 1.0.0
 * @category endpoints
 */
export const checkTeamPermission = (
  data: Data,
  id: number,
  userId: number,
  permission: string
): Result.Result<typeof PermissionCheck.Encoded, MakeError.NotFound> =>
  Result.map(requireOrganization(data, id), (org) => ({
    hasPermission: liveTeamRolesOf(data, userId, org.id).some((role) => roleGrants(role.usersRoleId, permission))
  }))
