// The in-memory state of an emulated Make instance: records in Make's wire form, the id sequence, the request log.
// Imports only `effect` (the emulator shares domain/, api/ and MakeError with the client, and nothing else).
/**
 * @since 0.1.0
 */
import { Array as Arr, Chunk, Clock, Duration, Effect, Option, Redacted, Ref } from "effect"

// ---------------------------------------------------------------------------
// Wire records
// ---------------------------------------------------------------------------

/**
 * A JSON value, as Make sends it.
 *
 * @since 0.1.0
 * @category models
 */
export type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [key: string]: Json }

/**
 * A JSON object.
 *
 * @since 0.1.0
 * @category models
 */
export type JsonObject = { readonly [key: string]: Json }

/**
 * An organization's licence, as `GET /organizations/{id}` sends it. `customVariables` absent means the plan does
 * not grant custom organization variables.
 *
 * @since 0.1.0
 * @category models
 */
export type LicenseRecord = {
  readonly apps: ReadonlyArray<string>
  readonly users: number
  readonly dslimit: number
  readonly fslimit: number
  readonly iolimit: number
  readonly advsched: boolean
  readonly dsslimit: number
  readonly fulltext: boolean
  readonly interval: number
  readonly transfer: number
  readonly operations: number
  /** API requests per minute (Teams plan: 240). */
  readonly apiLimit: number
  readonly customVariables?: boolean
}

/**
 * A user's private space, listed on an organization.
 *
 * @since 0.1.0
 * @category models
 */
export type PrivateSpaceRecord = {
  readonly id: number
  readonly name: string
  readonly isOwner: boolean
  readonly hasAdminVisibility: boolean
}

/**
 * An organization in Make's wire form, plus what the emulator needs to behave like Make: `regionId` (accepted on
 * create, never sent back), `activeScenarios` (deleting needs `confirmed=true` while it is above 0), and the Clock
 * millis of creation and of synchronisation with the zone (`GET /organizations/{id}` answers 404 before that).
 *
 * The counters are strings, as Make sends them (`"operations": "0"`).
 *
 * @since 0.1.0
 * @category models
 */
export type OrganizationRecord = {
  readonly id: number
  readonly name: string
  readonly countryId: number
  readonly timezoneId: number
  readonly regionId: number
  readonly zone: string
  readonly serviceName: string
  readonly license: LicenseRecord
  readonly isPaused: boolean
  readonly externalId: string | null
  readonly productName: string | null
  readonly nextReset: string | null
  readonly operations: string
  readonly transfer: string
  readonly operationsExt: string
  readonly transferExt: string
  readonly unusedOperations: string
  readonly unusedTransfer: string
  readonly features: JsonObject
  readonly privateSpaces: ReadonlyArray<PrivateSpaceRecord>
  readonly activeScenarios: number
  readonly createdAt: number
  readonly syncedAt: number
}

/**
 * A team in Make's wire form. `transferLimit` is a string and `operationsLimit` a number, as Make sends them.
 * Deleted teams stay, with `deleted: true` (Admin > Teams keeps listing them).
 *
 * @since 0.1.0
 * @category models
 */
export type TeamRecord = {
  readonly id: number
  readonly name: string
  readonly organizationId: number
  readonly scenarioDrafts: boolean
  readonly deleted: boolean
  readonly externalId: string | null
  readonly operationsLimit: number
  readonly transferLimit: string
}

/**
 * Everything the emulated instance holds. Immutable: every change makes a new value.
 *
 * @since 0.1.0
 * @category models
 */
export type Data = {
  readonly organizations: ReadonlyArray<OrganizationRecord>
  readonly teams: ReadonlyArray<TeamRecord>
  /** The next id to issue; organizations and teams share the sequence, so every id is unique. */
  readonly nextId: number
}

/**
 * One request as the emulator saw it. The `Authorization` header is never recorded, only whether it was accepted.
 *
 * @since 0.1.0
 * @category models
 */
