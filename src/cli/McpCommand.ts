// `effect-make mcp`: the Make tools (effect-make/ai) served to an MCP host, over stdio or over HTTP on a port, on the
// same token and settings as every command (real Make with a token, else the embedded emulator).
// Floor "the command": ai/, workflows/, cli/, effect, @effect/platform-node.
/**
 * `effect-make mcp [--port N] [--host H] [--read-only] [--allow NAME...] [--deny NAME...]`: an MCP server of the
 * Make tools. Over stdio by default (what a host launching the command expects: stdout carries the protocol alone,
 * every other line goes to stderr); with `--port`, Streamable HTTP at `/mcp`.
 *
 * @since 1.0.0
 */
import { NodeHttpServer } from "@effect/platform-node"
import { Effect, Layer, Logger, Option } from "effect"
import { McpProtocol, McpServer } from "effect/ai"
import { Command, Flag } from "effect/cli"
import { HttpRouter, HttpServer } from "effect/http"
import { createServer } from "node:http"
import * as MakeMcp from "../ai/MakeMcp.js"
import { MakeClient } from "../MakeClient.js"
import * as Workflows from "../workflows/Workflows.js"
import * as Global from "./Global.js"
import * as Output from "./Output.js"
import * as StdioSession from "./StdioSession.js"

/**
 * The MCP revisions served: the sessionful ones, from the newest the official SDK offers back to the first. A session
 * is what lets `provision` follow the `plan` of the same client (see `WorkflowTools`); the sessionless revision is
 * not offered, so that this rule holds for every client.
 *
 * @since 1.0.0
 * @category protocols
 */
export const protocols = [
  McpProtocol.v2025_11_25,
  McpProtocol.v2025_06_18,
  McpProtocol.v2025_03_26,
  McpProtocol.v2024_11_05
] as const

/** Where the HTTP transport answers. */
const path = "/mcp"

/** `--allow a,b --allow c`: every name, commas and repeats alike. */
const names = (given: ReadonlyArray<string>): ReadonlyArray<string> =>
  given.flatMap((value) => value.split(",")).map((name) => name.trim()).filter((name) => name !== "")

const mcpOptions = {
  port: Flag.Int("port").pipe(
    Flag.withDescription("Serve over Streamable HTTP at " + path + " on this port (0: any free port), not stdio"),
    Flag.optional
  ),
  host: Flag.String("host").pipe(
    Flag.withDescription("Interface to bind with --port (default 127.0.0.1)"),
    Flag.withDefault("127.0.0.1")
  ),
  readOnly: Flag.Boolean("read-only").pipe(
    Flag.withDescription("Offer only the tools that read (every GET, and plan)"),
    Flag.withDefault(false)
  ),
  allow: Flag.String("allow").pipe(
    Flag.withDescription("Offer only these tools (names, comma-separated or repeated)"),
    Flag.atLeast(0)
  ),
  deny: Flag.String("deny").pipe(
    Flag.withDescription("Never offer these tools (names, comma-separated or repeated)"),
    Flag.atLeast(0)
  )
}

interface McpOptions {
  readonly port: Option.Option<number>
  readonly host: string
  readonly readOnly: boolean
  readonly allow: ReadonlyArray<string>
  readonly deny: ReadonlyArray<string>
}

interface ServerInfo {
  readonly name: string
  readonly version: string
  readonly instructions: string
  readonly protocols: typeof protocols
  readonly registrations: ReturnType<typeof MakeMcp.registrations>
}

/**
 * Over stdio: the host launched the command; its first line on stderr says what it serves. The server stops when the
 * host closes stdin and every request has its answer (see `StdioSession`).
 */
const overStdio = (info: ServerInfo, tools: number) =>
  Effect.gen(function*() {
    const session = yield* StdioSession.make
    const server = Layer.merge(
      McpServer.layerStdio(info),
      Layer.effectDiscard(Output.stderr(`MCP server on stdio: ${tools} tools.`))
    ).pipe(Layer.provide(session.layer))
    return yield* Effect.raceFirst(Layer.launch(server), session.ended)
  })

/** Over HTTP on a port, the address said on stderr once it listens (port 0 names the one chosen). */
const overHttp = (info: ServerInfo, tools: number, port: number, host: string) =>
  Layer.launch(
    Layer.merge(
      HttpRouter.serve(McpServer.layerHttp({ ...info, path }), { disableListenLog: true, disableLogger: true }),
      Layer.effectDiscard(Effect.gen(function*() {
        const server = yield* HttpServer.HttpServer
        yield* Output.stderr(
          `MCP server listening on ${HttpServer.formatAddress(server.address)}${path}: ${tools} tools.`
        )
      }))
    ).pipe(Layer.provide(NodeHttpServer.layer(createServer, { port, host })))
  )

/**
 * The server, over the services `Global.runWith` provides: the selection checked before anything else is said, the
 * target (Make's base URL, or the emulator) read from the client, never the token.
 */
const serve = (o: McpOptions, emulated: boolean) =>
  Effect.gen(function*() {
    const selection = { readOnly: o.readOnly, allow: names(o.allow), deny: names(o.deny) }
    const selected = yield* MakeMcp.select(selection)
    const client = yield* MakeClient
    const target: MakeMcp.Target = emulated
      ? { _tag: "Emulator" }
      : { _tag: "Make", baseUrl: client.config.baseUrl }
    const info: ServerInfo = {
      name: "effect-make",
      version: Global.version,
      instructions: MakeMcp.instructions(target),
      protocols,
      registrations: MakeMcp.registrations(selection)
    }
    return yield* Option.isSome(o.port)
      ? overHttp(info, selected.length, o.port.value, o.host)
      : overStdio(info, selected.length)
  }).pipe(
    // stdout is the protocol's over stdio: every log line goes to stderr, whatever the transport
    Effect.provideService(Logger.LogToStderr, true)
  )

/**
 * `effect-make mcp`: the Make tools to an MCP host, over stdio (default) or HTTP (`--port`).
 *
 * @since 1.0.0
 * @category commands
 */
export const mcp = Command.make(
  "mcp",
  mcpOptions,
  (o) =>
    Effect.gen(function*() {
      const globals = yield* Global.root
      const emulated = Option.isNone(yield* Global.token(globals))
      // a bad --allow/--deny is refused before the emulator or Make is even chosen
      yield* Global.runWith(MakeMcp.select({ allow: names(o.allow), deny: names(o.deny) }), Layer.empty, {
        print: false
      })
      return yield* Global.runWith(
        serve(o, emulated),
        Layer.provideMerge(Workflows.layerMemory, Global.apiLayer(globals)),
        { print: false }
      )
    })
).pipe(
  Command.withDescription(
    "Serve the Make tools (30 endpoints, plan, provision, decommission) to an MCP host, over stdio or HTTP (--port)"
  )
)
