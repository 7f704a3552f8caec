/**
 * The fixed reference data of the emulated instance: price list, coupons, team roles and their permissions,
 * timezones, feature controls, and the deterministic "random" the emulator needs (hashes, usage).
 *
 * @since 1.0.0
 */
// The emulator's fixed reference data: price list, coupons, roles, timezones, feature controls, deterministic hashes.
// Imports only `effect`.
import { Array as Arr, DateTime, Option } from "effect"

// ---------------------------------------------------------------------------
// Prices and coupons
// ---------------------------------------------------------------------------

/**
 * A price of the emulated price list: a plan (`subscription`) or something bought once (`single`).
 *
 * @since 1.0.0
 * @category models
 */
export interface Price {
  readonly id: number
  /** The product the price is for: the plan name for subscriptions. */
  readonly productName: string
  readonly kind: "subscription" | "single"
  /** The price of one unit, in cents (integers, so that amounts add up exactly). */
  readonly unitAmountCents: number
  readonly currency: string
}

/**
 * The price list (Make's monthly list prices in USD; ids are the emulator's own):
 *
 * | priceId | product | kind | unit price |
 * | --- | --- | --- | --- |
 * | 101 | Core | subscription | 10.59 |
 * | 102 | Pro | subscription | 18.82 |
 * | 103 | Teams | subscription | 34.12 |
 * | 201 | Extra operations (10,000) | single | 9.00 |
 * | 202 | Extra operations (100,000) | single | 72.00 |
 *
 * @since 1.0.0
 * @category constants
 */
export const prices: ReadonlyArray<Price> = [
  { id: 101, productName: "Core", kind: "subscription", unitAmountCents: 1059, currency: "USD" },
  { id: 102, productName: "Pro", kind: "subscription", unitAmountCents: 1882, currency: "USD" },
  { id: 103, productName: "Teams", kind: "subscription", unitAmountCents: 3412, currency: "USD" },
  { id: 201, productName: "Extra operations (10,000)", kind: "single", unitAmountCents: 900, currency: "USD" },
  { id: 202, productName: "Extra operations (100,000)", kind: "single", unitAmountCents: 7200, currency: "USD" }
]

/**
 * The price list's entry with this id, if any.
 *
 * @since 1.0.0
 * @category queries
 */
export const findPrice = (id: number): Option.Option<Price> => Arr.findFirst(prices, (price) => price.id === id)

/**
 * A coupon: a percentage off every amount it is applied to.
 *
 * @since 1.0.0
 * @category models
 */
export interface Coupon {
  readonly code: string
  readonly percentOff: number
}

/**
 * The coupons the emulated instance knows: `WELCOME10` (10 % off), `SPRING25` (25 %), `HALFOFF` (50 %). Codes
 * match exactly (case-sensitive), as Stripe's promotion codes do.
 *
 * @since 1.0.0
 * @category constants
 */
export const coupons: ReadonlyArray<Coupon> = [
  { code: "WELCOME10", percentOff: 10 },
  { code: "SPRING25", percentOff: 25 },
  { code: "HALFOFF", percentOff: 50 }
]

/**
 * The coupon with this code, if any.
 *
 * @since 1.0.0
 * @category queries
 */
export const findCoupon = (code: string): Option.Option<Coupon> => Arr.findFirst(coupons, (c) => c.code === code)

/**
 * What `quantity` units of a price cost with an optional coupon, in the currency's main unit (cents rounded once, so
 * `3 × 10.59` is `31.77`, not `31.769999…`). An unknown price or coupon counts as 0 / no discount.
 *
 * @since 1.0.0
 * @category queries
 */
export const amountOf = (priceId: number, quantity: number, couponCode: string | null): number => {
  const unit = Option.match(findPrice(priceId), { onNone: () => 0, onSome: (price) => price.unitAmountCents })
  const percentOff = couponCode === null
    ? 0
    : Option.match(findCoupon(couponCode), { onNone: () => 0, onSome: (coupon) => coupon.percentOff })
  return Math.round(unit * quantity * (100 - percentOff) / 100) / 100
}

// ---------------------------------------------------------------------------
// Roles and permissions
// ---------------------------------------------------------------------------

/**
 * A team role (`usersRoleId` of a user-team role) and the team permissions it grants.
 *
 * @since 1.0.0
 * @category models
 */
export interface TeamRole {
  readonly id: number
  readonly name: string
  readonly permissions: ReadonlyArray<string>
}

