// Profiling aid (not part of `npm run bench`): Organizations.get in a loop at concurrency 32 against bench/server.mjs,
// for `node --cpu-prof --import tsx bench/profile-get.ts`.
import { Effect, Layer, ManagedRuntime, Redacted } from "effect"
import { spawn } from "node:child_process"
import { join } from "node:path"
import { Organizations } from "../src/index.js"
import { NodeMakeApi } from "../src/node/index.js"

const server = spawn(process.execPath, [join(import.meta.dirname, "server.mjs")], {
  stdio: ["ignore", "pipe", "inherit"]
})
const port = await new Promise<string>((resolve) =>
  server.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString().trim()))
)
const runtime = ManagedRuntime.make(
  Layer.orDie(NodeMakeApi.layer({ token: Redacted.make("t0k3n"), baseUrl: `http://127.0.0.1:${port}/api/v2` }))
)
const total = Number(process.env.REQUESTS ?? 20000)
const program = Effect.gen(function*() {
  const orgs = yield* Organizations.Organizations
  const begin = performance.now()
  yield* Effect.forEach(Array.from({ length: total }), () => orgs.get(11), { concurrency: 32, discard: true })
  return total / ((performance.now() - begin) / 1000)
})
console.log(`${Math.round(await runtime.runPromise(program))} requests/s`)
await runtime.dispose()
server.kill()
