// A check of the foundation the `mcp` command stands on: the Make toolkit registers with effect's McpServer as it is
// (object input schemas, hints), and a call over MCP answers the service's value or its typed failure.
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { McpProtocol, McpServer, McpTest } from "effect/ai"
import * as MakeToolkit from "../../src/ai/MakeToolkit.js"
import * as MakeTest from "../../src/testing/MakeTest.js"

const registrations = McpServer.toolkit(MakeToolkit.toolkit).pipe(
  Layer.provide(MakeToolkit.layer),
  Layer.provide(MakeTest.layer())
)

describe("the Make toolkit over MCP", () => {
  it.effect("lists the 30 tools with their hints; a missing organization is an error result naming NotFound", () =>
    Effect.gen(function*() {
      const client = yield* McpTest.makeClient(registrations, { protocols: [McpProtocol.v2025_11_25] })
      const { tools } = yield* client.listTools()
      expect(tools).toHaveLength(30)
      const remove = tools.find((tool) => tool.name === "organizations_delete")
      expect(remove?.annotations).toMatchObject({
        title: "Delete an organization",
        readOnlyHint: false,
        destructiveHint: true,
        idempotentHint: true,
        openWorldHint: false
      })
      expect(tools.every((tool) => tool.inputSchema["type"] === "object")).toBe(true)
      const missing = yield* client.callTool({ name: "organizations_get", arguments: { id: 999 } })
      expect(missing.isError).toBe(true)
      expect(JSON.stringify(missing)).toContain("NotFound")
      const found = yield* client.callTool({ name: "organizations_get", arguments: { id: 11 } })
      expect(found.isError).toBe(false)
      expect(JSON.stringify(found.structuredContent)).toContain("\"id\":11")
    }).pipe(Effect.scoped))
})
