// Through an HTTP proxy: the client over undici's ProxyAgent (`UndiciHttpClient.transportWith`), tunnelling with
// CONNECT through a tiny proxy on loopback to the emulator on a real port. No network beyond 127.0.0.1.
// `npx tsx examples/proxy.ts`; in production, point the ProxyAgent at your proxy (e.g. http://proxy.internal:3128).
import { NodeRuntime, Undici } from "@effect/platform-node"
import { Console, Effect, Layer, Ref } from "effect"
import { createServer } from "node:http"
import { connect, type Socket } from "node:net"
import { MakeApi, MakeClient, Organizations } from "../src/index.js"
import { UndiciHttpClient } from "../src/node/index.js"
import { Emulator } from "../src/testing/index.js"

/** A forward proxy on a free loopback port that only tunnels (CONNECT), recording each tunnel's target. */
const loopbackProxy = Effect.gen(function*() {
  const tunnels = yield* Ref.make<ReadonlyArray<string>>([])
  const sockets = new Set<Socket>()
  const server = createServer((_request, response) => response.writeHead(405).end())
  server.on("connect", (request, client: Socket, head) => {
    const target = new URL(`http://${request.url ?? ""}`)
    Effect.runSync(Ref.update(tunnels, (all) => [...all, target.host]))
    const upstream = connect(Number(target.port), target.hostname, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n")
      upstream.write(head)
      upstream.pipe(client).pipe(upstream)
    })
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on("error", () => socket.destroy())
      socket.on("close", () => sockets.delete(socket))
    }
  })
  const port = yield* Effect.acquireRelease(
    Effect.async<number>((resume) => {
      server.listen(0, "127.0.0.1", () => {
        const address = server.address()
        resume(Effect.succeed(typeof address === "object" && address !== null ? address.port : 0))
      })
    }),
    () =>
      Effect.async<void>((resume) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resume(Effect.void))
      })
  )
  return { url: `http://127.0.0.1:${port}`, tunnels: Ref.get(tunnels) }
})

const program = Effect.gen(function*() {
  const server = yield* Emulator.EmulatorServer
  const proxy = yield* loopbackProxy
  // the caller owns the dispatcher (transportWith): close it with the scope
  const dispatcher = yield* Effect.acquireRelease(
    Effect.sync(() => new Undici.ProxyAgent(proxy.url)),
    (agent) => Effect.promise(() => agent.close())
  )
  const client = MakeClient.layerWith(UndiciHttpClient.transportWith(dispatcher), {
    token: Emulator.defaultToken,
    baseUrl: server.baseUrl
  })

  const names = yield* Effect.flatMap(Organizations.Organizations, (orgs) => orgs.list()).pipe(
    Effect.map((page) => page.items.map((org) => org.name)),
    Effect.provide(MakeApi.services.pipe(Layer.provide(client)))
  )
  yield* Console.log(`Through ${proxy.url} to ${server.baseUrl}: ${names.join(", ")}`)
  yield* Console.log(`Tunnels the proxy opened: ${(yield* proxy.tunnels).join(", ")}`)
}).pipe(Effect.scoped)

program.pipe(
  Effect.provide(Emulator.layerServer({ port: 0 }).pipe(Layer.provideMerge(Emulator.layer()))),
  NodeRuntime.runMain
)
