/**
 * The Organization entity, its licence, and the request bodies of the Organizations endpoints.
 *
 * @since 1.0.0
 */
// The Organization entity, its licence, and the request bodies of the Organizations endpoints.
// Floor 1: imports only `effect` and sibling domain modules.
import { Schema, SchemaTransformation } from "effect"
import { Count, Id, Name, Optional, OptionalInput } from "./Common.js"

/**
 * `license.apps`: the app tiers the licence grants. Make sends an array (`["T2","T3"]`) or, in some answers, a
 * single string (`"T2"`); both decode to an array.
 *
 * @since 1.0.0
 * @category schemas
 */
export const LicenseApps = Schema.Union([
  Schema.Array(Schema.String),
  Schema.String.pipe(
    Schema.decodeTo(
      Schema.Array(Schema.String),
      SchemaTransformation.transform({
        decode: (app): ReadonlyArray<string> => [app],
        encode: (apps) => apps.join(",")
      })
    )
  )
])

/**
 * What the organization's plan allows. Every flag Make sends is kept (the licence carries many undocumented
 * ones); the ones this library reads are typed.
 *
 * @since 1.0.0
 * @category schemas
 */
export const License = Schema.StructWithRest(
  Schema.Struct({
    /** App tiers available to the organization. */
    apps: Optional(LicenseApps),
    /** Maximum number of users. */
    users: Optional(Count),
    /** Maximum number of data stores. */
    dslimit: Optional(Count),
    /** Data store storage limit, in bytes. */
    dsslimit: Optional(Count),
    /** File storage limit, in bytes. */
    fslimit: Optional(Count),
    /** Maximum number of incomplete executions. */
    iolimit: Optional(Count),
    /** Whether full-text execution log search is available. */
    fulltext: Optional(Schema.Boolean),
    /** Whether advanced scheduling is available. */
    advsched: Optional(Schema.Boolean),
    /** Minimum scheduling interval, in minutes. */
    interval: Optional(Count),
    /** Data transfer allowance, in bytes. */
    transfer: Optional(Count),
    /** Operations allowance. */
    operations: Optional(Count),
    /** API requests per minute allowed for the organization (Core 60, Pro 120, Teams 240, Enterprise 1000). */
    apiLimit: Optional(Count),
    /** Whether custom organization variables are available. */
    customVariables: Optional(Schema.Boolean)
  }),
  [Schema.Record(Schema.String, Schema.Unknown)]
).annotate({ identifier: "License" })

/**
 * The type of the `License` schema.
 *
 * @since 1.0.0
 * @category models
 */
export type License = typeof License.Type

/**
 * A team as embedded in an organization (`organization.teams`).
 *
 * @since 1.0.0
 * @category schemas
 */
export const OrganizationTeam = Schema.Struct({
  id: Schema.Number,
  name: Schema.String
}).annotate({ identifier: "OrganizationTeam" })

/**
 * A private space of a user in the organization.
 *
 * @since 1.0.0
 * @category schemas
 */
export const PrivateSpace = Schema.Struct({
  id: Schema.Number,
  name: Schema.String,
  isOwner: Optional(Schema.Boolean),
  hasAdminVisibility: Optional(Schema.Boolean)
}).annotate({ identifier: "PrivateSpace" })

/**
 * An organization: the container of teams, scenarios and users.
 *
 * `id` and `name` are always present (the client always asks for them, even with `cols`); every other field is
 * present only when Make sends it, which depends on the endpoint, on `cols[]` and on the zone (Make returns
 * `license`, `serviceName` and `isPaused` only for organizations in the zone of the request).
 *
 * @since 1.0.0
 * @category schemas
 */
export const Organization = Schema.Struct({
  /** The organization id. */
  id: Schema.Number,
  /** The organization name. */
  name: Schema.String,
  /** Country id (see `GET /enums/countries`). */
  countryId: Optional(Schema.Number),
  /** Timezone id (see `GET /enums/timezones`). */
  timezoneId: Optional(Schema.Number),
  /** What the plan allows. */
  license: Optional(License),
  /** The Make zone (host) the organization lives in, e.g. `eu1.make.com`. */
  zone: Optional(Schema.String),
  /** Internal name of the service plan, e.g. `default`, `unlimited`. */
  serviceName: Optional(Schema.String),
  /** Whether the organization's scenarios are paused (e.g. for running out of operations). */
  isPaused: Optional(Schema.Boolean),
  /** The organization's id in an external system (White Label); `null` on Make Cloud. */
  externalId: Optional(Schema.String),
  /** Product name of the plan. */
  productName: Optional(Schema.String),
  /** Teams of the organization. */
  teams: Optional(Schema.Array(OrganizationTeam)),
  /** When the operations counter resets next (ISO 8601), if known. */
  nextReset: Optional(Schema.String),
  /** Operations used in the current period. */
  operations: Optional(Count),
  /** Data transfer used in the current period, in bytes. */
  transfer: Optional(Count),
  /** Extra operations bought. */
  operationsExt: Optional(Count),
  /** Extra data transfer bought, in bytes. */
  transferExt: Optional(Count),
  /** Operations left from previous periods. */
  unusedOperations: Optional(Count),
  /** Data transfer left from previous periods, in bytes. */
  unusedTransfer: Optional(Count),
  /** Whether the organization is deleted. */
  deleted: Optional(Schema.Boolean),
  /** Feature flags of the organization. */
  features: Optional(Schema.Record(Schema.String, Schema.Unknown)),
  /** Private spaces of users in the organization. */
  privateSpaces: Optional(Schema.Array(PrivateSpace))
}).annotate({ identifier: "Organization" })