export interface RecordedRequest {
  readonly method: string
  /** The path under the base URL, e.g. `/organizations/11` (no `/api/v2`, no query). */
  readonly path: string
  /** The query with Make's raw names: `{"pg[offset]": "0", "cols[]": ["id", "name"]}`. */
  readonly query: { readonly [name: string]: string | ReadonlyArray<string> }
  /** The parsed JSON body, the raw text when it was not JSON, or `undefined` when there was none. */
  readonly body: unknown
  /** The status answered. */
  readonly status: number
  /** Whether the `Authorization` header carried the accepted token. */
  readonly authenticated: boolean
  /** Clock millis when the request arrived. */
  readonly at: number
}

// ---------------------------------------------------------------------------
// Options and defaults
// ---------------------------------------------------------------------------

/**
 * An organization to seed: `id` and `name`, and whatever should differ from {@link organizationDefaults}.
 *
 * @since 0.1.0
 * @category models
 */
export type SeedOrganization =
  & Pick<OrganizationRecord, "id" | "name">
  & Partial<Omit<OrganizationRecord, "id" | "name" | "createdAt" | "syncedAt">>

/**
 * A team to seed: `id`, `name` and `organizationId`, and whatever should differ from {@link teamDefaults}.
 *
 * @since 0.1.0
 * @category models
 */
export type SeedTeam =
  & Pick<TeamRecord, "id" | "name" | "organizationId">
  & Partial<Omit<TeamRecord, "id" | "name" | "organizationId">>

/**
 * What the emulated instance starts with. Seeded organizations are synchronised from the start.
 *
 * @since 0.1.0
 * @category models
 */
export interface Seed {
  readonly organizations?: ReadonlyArray<SeedOrganization> | undefined
  readonly teams?: ReadonlyArray<SeedTeam> | undefined
}

/**
 * How to set up the emulated instance.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The one API token the instance accepts (default {@link defaultToken}). */
  readonly token?: Redacted.Redacted<string> | undefined
  /** The id of the user behind the token (default 1). */
  readonly userId?: number | undefined
  /** How long a new organization stays unreadable by `GET /organizations/{id}` (default 2 seconds). */
  readonly syncDelay?: Duration.DurationInput | undefined
  /** The initial organizations and teams (default {@link defaultSeed}). */
  readonly seed?: Seed | undefined
  /** The zone the instance serves, e.g. `eu1.make.com` (default). */
  readonly zone?: string | undefined
}

/**
 * The options with every default filled in.
 *
 * @since 0.1.0
 * @category models
 */
export interface Settings {
  readonly token: Redacted.Redacted<string>
  readonly userId: number
  readonly syncDelay: Duration.Duration
  readonly zone: string
}

/**
 * The token the emulator accepts unless told otherwise: `Authorization: Token 6c3e2a1f-5b7d-4e8a-9c0d-1f2e3a4b5c6d`.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultToken: Redacted.Redacted<string> = Redacted.make("6c3e2a1f-5b7d-4e8a-9c0d-1f2e3a4b5c6d")

/**
 * The zone the emulator serves unless told otherwise.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultZone = "eu1.make.com"

/**
 * How long a new organization stays unsynchronised unless told otherwise.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultSyncDelay: Duration.Duration = Duration.seconds(2)

/**
 * The licence of a Teams plan (the create fixture's licence, with `apiLimit` 240 and custom variables).
 *
 * @since 0.1.0
 * @category constants
 */
export const teamsLicense: LicenseRecord = {
  apps: ["T2", "T3"],
  users: 50,
  dslimit: 40,
  fslimit: 2147483648,
  iolimit: 10000,
  advsched: true,
  dsslimit: 524288000,
  fulltext: true,
  interval: 1,
  transfer: 1099511627776,
  operations: 800000000,
  apiLimit: 240,
  customVariables: true
}

/**
 * The fields of an organization that a seed or a create request does not set.
 *
 * @since 0.1.0
 * @category constructors
 */
