// `effect-make mcp` over stdio, driven by the official MCP TypeScript SDK's client as a host drives it: the tools
// listed (annotated, valid JSON Schema), every read tool called on the embedded emulator, a create, a destructive call
// refused then confirmed, a provision after its plan, a tool error for a missing organization, and the token nowhere.
import { describe, expect, it } from "@effect/vitest"
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js"
import { Ajv2020 } from "ajv/dist/2020.js"
import { Effect } from "effect"
import * as MakeMcp from "../../src/ai/MakeMcp.js"
import { cli, startEmulator } from "../cli/spawned.js"
import { command, env, readArguments, spec } from "./mcpProcess.js"

interface Session {
  readonly client: Client
  /** Everything the server wrote on stderr so far. */
  readonly stderr: () => string
}

/** A client connected to `effect-make [globals] mcp [args]`, closed (and the server with it) at the end of the scope. */
const connect = (args: ReadonlyArray<string> = [], extra: Readonly<Record<string, string>> = {}) =>
  Effect.acquireRelease(
    Effect.promise(async (): Promise<Session> => {
      const transport = new StdioClientTransport({ ...command(args), env: env(extra), stderr: "pipe" })
      let stderr = ""
      transport.stderr?.on("data", (chunk: Buffer) => void (stderr += chunk.toString()))
      const client = new Client({ name: "effect-make-tests", version: "1.0.0" })
      await client.connect(transport)
      return { client, stderr: () => stderr }
    }),
    ({ client }) => Effect.promise(() => client.close())
  )

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> => typeof u === "object" && u !== null

/** A call's answer: whether it is a tool error, and its JSON (the text content a model reads, parsed). */
const call = (session: Session, name: string, parameters: Record<string, unknown>) =>
  Effect.promise(async () => {
    const result = await session.client.callTool({ name, arguments: parameters })
    const content = Array.isArray(result["content"]) ? result["content"] : []
    const first: unknown = content[0]
    const text = isRecord(first) && typeof first["text"] === "string" ? first["text"] : ""
    const json: unknown = JSON.parse(text)
    return { isError: result["isError"] === true, text, json }
  })

const field = (u: unknown, key: string): unknown => isRecord(u) ? u[key] : undefined

