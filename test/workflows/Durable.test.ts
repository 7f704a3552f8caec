// The durable engine (ClusterWorkflowEngine + SqlMessageStorage on PostgreSQL): a child process provisions against the
// emulator on a real port, is killed (SIGKILL) once the organization and 2 of 5 teams exist, and a fresh child resumes
// the run to the end without repeating a completed activity. Real time (bounded): two processes and a database.
// Under CI=true an unreachable PostgreSQL fails this suite; elsewhere the suite is skipped with a message. Ported from
// the Effect 3 line (1 case).
import { PgClient } from "@effect/sql-pg"
import { describe, expect, it } from "@effect/vitest"
import { type Duration, Effect, Schema } from "effect"
import { HttpServer } from "effect/http"
import { type ChildProcess, spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import * as Emulator from "../../src/testing/Emulator.js"
import * as Store from "../../src/testing/emulator/Store.js"
import { ProvisionResult } from "../../src/workflows/ProvisionResult.js"
import { admin, connect, freshDatabase, probe } from "./postgres.js"

const postgres = await probe("durable tests")

const childScript = fileURLToPath(new URL("./durable-child.ts", import.meta.url))

interface Child {
  readonly process: ChildProcess
  readonly lines: Array<string>
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>
}

const startChild = (env: Record<string, string>): Child => {
  const child = spawn(process.execPath, ["--import", "tsx", childScript], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"]
  })
  const lines: Array<string> = []
  let buffered = ""
  child.stdout?.on("data", (chunk: Buffer) => {
    buffered += chunk.toString()
    const parts = buffered.split("\n")
    buffered = parts.pop() ?? ""
    lines.push(...parts)
  })
  child.stderr?.on("data", (chunk: Buffer) => process.stderr.write(`[child] ${chunk.toString()}`))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal }))
  )
  return { process: child, lines, exited }
}

const waitExit = (child: Child, within: Duration.Input) =>
  Effect.promise(() => child.exited).pipe(
    Effect.timeoutOrElse({
      duration: within,
      orElse: () => Effect.fail(new Error("the child did not finish in time"))
    })
  )

/** A message of the engine's journal (`cluster_messages`), as far as the test reads it. */
const JournalRow = Schema.Struct({ entity_type: Schema.String, tag: Schema.String, processed: Schema.Boolean })

const teamNames = ["Alpha", "Bravo", "Charlie", "Delta", "Echo"]

/** The emulator on a loopback port; each team create is held 300 ms before Make processes it, so the kill lands
 * between two of them. */
const emulatorOnAPort = Emulator.layer({
  port: 0,
  syncDelay: "200 millis",
  faults: {
    seed: 1,
    latency: { probability: 1, duration: "300 millis" },
    match: (request) => request.method === "POST" && request.path === "/admin/teams"
  }
})

describe.skipIf(postgres.skip)("durable engine (PostgreSQL)", () => {
  it.live(
    "a run killed after the organization and 2 of 5 teams is resumed by a fresh process, repeating nothing",
    () =>
      Effect.gen(function*() {
        if (!postgres.reachable) return yield* Effect.die(`PostgreSQL is unreachable under CI: ${postgres.detail}`)
        const database = yield* freshDatabase("effect_make_durable")
        const emulator = yield* Emulator.Emulator
        const server = yield* HttpServer.HttpServer
        const baseUrl = `${HttpServer.formatAddress(server.address)}${Emulator.basePath}`
        const name = `Durable ${Date.now()}`
        const specTeams = (id: number) =>
          Effect.map(
            emulator.teams(id),
            (teams) => teams.filter((team) => !team.deleted && teamNames.includes(team.name))
          )
        const held = (id: number) =>
          Effect.map(emulator.snapshot, (data) => ({
            variables: Store.inOrganization(data.variables, id),
            invitations: Store.inOrganization(data.invitations, id)
          }))
        const env = { MAKE_BASE_URL: baseUrl, PGDATABASE: database, SPEC_NAME: name }

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
        }).pipe(
          Effect.timeoutOrElse({
            duration: "60 seconds",
            orElse: () => Effect.fail(new Error("no 2 teams within 60 s"))
          })
        )
        const killed = yield* waitExit(first, "10 seconds")
        expect(killed.signal).toBe("SIGKILL")
        const firstRequests = yield* emulator.requests
        const teamsAtKill = (yield* specTeams(organizationId)).map((team) => team.name)
        expect(teamsAtKill.length).toBeGreaterThanOrEqual(2)
        expect(teamsAtKill.length).toBeLessThan(5)

        // 2. A fresh process resumes the same execution and finishes it.
        const resumedAt = Date.now()
        const second = startChild(env)
        const exit = yield* waitExit(second, "90 seconds")
        const resumeMillis = Date.now() - resumedAt
        expect(exit.code).toBe(0)
        const resultLine = second.lines.find((line) => line.startsWith("{\"result\""))
        expect(resultLine).toBeDefined()
        const { result } = Schema.decodeUnknownSync(
          Schema.fromJsonString(Schema.Struct({ result: ProvisionResult }))
        )(resultLine ?? "{}")

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
        const state = yield* held(organizationId)
        expect(state.invitations.map((i) => [i.email, i.teamsId])).toEqual([["ops@durable.example.com", [echo]]])
        expect(state.variables.map((v) => [v.name, v.value])).toEqual([["launchDate", "2027-01-15T09:00:00.000Z"]])

        // The journal: no message of the run is left unprocessed (nothing a later process would pick up again).
        const journal = yield* Effect.flatMap(
          PgClient.PgClient,
          (sql) => sql.unsafe("SELECT entity_type, tag, processed FROM cluster_messages ORDER BY id")
        ).pipe(
          Effect.map(Schema.decodeUnknownSync(Schema.Array(JournalRow))),
          Effect.provide(connect(database))
        )
        expect(journal.filter((row) => row.tag === "run")).toHaveLength(1)
        expect(journal.filter((row) => !row.processed)).toEqual([])

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
          `durable resume: killed with ${teamsAtKill.length} of 5 teams (${teamsAtKill.join(", ")}); the first ` +
            `process sent ${firstRequests.length} requests, the second ${resumed.length} (${
              resumed.map((r) => `${r.method} ${r.path}${r.aborted ? " aborted" : r.processed ? "" : " unprocessed"}`)
                .join(", ")
            }) in ${resumeMillis} ms, start to exit; the journal holds ${journal.length} messages, all processed`
        )
      }).pipe(Effect.scoped, Effect.provide(emulatorOnAPort), Effect.provide(admin)),
    180_000
  )
})
