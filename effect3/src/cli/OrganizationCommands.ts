// The `orgs`, `teams` and `invitations` command groups: one subcommand per service method, arguments handed to the
// services, which validate them with the library's schemas. Floor 6: imports the services and cli/Global.
/**
 * @since 0.1.0
 */
import { Args, Command, Options } from "@effect/cli"
import { Effect, Option, Stream } from "effect"
import * as AdminTeams from "../AdminTeams.js"
import * as Invitations from "../Invitations.js"
import * as Organizations from "../Organizations.js"
import * as Global from "./Global.js"

const orgId = Args.integer({ name: "ORG_ID" }).pipe(Args.withDescription("Organization id"))
const teamId = Args.integer({ name: "TEAM_ID" }).pipe(Args.withDescription("Team id"))
const hash = Args.text({ name: "HASH" }).pipe(Args.withDescription("Invitation hash"))
const optInt = (name: string, description: string) =>
  Options.integer(name).pipe(Options.withDescription(description), Options.optional)
const optText = (name: string, description: string) =>
  Options.text(name).pipe(Options.withDescription(description), Options.optional)
const confirm = Options.boolean("confirm").pipe(Options.withDescription("Send confirmed=true"))
const paging = {
  offset: optInt("offset", "Entities to skip"),
  limit: optInt("limit", "Page size (1 to 10000)"),
  sortBy: optText("sort-by", "Field to sort by"),
  sortDir: Options.choice("sort-dir", ["asc", "desc"]).pipe(Options.optional)
}
const u = Option.getOrUndefined

/** The parsed paging and `--external-id` options, as both list methods take them. */
const listOptions = (o: {
  readonly offset: Option.Option<number>
  readonly limit: Option.Option<number>
  readonly sortBy: Option.Option<string>
  readonly sortDir: Option.Option<"asc" | "desc">
  readonly externalId: Option.Option<string>
}) => ({
  offset: u(o.offset),
  limit: u(o.limit),
  sortBy: u(o.sortBy),
  sortDir: u(o.sortDir),
  externalId: u(o.externalId)
})
const all = Options.boolean("all").pipe(
  Options.withDescription("Every page, in pages of --limit (JSON lines with --json)")
)

const orgsList = Command.make(
  "list",
  { ...paging, all, externalId: optText("external-id", "Only the organization with this external id") },
  (o) => {
    const options = listOptions(o)
    return o.all
      ? Global.runStream(Stream.unwrap(Effect.map(Organizations.Organizations, (orgs) => orgs.stream(options))))
      : Global.run(Effect.flatMap(Organizations.Organizations, (orgs) => orgs.list(options)))
  }
).pipe(Command.withDescription("List organizations (one page, or --all)"))

const orgsGet = Command.make(
  "get",
  { id: orgId, wait: Options.boolean("wait").pipe(Options.withDescription("Wait for the zone to sync (wait=true)")) },
  ({ id, wait }) => Global.run(Effect.flatMap(Organizations.Organizations, (orgs) => orgs.get(id, { wait })))
).pipe(Command.withDescription("Show one organization"))

const orgsCreate = Command.make(
  "create",
  {
    name: Options.text("name"),
    regionId: Options.integer("region-id"),
    timezoneId: Options.integer("timezone-id"),
    countryId: Options.integer("country-id")
  },
  (body) => Global.run(Effect.flatMap(Organizations.Organizations, (orgs) => orgs.create(body)))
).pipe(Command.withDescription("Create an organization"))

const orgsUpdate = Command.make(
  "update",
  {
    id: orgId,
    name: optText("name", "New name"),
    countryId: optInt("country-id", "New country id"),
    timezoneId: optInt("timezone-id", "New timezone id")
  },
  ({ id, name, countryId, timezoneId }) =>
    Global.run(
      Effect.flatMap(Organizations.Organizations, (orgs) =>
        orgs.update(id, { name: u(name), countryId: u(countryId), timezoneId: u(timezoneId) }))
    )
).pipe(Command.withDescription("Rename an organization or change its country or timezone"))

const orgsDelete = Command.make(
  "delete",
  { id: orgId, confirm },
  ({ confirm, id }) =>
    Global.run(Effect.flatMap(Organizations.Organizations, (orgs) => orgs.delete(id, { confirmed: confirm })))
).pipe(Command.withDescription("Delete an organization (--confirm when it has active scenarios)"))

const orgsApps = Command.make(
  "apps",
  { id: orgId },
  ({ id }) => Global.run(Effect.flatMap(Organizations.Organizations, (orgs) => orgs.apps(id)))
).pipe(Command.withDescription("The custom apps of an organization's users"))

