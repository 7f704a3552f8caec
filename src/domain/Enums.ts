/**
 * Make's enumerations that organization bodies refer to by id: countries, timezones and regions.
 *
 * @since 1.0.0
 */
// Make's enumerations that organization bodies refer to by id: countries, timezones, regions; and the token's user.
// Floor 1: imports only `effect` and sibling domain modules.
import { Schema } from "effect"
import { Optional } from "./Common.js"

/**
 * A country (`GET /enums/countries`); `countryId` of an organization points here.
 *
 * @since 1.0.0
 * @category models
 */
export const Country = Schema.Struct({
  id: Schema.Number,
  name: Schema.String,
  /** ISO 3166-1 alpha-3 code, e.g. `CZE`. */
  code: Schema.String,
  /** ISO 3166-1 alpha-2 code, lower case, e.g. `cz`. */
  code2: Schema.String
}).annotate({ identifier: "Country" })

/**
 * A timezone (`GET /enums/timezones`); `timezoneId` of an organization points here.
 *
 * @since 1.0.0
 * @category models
 */
export const Timezone = Schema.Struct({
  id: Schema.Number,
  /** Display name, e.g. `(GMT+01:00) Europe/Prague`. */
  name: Schema.String,
  /** IANA name, e.g. `Europe/Prague`. */
  code: Schema.String,
  /** UTC offset as `+hhmm`. */
  offset: Schema.String
}).annotate({ identifier: "Timezone" })

/**
 * A Make region (`GET /enums/imt-regions`); `regionId` of a new organization points here.
 *
 * @since 1.0.0
 * @category models
 */
export const Region = Schema.Struct({
  id: Schema.Number,
  name: Schema.String
}).annotate({ identifier: "Region" })

/**
 * The user an API token belongs to (`GET /users/me`).
 *
 * @since 1.0.0
 * @category models
 */
export const AuthUser = Schema.Struct({
  id: Schema.Number,
  name: Schema.String,
  email: Schema.String,
  language: Optional(Schema.String),
  timezoneId: Optional(Schema.Number),
  localeId: Optional(Schema.Number),
  countryId: Optional(Schema.Number),
  timezone: Optional(Schema.String),
  locale: Optional(Schema.String),
  lastLogin: Optional(Schema.String),
  features: Optional(Schema.Record(Schema.String, Schema.Unknown))
}).annotate({ identifier: "AuthUser" })
