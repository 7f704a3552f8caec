// The in-memory state of an emulated Make instance: records in Make's wire form, the id sequences, the seed, the
// request log, the fault plan, the rate-limit windows, and the pure operations on them. Imports `effect`, testing/.
/**
 * @since 0.1.0
 */
import { Array as Arr, Chunk, Clock, Duration, Effect, HashMap, Option, Redacted, Ref } from "effect"
import {
  amountOf,
  dayMillis,
  defaultInvitedRoleId,
  featureControlCatalogue,
  findPrice,
  invitationHash,
  isoOf,
  ownerRoleId,
  teamAdminRoleId,
  teamMemberRoleId
} from "./EmulatorCatalog.js"
import {
  type ActivePlan,
  type Fault,
  type FaultPlan,
  type RateLimitOptions,
  type RateLimitSettings,
  rateLimitSettings,
  type RateWindow,
  type RateWindows
} from "./EmulatorFaults.js"

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
 * A user the instance knows: the one behind the token, and whoever accepted an invitation.
 *
 * @since 0.1.0
 * @category models
 */
export type UserRecord = {
  readonly id: number
  readonly name: string
  readonly email: string
}

/**
 * A user's membership of an organization, with the organization role (see `EmulatorCatalog.organizationRoles`).
 *
 * @since 0.1.0
 * @category models
 */
export type MembershipRecord = {
  readonly userId: number
  readonly organizationId: number
  readonly usersRoleId: number
}

/**
 * A user's role in a team (see `EmulatorCatalog.teamRoles`): what `check-team-permission` looks at.
 *
 * @since 0.1.0
 * @category models
 */
export type TeamRoleRecord = {
  readonly userId: number
  readonly teamId: number
  readonly usersRoleId: number
}

/**
 * An invitation to an organization. `id` is the emulator's own (Make identifies invitations by `hash` only).
 *
 * @since 0.1.0
 * @category models
 */
export type InvitationRecord = {
  readonly id: number
  readonly hash: string
  readonly organizationId: number
  readonly email: string
  readonly name: string
  readonly usersRoleId: number
  readonly note: string | null
  readonly teamsId: ReadonlyArray<number>
  readonly accepted: boolean
  /** ISO 8601. */
  readonly createdAt: string
}

/**
 * A custom app of a user of an organization, in wire form plus the organization it is listed under.
 *
 * @since 0.1.0
 * @category models
 */
export type CustomAppRecord = {
  readonly organizationId: number
  /** Suffixed with a random-looking string, as Make names custom apps. */
  readonly name: string
  readonly label: string
  readonly version: number
  readonly public: boolean
  readonly approved: boolean
  readonly theme: string
  readonly description: string
}

/**
 * A payment, in wire form plus its organization.
 *
 * @since 0.1.0
 * @category models
 */
export type PaymentRecord = {
  readonly id: number
  readonly organizationId: number
  readonly priceId: number
  readonly quantity: number
  /** In the currency's main unit (`34.12`). */
  readonly amount: number
  readonly currency: string
  /** `paid` or `failed`. */
  readonly status: string
  readonly couponCode: string | null
  /** ISO 8601. */
  readonly createdAt: string
}

/**
 * A subscription, in wire form plus its organization. An organization has at most one that is `active` or `free`
 * (its current subscription); `canceled` ones stay as history.
 *
 * @since 0.1.0
 * @category models
 */
export type SubscriptionRecord = {
  readonly id: number
  readonly organizationId: number
  /** `null` on the Free plan. */
  readonly priceId: number | null
  readonly status: "active" | "canceled" | "free"
  readonly productName: string
  readonly couponCode: string | null
  /** ISO 8601. */
  readonly createdAt: string
  /** ISO 8601; `null` when nothing will be billed (Free plan, cancelled). */
  readonly nextBillingAt: string | null
}

/**
 * A variable's value in wire form: a date is its ISO 8601 string.
 *
 * @since 0.1.0
 * @category models
 */
export type VariableValue = number | string | boolean

/**
 * Who made a change (the `author` of a history entry).
 *
 * @since 0.1.0
 * @category models
 */
export type AuthorRecord = {
  readonly id: number
  readonly name: string
  readonly email: string
}

/**
 * One entry of a variable's history: its creation, or an update from one value to another.
 *
 * @since 0.1.0
 * @category models
 */
export type VariableChange = {
  readonly id: number
  /** ISO 8601, from the Clock. */
  readonly timestamp: string
  readonly author: AuthorRecord
  readonly change:
    | { readonly _tag: "Created"; readonly value: VariableValue }
    | { readonly _tag: "Updated"; readonly originalValue: VariableValue; readonly newValue: VariableValue }
}

/**
 * A custom organization variable, in wire form (`typeId` + `value`), with its history (oldest first). System
 * variables are not stored: they are derived from the organization (see the handlers).
 *
 * @since 0.1.0
 * @category models
 */
