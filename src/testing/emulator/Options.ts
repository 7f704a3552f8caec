// The emulator's options and their defaults (the token and its user, the zone, the sync delay, faults, rate limit)
// and the shapes of a seed. Imports `effect` and testing/ (records).
/**
 * @since 1.0.0
 * @internal
 */
import { Duration, Option, Redacted } from "effect"
import type {
  AuthorRecord,
  CustomAppRecord,
  FeatureControlRecord,
  InvitationRecord,
  OrganizationRecord,
  PaymentRecord,
  SubscriptionRecord,
  TeamRecord,
  TeamRoleRecord,
  VariableRecord,
  VariableValue
} from "./Records.js"

/**
 * How `Retry-After` is written: delay-seconds (`Retry-After: 1`) or an HTTP-date. RFC 9110 allows both.
 *
 * @since 1.0.0
 * @category models
 */
export type RetryAfterForm = "seconds" | "date"

/**
 * How the rate limit counts a minute: `sliding` (the default, the stricter) or `fixed` windows aligned on the Clock's
 * whole minutes.
 *
 * @since 1.0.0
 * @category models
 */
export type RateWindowMode = "sliding" | "fixed"

/**
 * The per-organization rate limit: each organization's limit is its `license.apiLimit` unless `perMinute` fixes one
 * for all; `window` says how a minute is counted (default `sliding`); `retryAfterAs` how the 429's `Retry-After` is
 * written (default `seconds`).
 *
 * @since 1.0.0
 * @category models
 */
export interface RateLimitOptions {
  readonly perMinute?: number | undefined
  readonly window?: RateWindowMode | undefined
  readonly retryAfterAs?: RetryAfterForm | undefined
}

/**
 * {@link RateLimitOptions} with every default filled in.
 *
 * @since 1.0.0
 * @category models
 */
export interface RateLimitSettings {
  readonly perMinute: Option.Option<number>
  readonly window: RateWindowMode
  readonly retryAfterAs: RetryAfterForm
}

/**
 * The rate limit an option asks for: `None` when off (`undefined`, `false`).
 *
 * @example
 * ```ts
 * import { rateLimitSettings } from "effect-make/testing/emulator/Options"
 * rateLimitSettings({ perMinute: 5 }) // Some({ perMinute: Some(5), window: "sliding", retryAfterAs: "seconds" })
 * ```
 *
 * @since 1.0.0
 * @category constructors
 */
export const rateLimitSettings = (
  option: boolean | RateLimitOptions | undefined
): Option.Option<RateLimitSettings> =>
  option === undefined || option === false
    ? Option.none()
    : Option.some({
      perMinute: option === true ? Option.none() : Option.fromNullishOr(option.perMinute),
      window: option === true ? "sliding" : option.window ?? "sliding",
      retryAfterAs: option === true ? "seconds" : option.retryAfterAs ?? "seconds"
    })

/**
 * What a fault plan sees of a request to decide whether it applies: the method and the path under the base URL
 * (`/organizations/11`, no `/api/v2`, no query).
 *
 * @since 1.0.0
 * @category models
 */
export interface RequestLine {
  readonly method: string
  readonly path: string
}

/**
 * Seeded, deterministic fault injection. Each request the plan applies to (every request, or those `match` accepts)
 * is numbered from 0 since the plan was set; the fault of request `n` is drawn from the seed and `n` alone, so the
 * same seed and the same sequence of requests give the same faults, whatever ran before, on either line of this
 * package (the Effect 3 line draws with the same generator).
 *
 * The probabilities are of mutually exclusive outcomes, in this order: `serverError`, `rateLimited`, `reset`,
 * `refused`, `truncated`, `latency` (each clamped to [0, 1]; when they add up to more than 1, the later ones get what
 * is left). A request draws at most one fault, so the request log names exactly what happened to it.
 *
 * | fault | when | what the client sees | state changed |
 * | --- | --- | --- | --- |
 * | `serverError` | half before the handler, half after (drawn) | 500, 502, 503 or 504 (drawn), Make-style JSON body | only when after |
 * | `rateLimited` | before | 429, Make's body, `Retry-After` | no |
 * | `reset` | before (after reading the body) | no answer: `ECONNRESET` | no |
 * | `refused` | before reading anything | no answer: `ECONNREFUSED` in process (a reset on a real port) | no |
 * | `truncated` | after | the handler's status with its body cut to half its length (invalid JSON) | yes |
 * | `latency` | before | the normal answer, `duration` (plus up to `jitter`) later (`Clock`: `TestClock` drives it) | as normal |
 *
 * Defined with the options (which hold it) and re-exported by `EmulatorFaults`, which draws from it.
 *
 * @example
 * ```ts
 * import type { FaultPlan } from "effect-make/testing/EmulatorFaults"
 *
 * // One request in five fails with a 5xx; only writes are affected.
 * const plan: FaultPlan = { seed: 42, serverError: 0.2, match: (request) => request.method !== "GET" }
 * ```
 *
 * @since 1.0.0
 * @category models
 */
