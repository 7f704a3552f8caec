// The durable engine (ClusterWorkflowEngine + SqlMessageStorage on PostgreSQL): a child process provisions against the
// emulator on a real port, is killed (SIGKILL) once the organization and 2 of 5 teams exist, and a fresh child resumes
// the run to the end without repeating a completed activity. Real time (bounded): two processes and a database.
// Under CI=true an unreachable PostgreSQL fails this suite; elsewhere the suite is skipped with a message.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Schema } from "effect"
import { Emulator } from "../../src/testing/index.js"
import { ProvisionResult } from "../../src/workflows/ProvisionResult.js"
import { admin, freshDatabase, requirePostgres, runsDurable, startChild, waitExit } from "./durableProcess.js"

const teamNames = ["Alpha", "Bravo", "Charlie", "Delta", "Echo"]

describe.skipIf(!runsDurable)("durable engine (PostgreSQL)", () => {
  it.live(
    "a run killed after the organization and 2 of 5 teams is resumed by a fresh process, repeating nothing",
    () =>
      Effect.gen(function*() {
        yield* requirePostgres
        const database = yield* freshDatabase
        const emulator = yield* Emulator.Emulator
        const server = yield* Emulator.EmulatorServer
        const name = `Durable ${Date.now()}`
        const specTeams = (id: number) =>
          Effect.map(
            emulator.teams(id),
            (teams) => teams.filter((team) => !team.deleted && teamNames.includes(team.name))
          )
        const env = { MAKE_BASE_URL: server.baseUrl, PGDATABASE: database, SPEC_NAME: name }

        // 1. The first process: killed once the organization and two teams exist.
        const first = startChild(env)
        const organizationId = yield* Effect.gen(function*() {
          while (true) {
            const orgs = (yield* emulator.organizations).filter((org) => org.name === name)
            const org = orgs[0]
            if (org !== undefined && (yield* specTeams(org.id)).length >= 2) {
              first.process.kill("SIGKILL")
              return org.id
            }
            yield* Effect.sleep("10 millis")
          }
        }).pipe(Effect.timeoutFail({ duration: "60 seconds", onTimeout: () => new Error("no 2 teams within 60 s") }))
        const killed = yield* waitExit(first, "10 seconds")
        expect(killed.signal).toBe("SIGKILL")
        const firstRequests = yield* emulator.requests
        const teamsAtKill = (yield* specTeams(organizationId)).map((team) => team.name)
        expect(teamsAtKill.length).toBeGreaterThanOrEqual(2)
        expect(teamsAtKill.length).toBeLessThan(5)

        // 2. A fresh process resumes the same execution and finishes it.
        const second = startChild(env)
        const exit = yield* waitExit(second, "90 seconds")
        expect(exit.code).toBe(0)
        const resultLine = second.lines.find((line) => line.startsWith("{\"result\""))
        expect(resultLine).toBeDefined()
        const { result } = Schema.decodeUnknownSync(Schema.parseJson(Schema.Struct({ result: ProvisionResult })))(
          resultLine ?? "{}"
        )

        // The user's view: one organization (created), five teams with their ids.
        expect(result.organization).toMatchObject({ id: organizationId, status: "created" })
        expect(result.teams.map((team) => team.key)).toEqual(teamNames)
        // (Make gives a new organization a team of its own, "My Team": the spec's teams come on top)
        const live = yield* specTeams(organizationId)
        expect(live.map((team) => team.name).sort()).toEqual([...teamNames].sort())
        expect(result.teams.map((team) => team.id).sort()).toEqual(live.map((team) => team.id).sort())
        expect((yield* emulator.organizations).filter((org) => org.name === name)).toHaveLength(1)
        expect(result.variables).toEqual([{
          resource: "variable",
          key: "launchDate",
          id: "launchDate",
          status: "created"
        }])
        const echo = result.teams.find((team) => team.key === "Echo")?.id
        expect(result.invitations).toMatchObject([{ key: "ops@durable.example.com", status: "created" }])
        expect((yield* emulator.invitations(organizationId)).map((i) => [i.email, i.teamsId])).toEqual([
          ["ops@durable.example.com", [echo]]
        ])
        expect((yield* emulator.variables(organizationId)).map((v) => [v.name, v.value])).toEqual([
          ["launchDate", "2027-01-15T09:00:00.000Z"]
        ])

        // The request log: the second process repeated no completed activity.
        const all = yield* emulator.requests
        const resumed = all.slice(firstRequests.length)
        const posts = (log: typeof all, path: string) =>
          log.filter((r) => r.method === "POST" && r.path === path && r.processed)
        expect(posts(resumed, "/organizations")).toEqual([])
        expect(resumed.filter((r) => r.method === "GET" && r.path === "/organizations")).toEqual([])
        const resentTeams = posts(resumed, "/admin/teams").map((r) =>
          typeof r.body === "object" && r.body !== null && "name" in r.body ? String(r.body.name) : "?"
        )
        for (const existing of teamsAtKill) expect(resentTeams).not.toContain(existing)
        // and over both processes, every create was processed exactly once
        expect(posts(all, "/organizations")).toHaveLength(1)
        expect(posts(all, "/admin/teams")).toHaveLength(5)
        console.log(
          `durable resume: killed with ${teamsAtKill.length} of 5 teams (${
            teamsAtKill.join(", ")
          }); the first process ` +
            `sent ${firstRequests.length} requests, the second ${resumed.length} ` +
            `(${
              resumed.map((r) => `${r.method} ${r.path}${r.aborted ? " aborted" : r.processed ? "" : " unprocessed"}`)
                .join(", ")
            })`
        )
      }).pipe(
        Effect.scoped,
        Effect.provide(
          Emulator.layerServer().pipe(
            Layer.provideMerge(Emulator.layer({
              syncDelay: "200 millis",
              // each team create is held 300 ms before Make processes it, so the kill lands between two of them
              faults: {
                seed: 1,
                latency: { probability: 1, duration: "300 millis" },
                match: (request) => request.method === "POST" && request.path === "/admin/teams"
              }
            }))
          )
        ),
        Effect.provide(admin)
      ),
    180_000
  )
})
