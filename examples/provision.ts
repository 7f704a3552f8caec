// `npm start`: create an organization, wait for the zone to sync, create three teams through Admin Teams, stream them
// back and print a table. Runs against the embedded emulator unless MAKE_API_TOKEN is set (then against real Make).
import { NodeRuntime } from "@effect/platform-node"
import { Config, Console, Effect, Layer, Option, Stream } from "effect"
import type { Team } from "../src/domain/Team.js"
import { AdminTeams, Organizations } from "../src/index.js"
import { NodeMakeApi } from "../src/node/index.js"
import { MakeTest } from "../src/testing/index.js"

const teamNames = ["Engineering", "Marketing", "Support"]

/** A plain-text table: one header row, columns padded to their widest cell. */
const renderTable = (header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string => {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)))
  const line = (cells: ReadonlyArray<string>) =>
    cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  ").trimEnd()
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n")
}

const teamRow = (team: Team): ReadonlyArray<string> => [
  String(team.id),
  team.name,
  String(team.organizationId),
  team.deleted === true ? "yes" : "no"
]

const program = Effect.gen(function*() {
  const orgs = yield* Organizations.Organizations
  const teams = yield* AdminTeams.AdminTeams

  const { organization } = yield* orgs.create({
    name: "Acme Robotics",
    regionId: yield* Config.integer("MAKE_REGION_ID").pipe(Config.withDefault(1)),
    timezoneId: yield* Config.integer("MAKE_TIMEZONE_ID").pipe(Config.withDefault(113)),
    countryId: yield* Config.integer("MAKE_COUNTRY_ID").pipe(Config.withDefault(1))
  })
  yield* Console.log(`Created organization ${organization.id} "${organization.name}"; waiting for the zone to sync…`)
  const synced = yield* orgs.get(organization.id, { wait: true })
  yield* Console.log(`Organization ${synced.id} is readable in zone ${synced.zone ?? "(unknown)"}.`)

  yield* Effect.forEach(teamNames, (name) => teams.create({ name, organizationId: synced.id }), { concurrency: 3 })
  const all = yield* Stream.runCollect(teams.stream(synced.id, { limit: 2 }))
  yield* Console.log(`\nTeams of organization ${synced.id}:\n`)
  yield* Console.log(renderTable(["id", "name", "organization", "deleted"], [...all].map(teamRow)))
})

/** Real Make when a token is configured, else the in-process emulator (no network, no token). */
const MakeLive = Layer.unwrapEffect(
  Effect.map(Config.option(Config.redacted("MAKE_API_TOKEN")), (token) =>
    Option.isSome(token)
      ? NodeMakeApi.layerConfig()
      : Layer.tap(MakeTest.layer({ syncDelay: "300 millis" }), () =>
        Console.log("MAKE_API_TOKEN is not set: running against the embedded Make emulator.\n")))
)

program.pipe(
  Effect.provide(MakeLive),
  Effect.tapErrorTag("Unauthorized", () => Console.error("Check MAKE_API_TOKEN and MAKE_ZONE.")),
  NodeRuntime.runMain
)
