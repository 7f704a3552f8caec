// The emulator's seed: the fields a seed or a create request leaves out, the default instance, and the data (with its
// indexes) a seed describes, and the `--seed FILE` JSON. Imports `effect` and testing/.
/**
 * @since 1.0.0
 * @internal
 */
import { Array as Arr, Clock, Effect, HashMap, Option, Ref, Schema } from "effect"
import {
  amountOf,
  dayMillis,
  defaultInvitedRoleId,
  featureControlCatalogue,
  findPrice,
  invitationHash,
  isoOf,
  ownerRoleId,
  teamAdminRoleId
} from "../EmulatorCatalog.js"
import {
  type Options,
  type Seed,
  type SeedPayment,
  type SeedSubscription,
  type SeedTeamRole,
  type SeedVariable,
  type Settings,
  settings,
  tokenUser
} from "./Options.js"
import type {
  AuthorRecord,
  FeatureControlRecord,
  InvitationRecord,
  LicenseRecord,
  OrganizationRecord,
  PaymentRecord,
  SubscriptionRecord,
  TeamRecord,
  TeamRoleRecord,
  VariableChange,
  VariableRecord
} from "./Records.js"
import * as RequestLog from "./RequestLog.js"
import { type Data, type EmulatorState, indexOf, keys } from "./Store.js"

/**
 * The licence of a Teams plan (the create fixture's licence, with `apiLimit` 240 and custom variables).
 *
 * @since 1.0.0
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
 * @since 1.0.0
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
 * @since 1.0.0
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
 * @since 1.0.0
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
 * What else is seeded:
 *
 * - invitations: 1, to Acme, hash `bf1effe1-bc9d-4ab3-9414-9c3b66175305`, `dana@example.com` "Dana Scully",
 *   role 13, note "Welcome to Acme", team 22, pending;
 * - custom apps: Acme `acme-crm-k3x9f2` (published, approved) and `acme-billing-bridge-7qz1md` (unpublished);
 *   Beta Labs `beta-webhooks-p0w4ne`;
 * - subscriptions: 401, Acme, Teams (103), `active`, started 65 days ago; 402, Beta Labs, Teams (103), `canceled`;
 *   Gamma none;
 * - payments: Acme 501–505 (65, 50, 35, 20, 5 days ago: Teams, 2 × 10k ops, Teams, 10k ops with `WELCOME10`,
 *   Teams); Beta Labs 506 (paid), 507 (`failed`);
 * - variables: Acme `dailyLimit` (1: 100 → 250, one update), `apiBaseUrl` (2), `maintenanceMode` (3: false),
 *   `launchDate` (4); Beta Labs `region` (2: "EU"); Gamma `legacyFlag` (3, hidden by its licence);
 * - feature controls: the catalogue's (3 on, 7 off, 12 on), except Acme 7 on and Gamma 3 off.
 *
 * @since 1.0.0
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

/** The next id after the largest one used (`first` when none is). */
const nextAfter = (ids: ReadonlyArray<number>, first = 1): number =>
  ids.reduce((max, id) => Math.max(max, id), first - 1) + 1

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
 * @since 1.0.0
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
 * @since 1.0.0
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
    organizations: HashMap.fromIterable(organizations.map((org) => [org.id, org] as const)),
    organizationOrder: organizations.map((org) => org.id),
    teams: indexOf(keys.team, teams),
    nextId: nextAfter(ids),
    users: [user],
    memberships: indexOf(
      keys.membership,
      organizations.map((org) => ({ userId: settings.userId, organizationId: org.id, usersRoleId: ownerRoleId }))
    ),
    teamRoles,
    invitations: indexOf(keys.invitation, invitations),
    customApps: indexOf(keys.customApp, seed.customApps ?? []),
    payments: indexOf(keys.payment, payments),
    subscriptions: indexOf(keys.subscription, subscriptions),
    variables: indexOf(keys.variable, variables),
    featureControls: indexOf(
      keys.featureControl,
      seed.featureControls ?? organizations.flatMap((org) => defaultFeatureControls(org.id))
    ),
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
 * @since 1.0.0
 * @category constructors
 * @internal
 */
export const makeState = (options?: Options): Effect.Effect<EmulatorState> =>
  Effect.gen(function*() {
    const resolved = settings(options)
    const now = yield* Clock.currentTimeMillis
    const data = yield* Ref.make(fromSeed(options?.seed ?? defaultSeed, resolved, now))
    const log = yield* Ref.make(RequestLog.empty)
    return { settings: resolved, data, log }
  })

// ---------------------------------------------------------------------------
// `--seed FILE`
// ---------------------------------------------------------------------------

/**
 * `--seed FILE` JSON: the organizations and teams to start with (instead of the default seed); every other record
 * takes the emulator's defaults. Effect 3 declares it in the CLI's emulator command; it lives with the seed here so
 * the CLI and the tests share it. An explicit `null` for a field is refused (leave the field out instead), as in
 * Effect 3.
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { SeedFile } from "effect-make/testing/emulator/Seed"
 *
 * const seed = Schema.decodeUnknownSync(SeedFile)('{"organizations":[{"id":7,"name":"Solo"}]}')
 * ```
 *
 * @since 1.0.0
 * @category schemas
 */
export const SeedFile = Schema.fromJsonString(Schema.Struct({
  organizations: Schema.optional(Schema.Array(Schema.Struct({
    id: Schema.Int,
    name: Schema.String,
    zone: Schema.optionalKey(Schema.String),
    countryId: Schema.optionalKey(Schema.Int),
    timezoneId: Schema.optionalKey(Schema.Int),
    regionId: Schema.optionalKey(Schema.Int),
    activeScenarios: Schema.optionalKey(Schema.Int)
  }))),
  teams: Schema.optional(Schema.Array(Schema.Struct({
    id: Schema.Int,
    name: Schema.String,
    organizationId: Schema.Int
  })))
}))

/**
 * A decoded `--seed FILE`: a {@link Seed} with organizations and teams only.
 *
 * @since 1.0.0
 * @category models
 */
export type SeedFile = typeof SeedFile.Type

/**
 * Decodes the text of a `--seed FILE` into a seed; the failure carries every problem found.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { decodeSeedFile } from "effect-make/testing/emulator/Seed"
 *
 * const seed = decodeSeedFile('{"teams":[{"id":21,"name":"Ops","organizationId":11}]}')
 * ```
 *
 * @since 1.0.0
 * @category constructors
 */
export const decodeSeedFile = (text: string): Effect.Effect<Seed, Schema.SchemaError> =>
  Schema.decodeUnknownEffect(SeedFile)(text, { errors: "all" })