/**
 * Every team permission the emulator knows (a subset of Make's, enough to tell roles apart).
 *
 * @since 1.0.0
 * @category constants
 */
export const teamPermissions: ReadonlyArray<string> = [
  "scenario add",
  "scenario view",
  "scenario edit",
  "scenario run",
  "scenario delete",
  "connection add",
  "connection view",
  "connection edit",
  "team view",
  "team edit"
]

/**
 * The team roles:
 *
 * | usersRoleId | role | permissions |
 * | --- | --- | --- |
 * | 1 | Team Admin | all of {@link teamPermissions} |
 * | 2 | Team Member | scenario add, scenario view, scenario edit, connection add, team view |
 * | 3 | Team Monitoring | scenario view, team view |
 * | 4 | Team Operator | scenario view, scenario run, team view |
 *
 * A permission no role grants (an unknown name included) is simply not held: `hasPermission: false`.
 *
 * @since 1.0.0
 * @category constants
 */
export const teamRoles: ReadonlyArray<TeamRole> = [
  { id: 1, name: "Team Admin", permissions: teamPermissions },
  {
    id: 2,
    name: "Team Member",
    permissions: ["scenario add", "scenario view", "scenario edit", "connection add", "team view"]
  },
  { id: 3, name: "Team Monitoring", permissions: ["scenario view", "team view"] },
  { id: 4, name: "Team Operator", permissions: ["scenario view", "scenario run", "team view"] }
]

/**
 * The team role an accepted invitation gives in each of its teams ("the user gets the team role member").
 *
 * @since 1.0.0
 * @category constants
 */
export const teamMemberRoleId = 2

/**
 * The team role of whoever creates a team (or the `userTeamAdmin` named on create) and of an organization's creator
 * in its first team.
 *
 * @since 1.0.0
 * @category constants
 */
export const teamAdminRoleId = 1

/**
 * Whether a team role grants a permission.
 *
 * @since 1.0.0
 * @category queries
 */
export const roleGrants = (usersRoleId: number, permission: string): boolean =>
  Arr.some(teamRoles, (role) => role.id === usersRoleId && role.permissions.includes(permission))

/**
 * Organization roles (`usersRoleId` of a membership): 11 Owner (the creator), 12 Admin, 13 Member (what an invitation
 * gives unless it names a role), 14 Accountant, 15 App Developer.
 *
 * @since 1.0.0
 * @category constants
 */
export const organizationRoles: ReadonlyArray<{ readonly id: number; readonly name: string }> = [
  { id: 11, name: "Owner" },
  { id: 12, name: "Admin" },
  { id: 13, name: "Member" },
  { id: 14, name: "Accountant" },
  { id: 15, name: "App Developer" }
]

/**
 * The organization role of an invitation that names none.
 *
 * @since 1.0.0
 * @category constants
 */
export const defaultInvitedRoleId = 13

/**
 * The organization role of whoever creates an organization.
 *
 * @since 1.0.0
 * @category constants
 */
export const ownerRoleId = 11

// ---------------------------------------------------------------------------
// Timezones
// ---------------------------------------------------------------------------

/**
 * A timezone of `GET /enums/timezones`, with the fixed offset the emulator uses for it.
 *
 * @since 1.0.0
 * @category models
 */
export interface Timezone {
  readonly id: number
  readonly code: string
  /** Minutes east of UTC. Fixed: the emulator does not model daylight saving time. */
  readonly offsetMinutes: number
}

/**
 * The timezones the emulator knows (113 and 164 as in fixtures/enums/timezones.json; the others are the emulator's
 * own ids). Any other `timezoneId` counts as UTC.
 *
 * | timezoneId | code | offset |
 * | --- | --- | --- |
 * | 1 | UTC | +00:00 |
 * | 23 | America/New_York | -05:00 |
 * | 58 | Asia/Kolkata | +05:30 |
 * | 113 | Europe/Prague | +01:00 |
 * | 164 | Europe/Rome | +01:00 |
 * | 190 | Asia/Tokyo | +09:00 |
 *
 * @since 1.0.0
 * @category constants
 */
export const timezones: ReadonlyArray<Timezone> = [
  { id: 1, code: "UTC", offsetMinutes: 0 },
  { id: 23, code: "America/New_York", offsetMinutes: -300 },
  { id: 58, code: "Asia/Kolkata", offsetMinutes: 330 },
  { id: 113, code: "Europe/Prague", offsetMinutes: 60 },
  { id: 164, code: "Europe/Rome", offsetMinutes: 60 },
  { id: 190, code: "Asia/Tokyo", offsetMinutes: 540 }
]