export const organizationDefaults = (
  zone: string
): Omit<OrganizationRecord, "id" | "name" | "createdAt" | "syncedAt"> => ({
  countryId: 1,
  timezoneId: 113,
  regionId: 1,
  zone,
  serviceName: "default",
  license: teamsLicense,
  isPaused: false,
  externalId: null,
  productName: null,
  nextReset: null,
  operations: "0",
  transfer: "0",
  operationsExt: "0",
  transferExt: "0",
  unusedOperations: "0",
  unusedTransfer: "0",
  features: {},
  privateSpaces: [],
  activeScenarios: 0
})

/**
 * The fields of a team that a seed or a create request does not set.
 *
 * @since 0.1.0
 * @category constants
 */
export const teamDefaults: Omit<TeamRecord, "id" | "name" | "organizationId"> = {
  scenarioDrafts: false,
  deleted: false,
  externalId: null,
  operationsLimit: 0,
  transferLimit: "0"
}

/**
 * The instance the emulator starts with unless told otherwise:
 *
 * | id | organization | what it is for |
 * | --- | --- | --- |
 * | 11 | Acme | 3 active scenarios (delete needs `confirmed=true`), a private space, teams 21, 22 and deleted 23 |
 * | 12 | Beta Labs | a single-app licence (`license.apps` is sent as a bare string by PATCH), team 24, `externalId` |
 * | 13 | Gamma | a licence without `customVariables`, team 25 |
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultSeed: Seed = {
  organizations: [
    {
      id: 11,
      name: "Acme",
      activeScenarios: 3,
      serviceName: "unlimited",
      privateSpaces: [{ id: 101, name: "Becca's space", isOwner: true, hasAdminVisibility: false }]
    },
    {
      id: 12,
      name: "Beta Labs",
      countryId: 6,
      timezoneId: 164,
      externalId: "BETA-001",
      productName: "Teams",
      license: { ...teamsLicense, apps: ["T2"] }
    },
    {
      id: 13,
      name: "Gamma",
      serviceName: "free",
      productName: "Free",
      license: {
        apps: ["T1"],
        users: 2,
        dslimit: 1,
        fslimit: 104857600,
        iolimit: 1000,
        advsched: false,
        dsslimit: 1048576,
        fulltext: false,
        interval: 15,
        transfer: 104857600,
        operations: 1000,
        apiLimit: 60
      }
    }
  ],
  teams: [
    { id: 21, name: "My Team", organizationId: 11 },
    { id: 22, name: "Marketing", organizationId: 11, externalId: "MKT-1" },
    { id: 23, name: "Removed team", organizationId: 11, deleted: true },
    { id: 24, name: "My Team", organizationId: 12 },
    { id: 25, name: "My Team", organizationId: 13 }
  ]
}

// ---------------------------------------------------------------------------
// The state
// ---------------------------------------------------------------------------

/**
 * A running emulated instance: its settings, its data and its request log.
 *
 * @since 0.1.0
 * @category models
 */
export interface EmulatorState {
  readonly settings: Settings
  readonly data: Ref.Ref<Data>
  readonly log: Ref.Ref<Chunk.Chunk<RecordedRequest>>
}

/**
 * Fills in the defaults of {@link Options}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const settings = (options?: Options): Settings => ({
  token: options?.token ?? defaultToken,
  userId: options?.userId ?? 1,
  syncDelay: options?.syncDelay === undefined ? defaultSyncDelay : Duration.decode(options.syncDelay),
  zone: options?.zone ?? defaultZone
})

/**
 * The data a seed describes, every organization synchronised at `now`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromSeed = (seed: Seed, zone: string, now: number): Data => {
  const organizations = (seed.organizations ?? []).map((org): OrganizationRecord => ({
    ...organizationDefaults(zone),
    ...org,
    createdAt: now,
    syncedAt: now
  }))
  const teams = (seed.teams ?? []).map((team): TeamRecord => ({ ...teamDefaults, ...team }))
  const ids = [...organizations.map((org) => org.id), ...teams.map((team) => team.id)]
  return { organizations, teams, nextId: Math.max(0, ...ids) + 1 }
}

/**
 * Creates the state of a new instance; the seed's time comes from the `Clock`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options?: Options): Effect.Effect<EmulatorState> =>
  Effect.gen(function*() {
    const resolved = settings(options)
    const now = yield* Clock.currentTimeMillis
    const data = yield* Ref.make(fromSeed(options?.seed ?? defaultSeed, resolved.zone, now))
    const log = yield* Ref.make(Chunk.empty<RecordedRequest>())
    return { settings: resolved, data, log }
  })

// ---------------------------------------------------------------------------
// Pure operations on the data (the handlers run them inside `Ref.modify`, so each is atomic)
// ---------------------------------------------------------------------------

/**
 * @since 0.1.0
 * @category queries
 */
