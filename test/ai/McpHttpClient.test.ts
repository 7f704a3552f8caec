// `effect-make mcp --port` over Streamable HTTP, driven by effect/ai's own McpClient: the tools listed, a read, and
// the session rule across two clients of one server (a plan in one session does not let another provision).
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import { McpClient, McpProtocol } from "effect/ai"
import { FetchHttpClient } from "effect/http"
import * as MakeMcp from "../../src/ai/MakeMcp.js"
import { readArguments, spec, startHttp } from "./mcpProcess.js"

/** One MCP session with the server at `url`: a client of its own, initialized, closed with the scope. */
const session = (url: string) =>
  Effect.map(
    Layer.build(
      McpClient.layerHttp({ name: "effect-make-tests", version: "1.0.0", url, protocol: McpProtocol.v2025_11_25 })
        .pipe(Layer.provide(FetchHttpClient.layer))
    ),
    (context) => Context.get(context, McpClient.McpClient)
  )

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> => typeof u === "object" && u !== null

const field = (u: unknown, key: string): unknown => isRecord(u) ? u[key] : undefined

/** Calls a tool by name: whether it is a tool error, and its text content parsed. */
const call = (client: McpClient.McpClient, name: string, parameters: Record<string, unknown>) =>
  Effect.gen(function*() {
    const tools = yield* client.listTools()
    const tool = tools.find((t) => t.name === name)
    if (tool === undefined) return yield* Effect.die(`no tool ${name}`)
    const result = yield* client.callTool({ tool, arguments: parameters })
    const first = result.content[0]
    const json: unknown = first?.type === "text" ? JSON.parse(first.text) : undefined
    return { isError: result.isError === true, json }
  })

const server = (args: ReadonlyArray<string>) =>
  Effect.acquireRelease(
    Effect.promise(() => startHttp(args)),
    (running) => Effect.promise(() => running.stop())
  )

describe("effect-make mcp --port, with effect/ai's McpClient over HTTP", { timeout: 120_000 }, () => {
  it.effect("lists the tools and reads the emulator's organizations", () =>
    Effect.gen(function*() {
      const running = yield* server(["mcp"])
      expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/)
      const client = yield* session(running.url)
      expect(client.serverInfo?.name).toBe("effect-make")
      expect(client.instructions).toContain("embedded Make emulator")
      const tools = yield* client.listTools()
      expect(tools.map((tool) => tool.name)).toEqual(MakeMcp.catalogue.map((entry) => entry.name))
      const listed = yield* call(client, "organizations_list", {})
      expect(listed.isError).toBe(false)
      expect(field(listed.json, "items")).toEqual(expect.arrayContaining([expect.objectContaining({ id: 11 })]))
      const plan = yield* call(client, "plan", readArguments["plan"] ?? {})
      expect(plan.isError).toBe(false)
    }).pipe(Effect.scoped))

  it.effect("a plan made in one session lets that session provision, not another", () =>
    Effect.gen(function*() {
      const running = yield* server(["mcp"])
      const planner = yield* session(running.url)
      const other = yield* session(running.url)
      const planned = yield* call(planner, "plan", { spec: spec("Epsilon") })
      expect(planned.isError).toBe(false)
      const refused = yield* call(other, "provision", { spec: spec("Epsilon") })
      expect(refused.isError).toBe(true)
      expect(field(refused.json, "_tag")).toBe("NotConfirmed")
      const provisioned = yield* call(planner, "provision", { spec: spec("Epsilon") })
      expect(provisioned.isError).toBe(false)
      const seen = yield* call(other, "organizations_list", {})
      expect(field(seen.json, "items")).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: "Epsilon" })])
      )
    }).pipe(Effect.scoped))

  it.effect("--read-only offers the read tools alone", () =>
    Effect.gen(function*() {
      const running = yield* server(["mcp", "--read-only"])
      const client = yield* session(running.url)
      const tools = yield* client.listTools()
      expect(tools.map((tool) => tool.name).sort()).toEqual(Object.keys(readArguments).sort())
      expect(tools.every((tool) => tool.annotations?.readOnlyHint === true)).toBe(true)
    }).pipe(Effect.scoped))
})
