// The `orgs`, `teams` and `invitations` command groups: one subcommand per service method, arguments handed to the
// services, which validate them with the library's schemas. Floor "the command": the services, effect, cli/Global.
/**
 * The `orgs`, `teams` and `invitations` commands of `effect-make`.
 *
 * @since 1.0.0
 */
import { Effect, Option, Stream } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import * as AdminTeams from "../AdminTeams.js"
import * as Invitations from "../Invitations.js"
import * as Organizations from "../Organizations.js"
import * as Global from "./Global.js"

const orgId = Argument.Int("ORG_ID").pipe(Argument.withDescription("Organization id"))
const teamId = Argument.Int("TEAM_ID").pipe(Argument.withDescription("Team id"))
const hash = Argument.String("HASH").pipe(Argument.withDescription("Invitation hash"))
const optInt = (name: string, description: string) =>
  Flag.Int(name).pipe(Flag.withDescription(description), Flag.optional)
const optText = (name: string, description: string) =>
  Flag.String(name).pipe(Flag.withDescription(description), Flag.optional)
const flag = (name: string, description: string) =>
  Flag.Boolean(name).pipe(Flag.withDescription(description), Flag.withDefault(false))
const confirm = flag("confirm", "Send confirmed=true")
const paging = {
  offset: optInt("offset", "Entities to skip"),
  limit: optInt("limit", "Page size (1 to 10000)"),
  sortBy: optText("sort-by", "Field to sort by"),
  sortDir: Flag.Literals("sort-dir", ["asc", "desc"]).pipe(Flag.withDescription("Sort direction"), Flag.optional)
}
const u = Option.getOrUndefined
const orgs_ = Effect.service(Organizations.Organizations)
const teams_ = Effect.service(AdminTeams.AdminTeams)
const invitations_ = Effect.service(Invitations.Invitations)

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
const all = flag("all", "Every page, in pages of --limit (JSON lines with --json)")

const orgsList = Command.make(
  "list",
  { ...paging, all, externalId: optText("external-id", "Only the organization with this external id") },
  (o) => {
    const options = listOptions(o)
    return o.all
      ? Global.runStream(Stream.unwrap(Effect.map(orgs_, (orgs) => orgs.stream(options))))
      : Global.run(Effect.flatMap(orgs_, (orgs) => orgs.list(options)))
  }
).pipe(Command.withDescription("List organizations (one page, or --all)"))

const orgsGet = Command.make(
  "get",
  { id: orgId, wait: flag("wait", "Wait for the zone to sync (wait=true)") },
  ({ id, wait }) => Global.run(Effect.flatMap(orgs_, (orgs) => orgs.get(id, { wait })))
).pipe(Command.withDescription("Show one organization"))

const orgsCreate = Command.make(
  "create",
  {
    name: Flag.String("name").pipe(Flag.withDescription("Name")),
    regionId: Flag.Int("region-id").pipe(Flag.withDescription("Region id")),
    timezoneId: Flag.Int("timezone-id").pipe(Flag.withDescription("Timezone id")),
    countryId: Flag.Int("country-id").pipe(Flag.withDescription("Country id"))
  },
  (body) => Global.run(Effect.flatMap(orgs_, (orgs) => orgs.create(body)))
).pipe(Command.withDescription("Create an organization"))

const orgsUpdate = Command.make(
  "update",
  {
    id: orgId,
    name: optText("name", "New name"),
    countryId: optInt("country-id", "New country id"),
    timezoneId: optInt("timezone-id", "New timezone id")
  },
  ({ countryId, id, name, timezoneId }) =>
    Global.run(
      Effect.flatMap(orgs_, (orgs) =>
        orgs.update(id, { name: u(name), countryId: u(countryId), timezoneId: u(timezoneId) }))
    )
).pipe(Command.withDescription("Rename an organization or change its country or timezone"))

const orgsDelete = Command.make(
  "delete",
  { id: orgId, confirm },
  ({ confirm, id }) => Global.run(Effect.flatMap(orgs_, (orgs) => orgs.delete(id, { confirmed: confirm })))
).pipe(Command.withDescription("Delete an organization (--confirm when it has active scenarios)"))

