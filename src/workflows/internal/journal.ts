// The names under which a run's activities are journaled, in one versioned table: a durable engine replays a run by
// these names, so changing one is a change of journal version. The workflows: imports nothing.
/**
 * @since 1.0.0
 * @internal
 */

/**
 * The journal's version: part of every execution id (see `Provision.ProvisionWorkflow`), so that a run journaled
 * under other names is never replayed against this table. Raise it with any change to {@link names}; the journal test
 * holds every version's table and fails when a name changes under the same version.
 *
 * @internal
 */
export const version = 1

/**
 * Every activity name, as a template: `{key}`, `{resource}` and `{id}` are filled in per entity. Activities of one
 * execution must have distinct names (the engine replays an activity by its name), hence the entity in each.
 *
 * @internal
 */
export const names = {
  /** Marks a body's first execution (a resumed body looks entities up before creating them). */
  begin: "Begin",
  organizationFind: "Organization/find",
  organizationCreate: "Organization/create",
  organizationUpdate: "Organization/update",
  organizationSync: "Organization/sync",
  teamsList: "Teams/list",
  teamCreate: "Team/create/{key}",
  teamUpdate: "Team/update/{key}",
  variablesList: "Variables/list",
  variableCreate: "Variable/create/{key}",
  variableUpdate: "Variable/update/{key}",
  /** Journaled before an invitation is sent: a body run again sees it and never sends the invitation twice. */
  invitationIntent: "Invitation/{key}/intent",
  invitation: "Invitation/{key}",
  featureControlsList: "FeatureControls/list",
  featureControlUpdate: "FeatureControl/{key}",
  /** A provisioning run's rollback of an entity it made. */
  rollback: "Rollback/{resource}/{key}",
  /** A decommissioning run's removal of an entity. */
  remove: "Remove/{resource}/{id}"
} as const

/**
 * One kind of activity.
 *
 * @internal
 */
export type Kind = keyof typeof names

type Placeholders<S extends string> = S extends `${string}{${infer P}}${infer Rest}` ? P | Placeholders<Rest> : never

/** What the template of `K` needs filled in: nothing, or one value per placeholder. */
type Fill<K extends Kind> = [Placeholders<(typeof names)[K]>] extends [never] ? []
  : [values: { readonly [P in Placeholders<(typeof names)[K]>]: string | number }]

/**
 * The name of an activity of kind `kind`, its placeholders filled in (the compiler asks for exactly those):
 * `activityName("teamCreate", { key: "Ops" })` is `Team/create/Ops`, `activityName("begin")` is `Begin`.
 *
 * @internal
 */
export const activityName = <K extends Kind>(kind: K, ...fill: Fill<K>): string => {
  const values: { readonly [placeholder: string]: string | number } = fill[0] ?? {}
  return names[kind].replace(/\{(\w+)\}/g, (placeholder, name: string) => String(values[name] ?? placeholder))
}
