/**
 * What a call is about, as an error reports it.
 *
 * @since 1.0.0
 */
// What a call is about, as an error reports it: the kinds of Make entity a 404 or 406 can name.
// Floor 1: imports only `effect`.
import { Schema } from "effect"

/**
 * What a 404 or 406 is about: a literal users can branch on (`error.resource === "variable"`); the sentence is in
 * the error's `message`.
 *
 * @since 1.0.0
 * @category models
 */
export const Resource = Schema.Literals([
  "organization",
  "team",
  "variable",
  "subscription",
  "invitation",
  "featureControl"
])

/**
 * What a 404 or 406 is about (the type of the `Resource` schema).
 *
 * @since 1.0.0
 * @category models
 */
export type Resource = typeof Resource.Type
