// A fixed-answer Make stand-in for benchmarks, run in its own process so that it does not share the client's event
// loop: GET /api/v2/organizations/{id} answers a real-shaped organization (fixtures/organizations/get.json), and
// GET /api/v2/admin/teams pages through `TEAMS` generated teams. Prints its port on stdout.
import { readFileSync } from "node:fs"
import { createServer } from "node:http"

const TEAMS = Number(process.env.TEAMS ?? 20000)
const organization = readFileSync(new URL("../fixtures/make-api/organizations/get.json", import.meta.url))

const teamsPage = (organizationId, offset, limit) => {
  const teams = []
  for (let id = offset; id < Math.min(TEAMS, offset + limit); id++) {
    teams.push({
      id: id + 1,
      name: `Team ${id + 1}`,
      organizationId,
      scenarioDrafts: false,
      deleted: false,
      externalId: null
    })
  }
  return JSON.stringify({ teams, pg: { sortBy: "id", sortDir: "asc", limit, offset } })
}

const server = createServer((request, response) => {
  const url = new URL(request.url, "http://localhost")
  if (url.pathname.startsWith("/api/v2/organizations/")) {
    response.writeHead(200, { "content-type": "application/json", "content-length": organization.length })
    response.end(organization)
    return
  }
  if (url.pathname === "/api/v2/admin/teams") {
    const body = teamsPage(
      Number(url.searchParams.get("organizationId")),
      Number(url.searchParams.get("pg[offset]") ?? 0),
      Number(url.searchParams.get("pg[limit]") ?? 10000)
    )
    response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) })
    response.end(body)
    return
  }
  response.writeHead(404, { "content-type": "application/json" })
  response.end(JSON.stringify({ detail: "Not found.", message: "Not found", code: "SC404" }))
})
server.keepAliveTimeout = 60_000
server.listen(0, "127.0.0.1", () => console.log(String(server.address().port)))
