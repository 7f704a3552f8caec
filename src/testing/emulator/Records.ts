// The emulator's records: what an emulated Make instance holds, in Make's wire form plus what the emulator needs to
// behave like Make, and the request log's entries. Types only; imports nothing.
/**
 * @since 1.0.0
 * @internal
 */

/**
 * What happened to a request, as the request log names it: an injected fault (a 5xx status, `429`, `reset`,
 * `refused`, `truncated`, `latency`) or `rateLimit`, the organization's per-minute limit. (Effect 3 declares it in
 * EmulatorFaults; here it is declared with the log's records, and EmulatorFaults re-exports it.)
 *
 * @since 1.0.0
 * @category models
 */
export type Fault =
  | "500"
  | "502"
  | "503"
  | "504"
  | "429"
  | "reset"
  | "refused"
  | "truncated"
  | "latency"
  | "rateLimit"

/**
 * A JSON value, as Make sends it.
 *
 * @since 1.0.0
 * @category models
 */
export type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [key: string]: Json }

/**
 * A JSON object.
 *
 * @since 1.0.0
 * @category models
 */
export type JsonObject = { readonly [key: string]: Json }

/**
 * An organization's licence, as `GET /organizations/{id}` sends it. `customVariables` absent means the plan does
 * not grant custom organization variables.
 *
 * @since 1.0.0
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
 * @since 1.0.0
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
 * @since 1.0.0
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
 * @since 1.0.0
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
 * @since 1.0.0
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
 * @since 1.0.0
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
 * @since 1.0.0
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
 * @since 1.0.0
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
 * @since 1.0.0
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
 * @since 1.0.0
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
 * @since 1.0.0
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
 * @since 1.0.0
 * @category models
 */
export type VariableValue = number | string | boolean

/**
 * Who made a change (the `author` of a history entry).
 *
 * @since 1.0.0
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
 * @since 1.0.0
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
 * @since 1.0.0
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
 * @since 1.0.0
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
 * One request as the emulator saw it. The `Authorization` header is never recorded, only whether it was accepted.
 *
 * Entries are bounded, whoever sent the request (authenticated or not): `body` and `path` keep at most 2,048
 * characters (`…` marks a cut), `bodyBytes` says how long the body really was, and a body over 1 MiB is never kept
 * (it is answered 413). The log itself keeps the newest 10,000 entries (see `Emulator.Service.droppedRequests`).
 *
 * @since 1.0.0
 * @category models
 */
export interface RecordedRequest {
  readonly method: string
  /**
   * The path under the base URL, e.g. `/organizations/11` (no `/api/v2`, no query), cut to its first 2,048
   * characters with `…` when longer.
   */
  readonly path: string
  /** The query with Make's raw names: `{"pg[offset]": "0", "cols[]": ["id", "name"]}`. */
  readonly query: { readonly [name: string]: string | ReadonlyArray<string> }
  /**
   * The body, as an excerpt: the parsed JSON when its text is at most 2,048 characters; otherwise the text's first
   * 2,048 characters followed by `…` (a string, JSON or not); the raw text when it was not JSON; `undefined` when
   * there was none, or when it was refused unread (415, 413).
   */
  readonly body: unknown
  /**
   * The body's length in bytes: the bytes received, or the declared `Content-Length` of a body refused for its
   * size without being read; 0 when there was none.
   */
  readonly bodyBytes: number
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
   * rate limit answered first, when the body was refused (not JSON, an unsupported type, too large), or when the
   * client went away before.
   */
  readonly processed: boolean
  /** Whether the client went away before the answer (the request's fiber was interrupted). */
  readonly aborted: boolean
}
