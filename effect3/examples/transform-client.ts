// transformClient: wrap the client's HttpClient to log every attempt and add a header, where raw requests and
// responses are visible (the token is added after this stage, so the hook never sees it).
// Runs on the embedded emulator: `npx tsx examples/transform-client.ts`.
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { NodeRuntime } from "@effect/platform-node"
import { Console, Effect } from "effect"
import { Organizations } from "../src/index.js"
import { MakeTest } from "../src/testing/index.js"

const program = Effect.gen(function*() {
  const orgs = yield* Organizations.Organizations
  const page = yield* orgs.list({ limit: 3 })
  yield* Console.log(`Listed ${page.items.length} organizations`)
  yield* orgs.get(11)
})

program.pipe(
  Effect.provide(MakeTest.layer({
    transformClient: (client) =>
      client.pipe(
        HttpClient.mapRequest(HttpClientRequest.setHeader("x-request-source", "effect-make example")),
        HttpClient.tapRequest((request) =>
          Console.log(
            `-> ${request.method} ${request.url} (authorization: ${request.headers.authorization ?? "not yet"})`
          )
        ),
        HttpClient.tap((response) => Console.log(`<- ${response.status} ${response.request.url}`))
      )
  })),
  NodeRuntime.runMain
)