/**
 * The offset of a `timezoneId`, in minutes east of UTC (0 for an id the emulator does not know).
 *
 * @since 1.0.0
 * @category queries
 */
export const offsetMinutesOf = (timezoneId: number): number =>
  Option.match(Arr.findFirst(timezones, (zone) => zone.id === timezoneId), {
    onNone: () => 0,
    onSome: (zone) => zone.offsetMinutes
  })

// ---------------------------------------------------------------------------
// Time
// ---------------------------------------------------------------------------

/**
 * One day, in milliseconds.
 *
 * @since 1.0.0
 * @category constants
 */
export const dayMillis = 86_400_000

/**
 * Clock millis as Make writes timestamps: `2025-01-15T23:30:00.000Z`.
 *
 * @since 1.0.0
 * @category time
 */
export const isoOf = (millis: number): string => DateTime.formatIso(DateTime.makeUnsafe(millis))

/**
 * The calendar day (`YYYY-MM-DD`) of an instant at a fixed offset.
 *
 * @since 1.0.0
 * @category time
 */
export const dayAt = (millis: number, offsetMinutes: number): string =>
  DateTime.formatIsoDate(DateTime.setZoneOffset(DateTime.makeUnsafe(millis), offsetMinutes * 60_000))

// ---------------------------------------------------------------------------
// Feature controls
// ---------------------------------------------------------------------------

/**
 * A feature control of the catalogue: what every new organization gets.
 *
 * @since 1.0.0
 * @category models
 */
export interface FeatureControlDefinition {
  readonly id: number
  readonly name: string
  readonly description: string
  /** Whether it is on in a new organization. */
  readonly enabled: boolean
}

/**
 * The feature controls every organization has: 3 "Make AI Tools" (on), 7 "Custom Functions" (off),
 * 12 "Scenario Sharing" (on).
 *
 * @since 1.0.0
 * @category constants
 */
export const featureControlCatalogue: ReadonlyArray<FeatureControlDefinition> = [
  {
    id: 3,
    name: "Make AI Tools",
    description: "AI modules and the AI assistant in the scenario editor.",
    enabled: true
  },
  { id: 7, name: "Custom Functions", description: "Custom JavaScript functions in scenario mappings.", enabled: false },
  { id: 12, name: "Scenario Sharing", description: "Sharing scenarios as public links and templates.", enabled: true }
]

// ---------------------------------------------------------------------------
// Deterministic "random"
// ---------------------------------------------------------------------------

/**
 * A 32-bit integer hash (murmur3's finaliser): spreads consecutive inputs over the whole range, deterministically.
 *
 * @since 1.0.0
 * @category hashing
 * @internal
 */
export const mix = (n: number): number => {
  let h = Math.imul((n ^ 0x9e3779b9) >>> 0, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/**
 * A 32-bit hash of a string (FNV-1a, then {@link mix}).
 *
 * @since 1.0.0
 * @category hashing
 * @internal
 */
export const hashString = (text: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  }
  return mix(h >>> 0)
}

const hex8 = (n: number): string => n.toString(16).padStart(8, "0")

/**
 * The invitation hash of an invitation id: UUID-shaped (version 4 layout), looks random, always the same for the same
 * id, never the same for two ids below 2^30 (the first group alone is a bijection of the id).
 *
 * @since 1.0.0
 * @category hashing
 */
export const invitationHash = (id: number): string => {
  const word = (k: number) => hex8(mix(id * 4 + k))
  const b = word(1)
  const c = word(2)
  const variant = "89ab".charAt(mix(id) % 4)
  return `${word(0)}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4, 8)}${word(3)}`
}

/**
 * One day of usage of an organization: a deterministic function of the organization and the day, so that tests can
 * compute what to expect. Integers; `centicredits` is 100 per operation plus what AI modules used.
 *
 * @since 1.0.0
 * @category hashing
 */
export const usageOf = (
  organizationId: number,
  date: string
): { readonly operations: number; readonly dataTransfer: number; readonly centicredits: number } => {
  const h = hashString(`${organizationId}/${date}`)
  const operations = h % 5000
  return {
    operations,
    dataTransfer: operations * (256 + mix(h) % 4096),
    centicredits: operations * 100 + mix(h + 1) % 2500
  }
}