export const findOrganization = (data: Data, id: number): Option.Option<OrganizationRecord> =>
  Arr.findFirst(data.organizations, (org) => org.id === id)

/**
 * @since 0.1.0
 * @category queries
 */
export const findTeam = (data: Data, id: number): Option.Option<TeamRecord> =>
  Arr.findFirst(data.teams, (team) => team.id === id)

/**
 * Every team of an organization, deleted ones included.
 *
 * @since 0.1.0
 * @category queries
 */
export const teamsOf = (data: Data, organizationId: number): ReadonlyArray<TeamRecord> =>
  data.teams.filter((team) => team.organizationId === organizationId)

/**
 * The teams an organization shows (`organization.teams`): those not deleted.
 *
 * @since 0.1.0
 * @category queries
 */
export const liveTeamsOf = (data: Data, organizationId: number): ReadonlyArray<TeamRecord> =>
  teamsOf(data, organizationId).filter((team) => !team.deleted)

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
 * Adds an organization and its default team "My Team"; the organization is synchronised at `syncedAt`.
 *
 * @since 0.1.0
 * @category operations
 */
export const addOrganization = (
  input: NewOrganization,
  times: { readonly createdAt: number; readonly syncedAt: number },
  zone: string
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
      organizations: Arr.append(data.organizations, organization),
      teams: Arr.append(data.teams, team),
      nextId: data.nextId + 2
    }
  ]
}

/**
 * Changes an organization; `None` when there is no such organization.
 *
 * @since 0.1.0
 * @category operations
 */
export const updateOrganization = (
  id: number,
  change: (org: OrganizationRecord) => OrganizationRecord
) =>
(data: Data): readonly [Option.Option<OrganizationRecord>, Data] =>
  Option.match(findOrganization(data, id), {
    onNone: () => [Option.none(), data],
    onSome: (org) => {
      const updated = change(org)
      return [
        Option.some(updated),
        { ...data, organizations: data.organizations.map((o) => o.id === id ? updated : o) }
      ]
    }
  })

/**
 * Removes an organization and all its teams.
 *
 * @since 0.1.0
 * @category operations
 */
export const removeOrganization = (id: number) => (data: Data): Data => ({
  ...data,
  organizations: data.organizations.filter((org) => org.id !== id),
  teams: data.teams.filter((team) => team.organizationId !== id)
})

/**
 * What `POST /admin/teams` needs.
 *
 * @since 0.1.0
 * @category models
 */
export interface NewTeam {
  readonly name: string
  readonly organizationId: number
}

/**
 * Adds a team (the caller has checked that the organization exists).
 *
 * @since 0.1.0
 * @category operations
 */
export const addTeam = (input: NewTeam) => (data: Data): readonly [TeamRecord, Data] => {
  const team: TeamRecord = { ...teamDefaults, id: data.nextId, name: input.name, organizationId: input.organizationId }
  return [team, { ...data, teams: Arr.append(data.teams, team), nextId: data.nextId + 1 }]
}

/**
 * Changes a team that is not deleted; `None` when there is no such team.
 *
 * @since 0.1.0
 * @category operations
 */
export const updateTeam =
  (id: number, change: (team: TeamRecord) => TeamRecord) => (data: Data): readonly [Option.Option<TeamRecord>, Data] =>
    Option.match(Option.filter(findTeam(data, id), (team) => !team.deleted), {
      onNone: () => [Option.none(), data],
      onSome: (team) => {
        const updated = change(team)
        return [Option.some(updated), { ...data, teams: data.teams.map((t) => t.id === id ? updated : t) }]
      }
    })