/**
 * A decoded organization (the type of the `Organization` schema).
 *
 * @since 1.0.0
 * @category models
 */
export interface Organization extends Schema.Schema.Type<typeof Organization> {}

/**
 * The columns `cols[]` can select on organizations.
 *
 * @since 1.0.0
 * @category models
 */
export const OrganizationColumn = Schema.Literals([
  "id",
  "name",
  "countryId",
  "timezoneId",
  "license",
  "zone",
  "serviceName",
  "teams",
  "isPaused",
  "externalId",
  "productName"
])

/**
 * The type of the `OrganizationColumn` schema.
 *
 * @since 1.0.0
 * @category models
 */
export type OrganizationColumn = typeof OrganizationColumn.Type

/**
 * The caller's role in a newly created organization (`userOrganizationRole` of the create answer).
 *
 * @since 1.0.0
 * @category models
 */
export const UserOrganizationRole = Schema.Struct({
  userId: Schema.Number,
  organizationId: Schema.Number,
  usersRoleId: Schema.Number,
  invitation: Optional(Schema.Unknown)
}).annotate({ identifier: "UserOrganizationRole" })

/**
 * The type of the `UserOrganizationRole` schema.
 *
 * @since 1.0.0
 * @category models
 */
export type UserOrganizationRole = typeof UserOrganizationRole.Type

/**
 * Body of `POST /organizations`.
 *
 * @since 1.0.0
 * @category request bodies
 */
export const CreateOrganization = Schema.Struct({
  /** The name of the organization. */
  name: Name,
  /** The Make region the organization belongs to (see `GET /enums/imt-regions`). */
  regionId: Id,
  /** Timezone id (see `GET /enums/timezones`). */
  timezoneId: Id,
  /** Country id (see `GET /enums/countries`). */
  countryId: Id
}).annotate({ identifier: "CreateOrganization" })

/**
 * The type of the `CreateOrganization` schema.
 *
 * @since 1.0.0
 * @category request bodies
 */
export type CreateOrganization = typeof CreateOrganization.Type

/**
 * Body of `PATCH /organizations/{organizationId}`: only the fields present are changed.
 *
 * @since 1.0.0
 * @category request bodies
 */
export const UpdateOrganization = Schema.Struct({
  /** The new name. */
  name: OptionalInput(Name),
  /** The new country id. */
  countryId: OptionalInput(Id),
  /** The new timezone id. */
  timezoneId: OptionalInput(Id)
}).annotate({ identifier: "UpdateOrganization" })

/**
 * The type of the `UpdateOrganization` schema.
 *
 * @since 1.0.0
 * @category request bodies
 */
export type UpdateOrganization = typeof UpdateOrganization.Type

/**
 * A custom app of a user of the organization (`GET /organizations/{organizationId}/apps`). Make suffixes custom app
 * names with a random string.
 *
 * @since 1.0.0
 * @category schemas
 */
export const CustomApp = Schema.Struct({
  /** The app name, e.g. `my-app-a1b2c3`. */
  name: Schema.String,
  /** The app label shown in the UI. */
  label: Optional(Schema.String),
  /** The app version. */
  version: Optional(Schema.Number),
  /** Whether the app is published. */
  public: Optional(Schema.Boolean),
  /** Whether Make has approved the app. */
  approved: Optional(Schema.Boolean),
  /** The app's colour, `#rrggbb`. */
  theme: Optional(Schema.String),
  /** The app's description. */
  description: Optional(Schema.String)
}).annotate({ identifier: "CustomApp" })

/**
 * A decoded custom app (the type of the `CustomApp` schema).
 *
 * @since 1.0.0
 * @category models
 */
export interface CustomApp extends Schema.Schema.Type<typeof CustomApp> {}

/**
 * A team permission name, e.g. `scenario add`, `scenario view`, `team view`, `connection add`.
 *
 * @since 1.0.0
 * @category schemas
 */
export const TeamPermission = Schema.String.check(
  Schema.isPattern(/^[a-z]+( [a-z]+)*$/, { message: "must be a permission name such as \"scenario add\"" }),
  Schema.isMaxLength(64)
).annotate({ identifier: "TeamPermission" })