export type VariableRecord = {
  readonly organizationId: number
  readonly name: string
  readonly typeId: 1 | 2 | 3 | 4
  readonly value: VariableValue
  readonly history: ReadonlyArray<VariableChange>
}

/**
 * A feature control of an organization, in wire form plus its organization.
 *
 * @since 0.1.0
 * @category models
 */
export type FeatureControlRecord = {
  readonly organizationId: number
  readonly id: number
  readonly name: string
  readonly enabled: boolean
  readonly description: string
}

/**
 * The next id of each kind of record that has its own sequence (as Make's tables do).
 *
 * @since 0.1.0
 * @category models
 */
export type Counters = {
  readonly user: number
  readonly invitation: number
  readonly payment: number
  readonly subscription: number
  readonly historyEntry: number
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
  readonly users: ReadonlyArray<UserRecord>
  readonly memberships: ReadonlyArray<MembershipRecord>
  readonly teamRoles: ReadonlyArray<TeamRoleRecord>
  readonly invitations: ReadonlyArray<InvitationRecord>
  readonly customApps: ReadonlyArray<CustomAppRecord>
  readonly payments: ReadonlyArray<PaymentRecord>
  readonly subscriptions: ReadonlyArray<SubscriptionRecord>
  readonly variables: ReadonlyArray<VariableRecord>
  readonly featureControls: ReadonlyArray<FeatureControlRecord>
  /** The other sequences. */
  readonly counters: Counters
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
  /**
   * The status answered: 0 when no HTTP answer was sent (a `reset` or `refused` connection), 499 (nginx's "client
   * closed request") when the client went away first.
   */
  readonly status: number
  /** Whether the `Authorization` header carried the accepted token. */
  readonly authenticated: boolean
  /** Clock millis when the request arrived. */
  readonly at: number
  /** What went wrong on purpose: an injected fault, or `rateLimit` (the organization's limit); absent when nothing. */
  readonly fault?: Fault
  /**
   * Whether the request reached the API (the handlers ran, so state may have changed). `false` when a fault or the
   * rate limit answered first, when the body was not JSON, or when the client went away before.
   */
  readonly processed: boolean
  /** Whether the client went away before the answer (the request's fiber was interrupted). */
  readonly aborted: boolean
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
 * A team role to seed; `userId` defaults to the user behind the token.
 *
 * @since 0.1.0
 * @category models
 */
export type SeedTeamRole = Omit<TeamRoleRecord, "userId"> & { readonly userId?: number | undefined }

/**
 * An invitation to seed: `hash` defaults to `EmulatorCatalog.invitationHash(id)`, `usersRoleId` to 13 (Member),
 * `note` to `null`, `teamsId` to none; it is pending and was sent at the seed's time.
 *
 * @since 0.1.0
 * @category models
 */
export type SeedInvitation =
  & Pick<InvitationRecord, "id" | "organizationId" | "email" | "name">
  & Partial<Pick<InvitationRecord, "hash" | "usersRoleId" | "note" | "teamsId">>

/**
 * A payment to seed, made `daysAgo` days before the seed's time; `amount` and `currency` come from the price list,
 * `quantity` defaults to 1, `status` to `paid`.
 *
 * @since 0.1.0
 * @category models
 */
export type SeedPayment =
  & Pick<PaymentRecord, "id" | "organizationId" | "priceId">
  & Partial<Pick<PaymentRecord, "quantity" | "status" | "couponCode">>
  & { readonly daysAgo: number }

/**
 * A subscription to seed, started `daysAgo` days before the seed's time; the product comes from the price list
 * (`Free` for `priceId: null`), billing every 30 days from the start while `active`.
 *
 * @since 0.1.0
 * @category models
 */
export type SeedSubscription =
  & Pick<SubscriptionRecord, "id" | "organizationId" | "priceId" | "status">
  & Partial<Pick<SubscriptionRecord, "couponCode">>
  & { readonly daysAgo: number }

/**
 * A custom variable to seed. With `earlierValues`, it was created with the first of them and updated through the
 * rest to `value`, one change a day, the last at the seed's time; without, it was created at the seed's time.
 * Every change is by the user behind the token.
 *
 * @since 0.1.0
 * @category models
 */
export type SeedVariable =
  & Pick<VariableRecord, "organizationId" | "name" | "typeId" | "value">
  & { readonly earlierValues?: ReadonlyArray<VariableValue> | undefined }

/**
 * What the emulated instance starts with. Seeded organizations are synchronised from the start, and the user
 * behind the token is their owner (organization role 11).
 *
 * Left out: `teamRoles` makes the token's user Team Admin of every seeded team, `featureControls` gives every
 * seeded organization the catalogue's; the other lists start empty.
 *
 * @since 0.1.0
 * @category models
 */
export interface Seed {
  readonly organizations?: ReadonlyArray<SeedOrganization> | undefined
  readonly teams?: ReadonlyArray<SeedTeam> | undefined
  readonly teamRoles?: ReadonlyArray<SeedTeamRole> | undefined
  readonly invitations?: ReadonlyArray<SeedInvitation> | undefined
  readonly customApps?: ReadonlyArray<CustomAppRecord> | undefined
  readonly payments?: ReadonlyArray<SeedPayment> | undefined
  readonly subscriptions?: ReadonlyArray<SeedSubscription> | undefined
  readonly variables?: ReadonlyArray<SeedVariable> | undefined
  readonly featureControls?: ReadonlyArray<FeatureControlRecord> | undefined
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
  /** The name of the user behind the token (default `Awesome Maker`, as fixtures/users/me.json). */
  readonly userName?: string | undefined
  /** The e-mail of the user behind the token (default `noreply@make.com`, as fixtures/users/me.json). */
  readonly userEmail?: string | undefined
  /**
   * The timezone of the user behind the token, in minutes east of UTC (default 0): usage days follow it unless
   * `organizationTimezone=true`.
   */
  readonly userTimezoneOffsetMinutes?: number | undefined
  /** How long a new organization stays unreadable by `GET /organizations/{id}` (default 2 seconds). */
  readonly syncDelay?: Duration.DurationInput | undefined
  /** The initial organizations and teams (default {@link defaultSeed}). */
  readonly seed?: Seed | undefined
  /** The zone the instance serves, e.g. `eu1.make.com` (default). */
  readonly zone?: string | undefined
  /** Seeded fault injection from the start (default none; `Emulator.setFaults` changes it at run time). */
  readonly faults?: FaultPlan | undefined
  /**
   * Make's per-organization rate limit (default off): `true` limits each organization to its `license.apiLimit`
   * requests in any 60 seconds, `{ perMinute }` to a fixed number; `{ window: "fixed" }` counts in windows aligned on
   * whole minutes instead of a sliding minute (see `EmulatorFaults.RateWindowMode`). Past it: 429 with `Retry-After`.
   */
  readonly rateLimit?: boolean | RateLimitOptions | undefined
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
  readonly userName: string
  readonly userEmail: string
  readonly userTimezoneOffsetMinutes: number
  readonly syncDelay: Duration.Duration
  readonly zone: string
  /** `None` when requests are not rate limited. */
  readonly rateLimit: Option.Option<RateLimitSettings>
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
 * The catalogue's feature controls for an organization, with `enabled` overridden by id.
 *
 * @since 0.1.0
 * @category constructors
 */
export const defaultFeatureControls = (
  organizationId: number,
  enabled: { readonly [id: number]: boolean } = {}
): ReadonlyArray<FeatureControlRecord> =>
  featureControlCatalogue.map((control) => ({
    organizationId,
    id: control.id,
    name: control.name,
    enabled: enabled[control.id] ?? control.enabled,
    description: control.description
  }))

/**
 * The instance the emulator starts with unless told otherwise (the user behind the token owns all three):
 *
 * | id | organization | what it is for |
 * | --- | --- | --- |
 * | 11 | Acme | 3 active scenarios (delete needs `confirmed=true`), a private space, teams 21, 22 and deleted 23 |
 * | 12 | Beta Labs | a single-app licence (`license.apps` is sent as a bare string by PATCH), team 24, `externalId` |
 * | 13 | Gamma | a licence without `customVariables`, team 25 |
 *
 * The token's user in teams (see `EmulatorCatalog.teamRoles`): Team Admin (1) of 21, Team Monitoring (3) of 22
 * and 24, Team Operator (4) of 25, Team Admin of the deleted 23 (which grants nothing). So `scenario add` is held in
 * 11 only, `scenario run` in 11 and 13, `scenario view` everywhere.
 *
 * | what | seeded |
 * | --- | --- |
 * | invitations | 1: to Acme, hash `bf1effe1-bc9d-4ab3-9414-9c3b66175305`, `dana@example.com` "Dana Scully", role 13, note "Welcome to Acme", team 22, pending |
 * | custom apps | Acme: `acme-crm-k3x9f2` (published, approved), `acme-billing-bridge-7qz1md` (unpublished); Beta Labs: `beta-webhooks-p0w4ne` |
 * | subscriptions | 401: Acme, Teams (103), `active`, started 65 days ago; 402: Beta Labs, Teams (103), `canceled`; Gamma: none |
 * | payments | Acme 501–505 (65, 50, 35, 20, 5 days ago: Teams, 2 × 10k ops, Teams, 10k ops with `WELCOME10`, Teams); Beta Labs 506 (paid), 507 (`failed`) |
 * | variables | Acme: `dailyLimit` (1: 100 → 250, one update), `apiBaseUrl` (2), `maintenanceMode` (3: false), `launchDate` (4); Beta Labs: `region` (2: "EU"); Gamma: `legacyFlag` (3, hidden by its licence) |
 * | feature controls | the catalogue's (3 on, 7 off, 12 on), except Acme 7 on and Gamma 3 off |
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
      productName: "Teams",
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
  ],
  teamRoles: [
    { teamId: 21, usersRoleId: 1 },
    { teamId: 22, usersRoleId: 3 },
    { teamId: 23, usersRoleId: 1 },
    { teamId: 24, usersRoleId: 3 },
    { teamId: 25, usersRoleId: 4 }
  ],
  invitations: [
    {
      id: 1,
      organizationId: 11,
      hash: "bf1effe1-bc9d-4ab3-9414-9c3b66175305",
      email: "dana@example.com",
      name: "Dana Scully",
      usersRoleId: 13,
      note: "Welcome to Acme",
      teamsId: [22]
    }
  ],
  customApps: [
    {
      organizationId: 11,
      name: "acme-crm-k3x9f2",
      label: "Acme CRM",
      version: 1,
      public: true,
      approved: true,
      theme: "#0f62fe",
      description: "Contacts and deals of the Acme CRM."
    },
    {
      organizationId: 11,
      name: "acme-billing-bridge-7qz1md",
      label: "Billing bridge",
      version: 2,
      public: false,
      approved: false,
      theme: "#24a148",
      description: "Pushes invoices to the ledger."
    },
    {
      organizationId: 12,
      name: "beta-webhooks-p0w4ne",
      label: "Beta webhooks",
      version: 1,
      public: false,
      approved: false,
      theme: "#8a3ffc",
      description: "Webhooks of the Beta Labs platform."
    }
  ],
  subscriptions: [
    { id: 401, organizationId: 11, priceId: 103, status: "active", daysAgo: 65 },
    { id: 402, organizationId: 12, priceId: 103, status: "canceled", daysAgo: 40 }
  ],
  payments: [
    { id: 501, organizationId: 11, priceId: 103, daysAgo: 65 },
    { id: 502, organizationId: 11, priceId: 201, quantity: 2, daysAgo: 50 },
    { id: 503, organizationId: 11, priceId: 103, daysAgo: 35 },
    { id: 504, organizationId: 11, priceId: 201, couponCode: "WELCOME10", daysAgo: 20 },
    { id: 505, organizationId: 11, priceId: 103, daysAgo: 5 },
    { id: 506, organizationId: 12, priceId: 103, daysAgo: 40 },
    { id: 507, organizationId: 12, priceId: 103, status: "failed", daysAgo: 10 }
  ],
  variables: [
    { organizationId: 11, name: "dailyLimit", typeId: 1, value: 250, earlierValues: [100] },
    { organizationId: 11, name: "apiBaseUrl", typeId: 2, value: "https://api.acme.example" },
    { organizationId: 11, name: "maintenanceMode", typeId: 3, value: false },
    { organizationId: 11, name: "launchDate", typeId: 4, value: "2026-12-01T09:00:00.000Z" },
    { organizationId: 12, name: "region", typeId: 2, value: "EU" },
    { organizationId: 13, name: "legacyFlag", typeId: 3, value: true }
  ],
  featureControls: [
    ...defaultFeatureControls(11, { 7: true }),
    ...defaultFeatureControls(12),
    ...defaultFeatureControls(13, { 3: false })
  ]
}

// ---------------------------------------------------------------------------
// The state
// ---------------------------------------------------------------------------

/**
 * A running emulated instance: its settings, its data, its request log, the fault plan in force (with how many
 * requests it has numbered) and the rate limit's windows.
 *
 * @since 0.1.0
 * @category models
 */
export interface EmulatorState {
  readonly settings: Settings
  readonly data: Ref.Ref<Data>
  readonly log: Ref.Ref<Chunk.Chunk<RecordedRequest>>
  readonly faults: Ref.Ref<Option.Option<ActivePlan>>
  readonly rateWindows: Ref.Ref<RateWindows>
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
  userName: options?.userName ?? "Awesome Maker",
  userEmail: options?.userEmail ?? "noreply@make.com",
  userTimezoneOffsetMinutes: options?.userTimezoneOffsetMinutes ?? 0,
  syncDelay: options?.syncDelay === undefined ? defaultSyncDelay : Duration.decode(options.syncDelay),
  zone: options?.zone ?? defaultZone,
  rateLimit: rateLimitSettings(options?.rateLimit)
})

/** The next id after the largest one used (`first` when none is). */
const nextAfter = (ids: ReadonlyArray<number>, first = 1): number => Math.max(first - 1, ...ids) + 1

/**
 * Who the user behind the token is, as a history entry names its author.
 *
 * @since 0.1.0
 * @category constructors
 */
export const tokenUser = (settings: Settings): AuthorRecord => ({
  id: settings.userId,
  name: settings.userName,
  email: settings.userEmail
})

const seedVariable = (
  variable: SeedVariable,
  author: AuthorRecord,
  now: number,
  firstEntryId: number
): VariableRecord => {
  const values = [...(variable.earlierValues ?? []), variable.value]
  const last = values.length - 1
  const at = (i: number) => isoOf(now - (last - i) * dayMillis)
  const history = values.map((value, i): VariableChange => ({
    id: firstEntryId + i,
    timestamp: at(i),
    author,
    change: i === 0
      ? { _tag: "Created", value }
      : { _tag: "Updated", originalValue: values[i - 1] ?? value, newValue: value }
  }))
  return {
    organizationId: variable.organizationId,
    name: variable.name,
    typeId: variable.typeId,
    value: variable.value,
    history
  }
}

/** Seeded variables, their history entries numbered from 1 in seed order. */
const seedVariables = (
  seeds: ReadonlyArray<SeedVariable>,
  author: AuthorRecord,
  now: number
): ReadonlyArray<VariableRecord> =>
  Arr.mapAccum(seeds, 1, (nextEntryId, seed) => {
    const variable = seedVariable(seed, author, now, nextEntryId)
    return [nextEntryId + variable.history.length, variable]
  })[1]

const seedSubscription = (seed: SeedSubscription, now: number): SubscriptionRecord => {
  const started = now - seed.daysAgo * dayMillis
  // Billing every 30 days from the start: the next period boundary after now.
  const periods = Math.floor(seed.daysAgo / 30) + 1
  return {
    id: seed.id,
    organizationId: seed.organizationId,
    priceId: seed.priceId,
    status: seed.status,
    productName: productNameOf(seed.priceId),
    couponCode: seed.couponCode ?? null,
    createdAt: isoOf(started),
    nextBillingAt: seed.status === "active" ? isoOf(started + periods * 30 * dayMillis) : null
  }
}

/**
 * The product of a plan's price (`Free` for `null`, the price id itself if the price list lacks it).
 *
 * @since 0.1.0
 * @category queries
 */
export const productNameOf = (priceId: number | null): string =>
  priceId === null
    ? "Free"
    : Option.match(findPrice(priceId), { onNone: () => `Price ${priceId}`, onSome: (price) => price.productName })

const seedPayment = (seed: SeedPayment, now: number): PaymentRecord => {
  const quantity = seed.quantity ?? 1
  const couponCode = seed.couponCode ?? null
  return {
    id: seed.id,
    organizationId: seed.organizationId,
    priceId: seed.priceId,
    quantity,
    amount: amountOf(seed.priceId, quantity, couponCode),
    currency: Option.match(findPrice(seed.priceId), { onNone: () => "USD", onSome: (price) => price.currency }),
    status: seed.status ?? "paid",
    couponCode,
    createdAt: isoOf(now - seed.daysAgo * dayMillis)
  }
}

/**
 * The data a seed describes at `now` (every organization synchronised), for the user the settings name.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromSeed = (seed: Seed, settings: Settings, now: number): Data => {
  const organizations = (seed.organizations ?? []).map((org): OrganizationRecord => ({
    ...organizationDefaults(settings.zone),
    ...org,
    createdAt: now,
    syncedAt: now
  }))
  const teams = (seed.teams ?? []).map((team): TeamRecord => ({ ...teamDefaults, ...team }))
  const ids = [...organizations.map((org) => org.id), ...teams.map((team) => team.id)]
  const user = tokenUser(settings)
  const seededRoles: ReadonlyArray<SeedTeamRole> = seed.teamRoles ??
    teams.map((team) => ({ teamId: team.id, usersRoleId: teamAdminRoleId }))
  const teamRoles = seededRoles.map((role): TeamRoleRecord => ({
    teamId: role.teamId,
    usersRoleId: role.usersRoleId,
    userId: role.userId ?? settings.userId
  }))
  const invitations = (seed.invitations ?? []).map((invitation): InvitationRecord => ({
    hash: invitationHash(invitation.id),
    usersRoleId: defaultInvitedRoleId,
    note: null,
    teamsId: [],
    ...invitation,
    accepted: false,
    createdAt: isoOf(now)
  }))
  const payments = (seed.payments ?? []).map((payment) => seedPayment(payment, now))
  const subscriptions = (seed.subscriptions ?? []).map((subscription) => seedSubscription(subscription, now))
  const variables = seedVariables(seed.variables ?? [], user, now)
  return {
    organizations,
    teams,
    nextId: nextAfter(ids),
    users: [user],
    memberships: organizations.map((org) => ({
      userId: settings.userId,
      organizationId: org.id,
      usersRoleId: ownerRoleId
    })),
    teamRoles,
    invitations,
    customApps: seed.customApps ?? [],
    payments,
    subscriptions,
    variables,
    featureControls: seed.featureControls ?? organizations.flatMap((org) => defaultFeatureControls(org.id)),
    counters: {
      // Invited users get ids from 1001 up, clear of the seed's (and of the token user's) ids.
      user: nextAfter([settings.userId], 1001),
      invitation: nextAfter(invitations.map((invitation) => invitation.id)),
      payment: nextAfter(payments.map((payment) => payment.id)),
      subscription: nextAfter(subscriptions.map((subscription) => subscription.id)),
      historyEntry: nextAfter(variables.flatMap((variable) => variable.history.map((entry) => entry.id)))
    }
  }
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
    const data = yield* Ref.make(fromSeed(options?.seed ?? defaultSeed, resolved, now))
    const log = yield* Ref.make(Chunk.empty<RecordedRequest>())
    const faults = yield* Ref.make(Option.map(Option.fromNullable(options?.faults), (plan) => ({ plan, drawn: 0 })))
    const rateWindows = yield* Ref.make(HashMap.empty<string, RateWindow>())
    return { settings: resolved, data, log, faults, rateWindows }
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
      ...data,
      organizations: Arr.append(data.organizations, organization),
      teams: Arr.append(data.teams, team),
      nextId: data.nextId + 2,
      memberships: Arr.append(data.memberships, {
        userId: owner,
        organizationId: organization.id,
        usersRoleId: ownerRoleId
      }),
      teamRoles: Arr.append(data.teamRoles, { userId: owner, teamId: team.id, usersRoleId: teamAdminRoleId }),
      featureControls: Arr.appendAll(data.featureControls, defaultFeatureControls(organization.id))
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
 * Removes an organization with everything in it: teams (and the roles in them), memberships, invitations, custom
 * apps, billing, variables, feature controls. Users stay: they may belong to other organizations.
 *
 * @since 0.1.0
 * @category operations
 */
export const removeOrganization = (id: number) => (data: Data): Data => {
  const teamIds = teamsOf(data, id).map((team) => team.id)
  const elsewhere = <A extends { readonly organizationId: number }>(records: ReadonlyArray<A>): ReadonlyArray<A> =>
    records.filter((record) => record.organizationId !== id)
  return {
    ...data,
    organizations: data.organizations.filter((org) => org.id !== id),
    teams: elsewhere(data.teams),
    teamRoles: data.teamRoles.filter((role) => !teamIds.includes(role.teamId)),
    memberships: elsewhere(data.memberships),
    invitations: elsewhere(data.invitations),
    customApps: elsewhere(data.customApps),
    payments: elsewhere(data.payments),
    subscriptions: elsewhere(data.subscriptions),
    variables: elsewhere(data.variables),
    featureControls: elsewhere(data.featureControls)
  }
}

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
 * Adds a team whose Team Admin is `admin` (the caller has checked that the organization exists).
 *
 * @since 0.1.0
 * @category operations
 */
export const addTeam = (input: NewTeam, admin: number) => (data: Data): readonly [TeamRecord, Data] => {
  const team: TeamRecord = { ...teamDefaults, id: data.nextId, name: input.name, organizationId: input.organizationId }
  return [team, {
    ...data,
    teams: Arr.append(data.teams, team),
    nextId: data.nextId + 1,
    teamRoles: Arr.append(data.teamRoles, { userId: admin, teamId: team.id, usersRoleId: teamAdminRoleId })
  }]
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

// ---------------------------------------------------------------------------
// Users, memberships and team roles
// ---------------------------------------------------------------------------

/**
 * The user with an e-mail, compared case-insensitively (as e-mail addresses are).
 *
 * @since 0.1.0
 * @category queries
 */
export const findUserByEmail = (data: Data, email: string): Option.Option<UserRecord> =>
  Arr.findFirst(data.users, (user) => user.email.toLowerCase() === email.toLowerCase())

/**
 * Whether a user is a member of an organization.
 *
 * @since 0.1.0
 * @category queries
 */
export const isMember = (data: Data, userId: number, organizationId: number): boolean =>
  data.memberships.some((m) => m.userId === userId && m.organizationId === organizationId)

/**
 * A user's roles in the teams of an organization that are not deleted (a deleted team grants nothing).
 *
 * @since 0.1.0
 * @category queries
 */
export const liveTeamRolesOf = (data: Data, userId: number, organizationId: number): ReadonlyArray<TeamRoleRecord> => {
  const teamIds = liveTeamsOf(data, organizationId).map((team) => team.id)
  return data.teamRoles.filter((role) => role.userId === userId && teamIds.includes(role.teamId))
}

/**
 * Gives a user a role in a team, replacing the role they had there.
 *
 * @since 0.1.0
 * @category operations
 */
export const setTeamRole = (role: TeamRoleRecord) => (data: Data): Data => ({
  ...data,
  teamRoles: Arr.append(
    data.teamRoles.filter((r) => !(r.userId === role.userId && r.teamId === role.teamId)),
    role
  )
})

// ---------------------------------------------------------------------------
// Invitations
// ---------------------------------------------------------------------------

/**
 * @since 0.1.0
 * @category queries
 */
export const findInvitation = (data: Data, hash: string): Option.Option<InvitationRecord> =>
  Arr.findFirst(data.invitations, (invitation) => invitation.hash === hash)

/**
 * What `POST /organizations/{organizationId}/invite` needs (the caller has checked the organization and the teams).
 *
 * @since 0.1.0
 * @category models
 */
export type NewInvitation = Pick<
  InvitationRecord,
  "organizationId" | "email" | "name" | "usersRoleId" | "note" | "teamsId" | "createdAt"
>

/**
 * Adds a pending invitation with the next id and the hash of that id.
 *
 * @since 0.1.0
 * @category operations
 */
export const addInvitation = (input: NewInvitation) => (data: Data): readonly [InvitationRecord, Data] => {
  const id = data.counters.invitation
  const invitation: InvitationRecord = { ...input, id, hash: invitationHash(id), accepted: false }
  return [invitation, {
    ...data,
    invitations: Arr.append(data.invitations, invitation),
    counters: { ...data.counters, invitation: id + 1 }
  }]
}

/**
 * Accepts an invitation: the user with the invited e-mail (a new user if there is none) becomes a member of the
 * organization with the invitation's role and Team Member of each of its teams that still exists; the invitation
 * is marked accepted. Answers the membership.
 *
 * @since 0.1.0
 * @category operations
 */
export const acceptInvitation = (invitation: InvitationRecord) => (data: Data): readonly [MembershipRecord, Data] => {
  const known = findUserByEmail(data, invitation.email)
  const user: UserRecord = Option.getOrElse(known, () => ({
    id: data.counters.user,
    name: invitation.name,
    email: invitation.email
  }))
  const membership: MembershipRecord = {
    userId: user.id,
    organizationId: invitation.organizationId,
    usersRoleId: invitation.usersRoleId
  }
  const liveTeamIds = liveTeamsOf(data, invitation.organizationId).map((team) => team.id)
  const withUser: Data = {
    ...data,
    users: Option.isSome(known) ? data.users : Arr.append(data.users, user),
    counters: Option.isSome(known) ? data.counters : { ...data.counters, user: data.counters.user + 1 },
    memberships: Arr.append(
      data.memberships.filter((m) => !(m.userId === user.id && m.organizationId === invitation.organizationId)),
      membership
    ),
    invitations: data.invitations.map((i) => i.id === invitation.id ? { ...i, accepted: true } : i)
  }
  const withRoles = invitation.teamsId
    .filter((teamId) => liveTeamIds.includes(teamId))
    .reduce((acc, teamId) => setTeamRole({ userId: user.id, teamId, usersRoleId: teamMemberRoleId })(acc), withUser)
  return [membership, withRoles]
}

// ---------------------------------------------------------------------------
// Custom apps, feature controls
// ---------------------------------------------------------------------------

/**
 * @since 0.1.0
 * @category queries
 */
export const customAppsOf = (data: Data, organizationId: number): ReadonlyArray<CustomAppRecord> =>
  data.customApps.filter((app) => app.organizationId === organizationId)

/**
 * An organization's feature controls, in the order they were added.
 *
 * @since 0.1.0
 * @category queries
 */
export const featureControlsOf = (data: Data, organizationId: number): ReadonlyArray<FeatureControlRecord> =>
  data.featureControls.filter((control) => control.organizationId === organizationId)

/**
 * Switches a feature control of an organization; `None` when the organization has no control with that id.
 *
 * @since 0.1.0
 * @category operations
 */
export const setFeatureControl = (organizationId: number, id: number, enabled: boolean) =>
(
  data: Data
): readonly [Option.Option<FeatureControlRecord>, Data] => {
  const matches = (control: FeatureControlRecord) => control.organizationId === organizationId && control.id === id
  return Option.match(Arr.findFirst(data.featureControls, matches), {
    onNone: () => [Option.none(), data],
    onSome: (control) => {
      const updated = { ...control, enabled }
      return [
        Option.some(updated),
        { ...data, featureControls: data.featureControls.map((c) => matches(c) ? updated : c) }
      ]
    }
  })
}

// ---------------------------------------------------------------------------
// Billing
// ---------------------------------------------------------------------------

/**
 * An organization's payments, oldest first.
 *
 * @since 0.1.0
 * @category queries
 */
export const paymentsOf = (data: Data, organizationId: number): ReadonlyArray<PaymentRecord> =>
  data.payments.filter((payment) => payment.organizationId === organizationId)

/**
 * An organization's subscriptions, cancelled ones included, oldest first.
 *
 * @since 0.1.0
 * @category queries
 */
export const subscriptionsOf = (data: Data, organizationId: number): ReadonlyArray<SubscriptionRecord> =>
  data.subscriptions.filter((subscription) => subscription.organizationId === organizationId)

/**
 * The subscription an organization is on: the one that is `active` or `free`, if any.
 *
 * @since 0.1.0
 * @category queries
 */
export const currentSubscription = (data: Data, organizationId: number): Option.Option<SubscriptionRecord> =>
  Arr.findLast(subscriptionsOf(data, organizationId), (subscription) => subscription.status !== "canceled")

/**
 * Adds a payment with the next payment id.
 *
 * @since 0.1.0
 * @category operations
 */
export const addPayment = (input: Omit<PaymentRecord, "id">) => (data: Data): readonly [PaymentRecord, Data] => {
  const payment: PaymentRecord = { ...input, id: data.counters.payment }
  return [payment, {
    ...data,
    payments: Arr.append(data.payments, payment),
    counters: { ...data.counters, payment: payment.id + 1 }
  }]
}

/**
 * Adds a subscription with the next subscription id; the organization's current one, if any, ends (`canceled`).
 * The organization's `productName` follows the new plan.
 *
 * @since 0.1.0
 * @category operations
 */
export const addSubscription =
  (input: Omit<SubscriptionRecord, "id">) => (data: Data): readonly [SubscriptionRecord, Data] => {
    const subscription: SubscriptionRecord = { ...input, id: data.counters.subscription }
    const ended = data.subscriptions.map((s): SubscriptionRecord =>
      s.organizationId === input.organizationId && s.status !== "canceled"
        ? { ...s, status: "canceled", nextBillingAt: null }
        : s
    )
    const withProduct = updateOrganization(
      input.organizationId,
      (org) => ({ ...org, productName: subscription.productName })
    )(data)[1]
    return [subscription, {
      ...withProduct,
      subscriptions: Arr.append(ended, subscription),
      counters: { ...data.counters, subscription: subscription.id + 1 }
    }]
  }

/**
 * Replaces a subscription (same id); the organization's `productName` follows it unless it is cancelled.
 *
 * @since 0.1.0
 * @category operations
 */
export const replaceSubscription = (subscription: SubscriptionRecord) => (data: Data): Data => {
  const withProduct = subscription.status === "canceled"
    ? data
    : updateOrganization(subscription.organizationId, (org) => ({ ...org, productName: subscription.productName }))(
      data
    )[1]
  return {
    ...withProduct,
    subscriptions: withProduct.subscriptions.map((s) => s.id === subscription.id ? subscription : s)
  }
}

// ---------------------------------------------------------------------------
// Organization variables
// ---------------------------------------------------------------------------

/**
 * An organization's custom variables, in the order they were created.
 *
 * @since 0.1.0
 * @category queries
 */
export const variablesOf = (data: Data, organizationId: number): ReadonlyArray<VariableRecord> =>
  data.variables.filter((variable) => variable.organizationId === organizationId)

/**
 * @since 0.1.0
 * @category queries
 */
export const findVariable = (data: Data, organizationId: number, name: string): Option.Option<VariableRecord> =>
  Arr.findFirst(data.variables, (variable) => variable.organizationId === organizationId && variable.name === name)

/**
 * A variable's value and type, in wire form.
 *
 * @since 0.1.0
 * @category models
 */
export type TypedValue = Pick<VariableRecord, "typeId" | "value">

/**
 * Who changes something, and when (ISO 8601 from the Clock).
 *
 * @since 0.1.0
 * @category models
 */
export interface Change {
  readonly author: AuthorRecord
  readonly timestamp: string
}

/**
 * Adds a custom variable with its first history entry (the caller has checked that the name is free).
 *
 * @since 0.1.0
 * @category operations
 */
export const addVariable = (organizationId: number, name: string, typed: TypedValue, change: Change) =>
(
  data: Data
): readonly [VariableRecord, Data] => {
  const entry: VariableChange = {
    id: data.counters.historyEntry,
    timestamp: change.timestamp,
    author: change.author,
    change: { _tag: "Created", value: typed.value }
  }
  const variable: VariableRecord = { organizationId, name, typeId: typed.typeId, value: typed.value, history: [entry] }
  return [variable, {
    ...data,
    variables: Arr.append(data.variables, variable),
    counters: { ...data.counters, historyEntry: entry.id + 1 }
  }]
}

/**
 * Sets a custom variable's type and value, appending a history entry from the old value to the new one.
 *
 * @since 0.1.0
 * @category operations
 */
export const updateVariable = (variable: VariableRecord, typed: TypedValue, change: Change) =>
(
  data: Data
): readonly [VariableRecord, Data] => {
  const entry: VariableChange = {
    id: data.counters.historyEntry,
    timestamp: change.timestamp,
    author: change.author,
    change: { _tag: "Updated", originalValue: variable.value, newValue: typed.value }
  }
  const updated: VariableRecord = {
    ...variable,
    typeId: typed.typeId,
    value: typed.value,
    history: Arr.append(variable.history, entry)
  }
  const same = (v: VariableRecord) => v.organizationId === variable.organizationId && v.name === variable.name
  return [updated, {
    ...data,
    variables: data.variables.map((v) => same(v) ? updated : v),
    counters: { ...data.counters, historyEntry: entry.id + 1 }
  }]
}

/**
 * Removes a custom variable and its history.
 *
 * @since 0.1.0
 * @category operations
 */
export const removeVariable = (organizationId: number, name: string) => (data: Data): Data => ({
  ...data,
  variables: data.variables.filter((v) => !(v.organizationId === organizationId && v.name === name))
})