const orgsPermission = Command.make(
  "permission",
  { id: orgId, permission: Args.text({ name: "PERMISSION" }).pipe(Args.withDescription("e.g. \"scenario add\"")) },
  ({ id, permission }) =>
    Global.run(
      Effect.flatMap(Organizations.Organizations, (orgs) =>
        Effect.map(orgs.checkTeamPermission(id, permission), (hasPermission) => ({ hasPermission })))
    )
).pipe(Command.withDescription("Whether the caller holds a team permission in the organization"))

/**
 * `effect-make orgs list|get|create|update|delete|apps|permission`.
 *
 * @since 0.1.0
 * @category commands
 */
export const orgs = Command.make("orgs").pipe(
  Command.withDescription("Organizations"),
  Command.withSubcommands([orgsList, orgsGet, orgsCreate, orgsUpdate, orgsDelete, orgsApps, orgsPermission])
)

const teamsList = Command.make(
  "list",
  { id: orgId, ...paging, all, externalId: optText("external-id", "Only the team with this external id") },
  (o) => {
    const options = listOptions(o)
    return o.all
      ? Global.runStream(Stream.unwrap(Effect.map(AdminTeams.AdminTeams, (teams) => teams.stream(o.id, options))))
      : Global.run(Effect.flatMap(AdminTeams.AdminTeams, (teams) => teams.list(o.id, options)))
  }
).pipe(Command.withDescription("List the teams of an organization (one page, or --all)"))

const teamsCreate = Command.make(
  "create",
  {
    organizationId: orgId,
    name: Options.text("name"),
    userTeamAdmin: optInt("admin", "The user to make team admin")
  },
  ({ name, organizationId, userTeamAdmin }) =>
    Global.run(
      Effect.flatMap(AdminTeams.AdminTeams, (teams) =>
        teams.create({ name, organizationId, userTeamAdmin: u(userTeamAdmin) }))
    )
).pipe(Command.withDescription("Create a team in an organization"))

const teamsUpdate = Command.make(
  "update",
  { id: teamId, name: optText("name", "New name") },
  ({ id, name }) => Global.run(Effect.flatMap(AdminTeams.AdminTeams, (teams) => teams.update(id, { name: u(name) })))
).pipe(Command.withDescription("Rename a team"))

const teamsDelete = Command.make(
  "delete",
  { id: teamId },
  ({ id }) => Global.run(Effect.flatMap(AdminTeams.AdminTeams, (teams) => teams.delete(id)))
).pipe(Command.withDescription("Delete a team"))

/**
 * `effect-make teams list|create|update|delete`.
 *
 * @since 0.1.0
 * @category commands
 */
export const teams = Command.make("teams").pipe(
  Command.withDescription("Teams (White Label admin)"),
  Command.withSubcommands([teamsList, teamsCreate, teamsUpdate, teamsDelete])
)

const invite = Command.make(
  "invite",
  {
    id: orgId,
    email: Options.text("email"),
    name: Options.text("name"),
    usersRoleId: optInt("role-id", "Organization role id"),
    note: optText("note", "A note added to the invitation"),
    // text, not integer: @effect/cli 0.77 rejects a repeated integer option; the library's schema checks the ids
    // optional around repeated, so that the usage shows `[--team text...]`: an invitation needs no team
    teamsId: Options.text("team").pipe(
      Options.withDescription("Add to this team id (repeatable)"),
      Options.repeated,
      Options.optional
    )
  },
  ({ email, id, name, note, teamsId, usersRoleId }) =>
    Global.run(Effect.flatMap(Invitations.Invitations, (invitations) =>
      invitations.invite(id, {
        email,
        name,
        usersRoleId: u(usersRoleId),
        note: u(note),
        teamsId: Option.match(Option.filter(teamsId, (ids) => ids.length > 0), {
          onNone: () => undefined,
          onSome: (ids) => ids.map(Number)
        })
      })))
).pipe(Command.withDescription("Invite a user to an organization"))

const invitationGet = Command.make(
  "get",
  { hash },
  ({ hash }) => Global.run(Effect.flatMap(Invitations.Invitations, (invitations) => invitations.get(hash)))
).pipe(Command.withDescription("Show an invitation"))

const invitationAccept = Command.make(
  "accept",
  { hash },
  ({ hash }) => Global.run(Effect.flatMap(Invitations.Invitations, (invitations) => invitations.accept(hash)))
).pipe(Command.withDescription("Accept an invitation"))

/**
 * `effect-make invitations invite|get|accept`.
 *
 * @since 0.1.0
 * @category commands
 */
export const invitations = Command.make("invitations").pipe(
  Command.withDescription("Invitations"),
  Command.withSubcommands([invite, invitationGet, invitationAccept])
)