describe("effect-make mcp, with the official MCP SDK client over stdio", { timeout: 120_000 }, () => {
  it.effect("lists the 33 tools, each annotated with a valid JSON Schema of its input; the emulator is said", () =>
    Effect.gen(function*() {
      const session = yield* connect(["mcp"])
      expect(session.client.getServerVersion()?.name).toBe("effect-make")
      expect(session.client.getInstructions()).toContain("embedded Make emulator")
      const { tools } = yield* Effect.promise(() => session.client.listTools())
      expect(tools.map((tool) => tool.name)).toEqual(MakeMcp.catalogue.map((entry) => entry.name))
      expect(tools.length).toBeGreaterThanOrEqual(33)
      const ajv = new Ajv2020({ strict: false })
      for (const tool of tools) {
        const entry = MakeMcp.catalogue.find((e) => e.name === tool.name)
        expect(tool.annotations, tool.name).toEqual({
          title: entry?.title,
          readOnlyHint: entry?.readOnly,
          destructiveHint: entry?.destructive,
          idempotentHint: entry?.idempotent,
          openWorldHint: false
        })
        expect(tool.inputSchema.type, tool.name).toBe("object")
        // compiles as JSON Schema (draft 2020-12, what the schemas declare with their $defs)
        const validate = ajv.compile(tool.inputSchema)
        const example = readArguments[tool.name]
        if (example !== undefined) {
          expect(validate(example), `${tool.name} ${ajv.errorsText(validate.errors)}`).toBe(true)
        }
        if (entry?.destructive === true) expect(Object.keys(tool.inputSchema.properties ?? {})).toContain("confirmed")
        // what it answers, from the method's output schema (the client checks every structured answer against it)
        if (tool.outputSchema !== undefined) {
          expect(tool.outputSchema.type, tool.name).toBe("object")
          ajv.compile(tool.outputSchema)
        }
      }
      // only the calls that answer nothing have no output schema
      expect(tools.filter((tool) => tool.outputSchema === undefined).map((tool) => tool.name).sort()).toEqual([
        "admin_teams_delete",
        "billing_cancel_subscription",
        "organization_variables_delete",
        "organizations_delete"
      ])
      expect(session.stderr()).toContain("using the embedded Make emulator")
    }).pipe(Effect.scoped))

  it.effect("every read tool answers on the emulator", () =>
    Effect.gen(function*() {
      const session = yield* connect(["mcp"])
      const { tools } = yield* Effect.promise(() => session.client.listTools())
      const reads = tools.filter((tool) => tool.annotations?.readOnlyHint === true).map((tool) => tool.name)
      expect(reads.sort()).toEqual(Object.keys(readArguments).sort())
      for (const name of reads) {
        const answer = yield* call(session, name, readArguments[name] ?? {})
        expect([name, answer.isError]).toEqual([name, false])
      }
      const listed = yield* call(session, "organizations_list", {})
      expect(field(listed.json, "items")).toEqual(expect.arrayContaining([expect.objectContaining({ name: "Acme" })]))
      const acme = yield* call(session, "organizations_get", { id: 11 })
      expect(field(acme.json, "name")).toBe("Acme")
      const plan = yield* call(session, "plan", readArguments["plan"] ?? {})
      expect(field(field(plan.json, "organization"), "action")).toBe("create")
    }).pipe(Effect.scoped))

  it.effect("a create; a delete refused without confirmed, done with it; a missing organization is a tool error", () =>
    Effect.gen(function*() {
      const session = yield* connect(["mcp"])
      const created = yield* call(session, "admin_teams_create", { name: "Agents", organizationId: 11 })
      expect(created.isError).toBe(false)
      const teams = yield* call(session, "admin_teams_list", { organizationId: 11 })
      expect(field(teams.json, "items")).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ id: field(field(created.json, "team"), "id"), name: "Agents" })
        ])
      )

      const refused = yield* call(session, "organizations_delete", { id: 12 })
      expect(refused.isError).toBe(true)
      expect(field(refused.json, "_tag")).toBe("NotConfirmed")
      expect(field(refused.json, "message")).toContain("confirmed: true")
      expect((yield* call(session, "organizations_get", { id: 12 })).isError).toBe(false)

      const deleted = yield* call(session, "organizations_delete", { id: 12, confirmed: true })
      expect(deleted.isError).toBe(false)
      const gone = yield* call(session, "organizations_get", { id: 12 })
      expect(gone.isError).toBe(true)
      expect(gone.json).toMatchObject({ _tag: "NotFound", status: 404, id: 12 })
      expect(field(gone.json, "message")).toEqual(expect.stringContaining("12"))
    }).pipe(Effect.scoped))

  it.effect("provision runs a spec this session planned (whatever its key order); an unplanned one is refused", () =>
    Effect.gen(function*() {
      const session = yield* connect(["mcp"])
      const unplanned = yield* call(session, "provision", { spec: spec("Delta") })
      expect(unplanned.isError).toBe(true)
      expect(field(unplanned.json, "_tag")).toBe("NotConfirmed")
      expect(field((yield* call(session, "organizations_list", {})).json, "items")).not.toEqual(
        expect.arrayContaining([expect.objectContaining({ name: "Delta" })])
      )

      const plan = yield* call(session, "plan", { spec: spec("Delta") })
      expect(plan.isError).toBe(false)
      const { organization, teams } = spec("Delta")
      const provisioned = yield* call(session, "provision", { spec: { teams, organization } })
      expect(provisioned.isError).toBe(false)
      const id = field(field(provisioned.json, "organization"), "id")
      expect(typeof id).toBe("number")
      const created = yield* call(session, "admin_teams_list", { organizationId: id })
      expect(field(created.json, "items")).toEqual(expect.arrayContaining([
        expect.objectContaining({ name: "Ops" }),
        expect.objectContaining({ name: "Sales" })
      ]))
      const again = yield* call(session, "plan", { spec: spec("Delta") })
      expect(field(field(again.json, "organization"), "action")).not.toBe("create")
    }).pipe(Effect.scoped))

  it.effect("--read-only, --allow and --deny choose the tools; an unknown name is refused before anything starts", () =>
    Effect.gen(function*() {
      const readOnly = yield* connect(["mcp", "--read-only"])
      const { tools } = yield* Effect.promise(() => readOnly.client.listTools())
      expect(tools.map((tool) => tool.name).sort()).toEqual(Object.keys(readArguments).sort())
      const chosen = yield* connect([
        "mcp",
        "--allow",
        "organizations_list,organizations_get",
        "--deny=organizations_get"
      ])
      const allowed = yield* Effect.promise(() => chosen.client.listTools())
      expect(allowed.tools.map((tool) => tool.name)).toEqual(["organizations_list"])
      const refused = yield* Effect.promise(() => cli(["mcp", "--allow", "organisations_list"]))
      expect(refused.code).toBe(2)
      expect(refused.stdout).toBe("")
      expect(refused.stderr).toContain("organisations_list: no such tool")
      expect(refused.stderr).not.toContain("emulator")
    }).pipe(Effect.scoped))

  it.effect("with a token: Make's base URL in the instructions, the token in no result, error or log line", () =>
    Effect.gen(function*() {
      const token = "mcp-secret-token-4711"
      const emulator = yield* Effect.acquireRelease(
        Effect.promise(() => startEmulator(["--token", token])),
        (running) => Effect.promise(() => running.stop("SIGTERM"))
      )
      const baseUrl = `${emulator.url}/api/v2`
      const texts: Array<string> = []
      for (const [given, extra] of [[token, {}], ["a-wrong-token", {}]] as const) {
        const session = yield* connect(["--base-url", baseUrl, "mcp"], { ...extra, MAKE_API_TOKEN: given })
        const instructions = session.client.getInstructions() ?? ""
        expect(instructions).toContain(baseUrl)
        const answers = [
          yield* call(session, "organizations_list", {}),
          yield* call(session, "organizations_get", { id: 999 }),
          yield* call(session, "plan", readArguments["plan"] ?? {})
        ]
        expect(answers.map((answer) => answer.isError)).toEqual(
          given === token ? [false, true, false] : [true, true, true]
        )
        if (given !== token) expect(field(answers[0]?.json, "_tag")).toBe("Unauthorized")
        texts.push(instructions, session.stderr(), ...answers.map((answer) => answer.text))
      }
      expect(texts.join("\n")).not.toContain(token)
      expect(texts.join("\n")).not.toContain("a-wrong-token")
    }).pipe(Effect.scoped))
})