export interface FaultPlan {
  /** Any integer (taken modulo 2^32; a fraction is dropped). */
  readonly seed: number
  /** Probability of a 5xx; the status is drawn among 500, 502, 503, 504, and whether the handler ran first. */
  readonly serverError?: number | undefined
  /** Probability of a 429 with `Retry-After`, answered before the handler. */
  readonly rateLimited?: number | undefined
  /** What an injected 429's `Retry-After` says (default 1 second; rounded up to whole seconds). */
  readonly retryAfterSeconds?: number | undefined
  /** How an injected 429's `Retry-After` is written (default `seconds`). */
  readonly retryAfterAs?: RetryAfterForm | undefined
  /** Probability of a connection reset: no HTTP answer at all, the request not processed. */
  readonly reset?: number | undefined
  /** Probability of a refused connection: no HTTP answer, the request provably not processed (not even read). */
  readonly refused?: number | undefined
  /** Probability of a complete answer whose body is cut in the middle, after the handler ran. */
  readonly truncated?: number | undefined
  /**
   * Probability of a delay before the request is processed (and counted by the rate limit: the time it arrives), and
   * how long: `duration`, plus up to `jitter` more (whole milliseconds, uniform, drawn from the seed), so that two
   * requests sent a minute apart can arrive less than a minute apart, as over a real network.
   */
  readonly latency?: {
    readonly probability: number
    readonly duration: Duration.Input
    readonly jitter?: Duration.Input | undefined
  } | undefined
  /** Limits the plan to some requests; the others are neither faulted nor numbered. */
  readonly match?: ((request: RequestLine) => boolean) | undefined
}

/**
 * An organization to seed: `id` and `name`, and whatever should differ from {@link organizationDefaults}.
 *
 * @since 1.0.0
 * @category models
 */
export type SeedOrganization =
  & Pick<OrganizationRecord, "id" | "name">
  & Partial<Omit<OrganizationRecord, "id" | "name" | "createdAt" | "syncedAt">>

/**
 * A team to seed: `id`, `name` and `organizationId`, and whatever should differ from {@link teamDefaults}.
 *
 * @since 1.0.0
 * @category models
 */
export type SeedTeam =
  & Pick<TeamRecord, "id" | "name" | "organizationId">
  & Partial<Omit<TeamRecord, "id" | "name" | "organizationId">>

/**
 * A team role to seed; `userId` defaults to the user behind the token.
 *
 * @since 1.0.0
 * @category models
 */
export type SeedTeamRole = Omit<TeamRoleRecord, "userId"> & { readonly userId?: number | undefined }

/**
 * An invitation to seed: `hash` defaults to `EmulatorCatalog.invitationHash(id)`, `usersRoleId` to 13 (Member),
 * `note` to `null`, `teamsId` to none; it is pending and was sent at the seed's time.
 *
 * @since 1.0.0
 * @category models
 */
export type SeedInvitation =
  & Pick<InvitationRecord, "id" | "organizationId" | "email" | "name">
  & Partial<Pick<InvitationRecord, "hash" | "usersRoleId" | "note" | "teamsId">>

/**
 * A payment to seed, made `daysAgo` days before the seed's time; `amount` and `currency` come from the price list,
 * `quantity` defaults to 1, `status` to `paid`.
 *
 * @since 1.0.0
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
 * @since 1.0.0
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
 * @since 1.0.0
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
 * @since 1.0.0
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
 * @since 1.0.0
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
  readonly syncDelay?: Duration.Input | undefined
  /** The initial organizations and teams (default {@link defaultSeed}). */
  readonly seed?: Seed | undefined
  /** The zone the instance serves, e.g. `eu1.make.com` (default). */
  readonly zone?: string | undefined
  /**
   * Make's per-organization rate limit (default off): `true` limits each organization to its `license.apiLimit`
   * requests in any 60 seconds, `{ perMinute }` to a fixed number; `{ window: "fixed" }` counts in windows aligned on
   * whole minutes instead of a sliding minute (see `EmulatorFaults.RateWindowMode`). Past it: 429 with `Retry-After`.
   */
  readonly rateLimit?: boolean | RateLimitOptions | undefined
  /** A fault plan in force from the start (default none); see {@link FaultPlan}. */
  readonly faults?: FaultPlan | undefined
}

/**
 * The options with every default filled in.
 *
 * @since 1.0.0
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
 * @since 1.0.0
 * @category constants
 */
export const defaultToken: Redacted.Redacted<string> = Redacted.make("6c3e2a1f-5b7d-4e8a-9c0d-1f2e3a4b5c6d")

/**
 * The zone the emulator serves unless told otherwise.
 *
 * @since 1.0.0
 * @category constants
 */
export const defaultZone = "eu1.make.com"

/**
 * How long a new organization stays unsynchronised unless told otherwise.
 *
 * @since 1.0.0
 * @category constants
 */
export const defaultSyncDelay: Duration.Duration = Duration.seconds(2)

/**
 * Fills in the defaults of {@link Options}.
 *
 * @since 1.0.0
 * @category constructors
 */
export const settings = (options?: Options): Settings => ({
  token: options?.token ?? defaultToken,
  userId: options?.userId ?? 1,
  userName: options?.userName ?? "Awesome Maker",
  userEmail: options?.userEmail ?? "noreply@make.com",
  userTimezoneOffsetMinutes: options?.userTimezoneOffsetMinutes ?? 0,
  syncDelay: options?.syncDelay === undefined ? defaultSyncDelay : Duration.fromInputUnsafe(options.syncDelay),
  zone: options?.zone ?? defaultZone,
  rateLimit: rateLimitSettings(options?.rateLimit)
})

/**
 * Who the user behind the token is, as a history entry names its author.
 *
 * @since 1.0.0
 * @category constructors
 */
export const tokenUser = (settings: Settings): AuthorRecord => ({
  id: settings.userId,
  name: settings.userName,
  email: settings.userEmail
})