const orgsApps = Command.make(
  "apps",
  { id: orgId },
  ({ id }) => Global.run(Effect.flatMap(orgs_, (orgs) => orgs.apps(id)))
).pipe(Command.withDescription("The custom apps of an organization's users"))

const orgsPermission = Command.make(
  "permission",
  {
    id: orgId,
    permission: Argument.String("PERMISSION").pipe(Argument.withDescription("e.g. \"scenario add\""))
  },
  ({ id, permission }) =>
    Global.run(
      Effect.flatMap(orgs_, (orgs) =>
        Effect.map(orgs.checkTeamPermission(id, permission), (hasPermission) => ({ hasPermission })))
    )
).pipe(Command.withDescription("Whether the caller holds a team permission in the organization"))

/**
 * `effect-make orgs list|get|create|update|delete|apps|permission`.
 *
 * @since 1.0.0
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
      ? Global.runStream(Stream.unwrap(Effect.map(teams_, (teams) => teams.stream(o.id, options))))
      : Global.run(Effect.flatMap(teams_, (teams) => teams.list(o.id, options)))
  }
).pipe(Command.withDescription("List the teams of an organization (one page, or --all)"))

const teamsCreate = Command.make(
  "create",
  {
    organizationId: orgId,
    name: Flag.String("name").pipe(Flag.withDescription("Team name")),
    userTeamAdmin: optInt("admin", "The user to make team admin")
  },
  ({ name, organizationId, userTeamAdmin }) =>
    Global.run(
      Effect.flatMap(teams_, (teams) => teams.create({ name, organizationId, userTeamAdmin: u(userTeamAdmin) }))
    )
).pipe(Command.withDescription("Create a team in an organization"))

const teamsUpdate = Command.make(
  "update",
  { id: teamId, name: optText("name", "New name") },
  ({ id, name }) => Global.run(Effect.flatMap(teams_, (teams) => teams.update(id, { name: u(name) })))
).pipe(Command.withDescription("Rename a team"))

const teamsDelete = Command.make(
  "delete",
  { id: teamId },
  ({ id }) => Global.run(Effect.flatMap(teams_, (teams) => teams.delete(id)))
).pipe(Command.withDescription("Delete a team"))

/**
 * `effect-make teams list|create|update|delete`.
 *
 * @since 1.0.0
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
    email: Flag.String("email").pipe(Flag.withDescription("The invitee's e-mail address")),
    name: Flag.String("name").pipe(Flag.withDescription("The invitee's name")),
    usersRoleId: optInt("role-id", "Organization role id"),
    note: optText("note", "A note added to the invitation"),
    // any number of times, none included: an invitation needs no team
    teamsId: Flag.Int("team").pipe(Flag.withDescription("Add to this team id (repeatable)"), Flag.atLeast(0))
  },
  ({ email, id, name, note, teamsId, usersRoleId }) =>
    Global.run(Effect.flatMap(invitations_, (invitations) =>
      invitations.invite(id, {
        email,
        name,
        usersRoleId: u(usersRoleId),
        note: u(note),
        teamsId: teamsId.length > 0 ? teamsId : undefined
      })))
).pipe(Command.withDescription("Invite a user to an organization"))

const invitationGet = Command.make(
  "get",
  { hash },
  ({ hash }) => Global.run(Effect.flatMap(invitations_, (invitations) => invitations.get(hash)))
).pipe(Command.withDescription("Show an invitation"))

const invitationAccept = Command.make(
  "accept",
  { hash },
  ({ hash }) => Global.run(Effect.flatMap(invitations_, (invitations) => invitations.accept(hash)))
).pipe(Command.withDescription("Accept an invitation"))

/**
 * `effect-make invitations invite|get|accept`.
 *
 * @since 1.0.0
 * @category commands
 */
export const invitations = Command.make("invitations").pipe(
  Command.withDescription("Invitations"),
  Command.withSubcommands([invite, invitationGet, invitationAccept])
)
