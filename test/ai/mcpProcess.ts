// `effect-make mcp` as an MCP host starts it: the built binary when EFFECT_MAKE_BIN names it (CI: the one installed
// from the packed tarball), else src/cli/bin.ts under the root's tsx; on the Node running the suite, with no MAKE_*
// variable of this process. Shared by the MCP client tests.
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { childEnv, collect, type Result } from "../cli/spawned.js"

const tsx = fileURLToPath(new URL("../../node_modules/tsx/dist/cli.mjs", import.meta.url))
const source = fileURLToPath(new URL("../../src/cli/bin.ts", import.meta.url))

/** The command line that starts `effect-make ...args`: the executable and its arguments. */
export const command = (args: ReadonlyArray<string>): { readonly command: string; readonly args: Array<string> } => {
  const built = process.env["EFFECT_MAKE_BIN"]
  return {
    command: process.execPath,
    args: built === undefined || built === "" ? [tsx, source, ...args] : [built, ...args]
  }
}

/** The environment of the server: no MAKE_* variable of this process, no colour, and `extra`. */
export const env = (extra: Readonly<Record<string, string>> = {}): Record<string, string> => {
  const entries = Object.entries({ ...childEnv(), ...extra }).filter((entry): entry is [string, string] =>
    entry[1] !== undefined
  )
  return Object.fromEntries(entries)
}

/** The arguments of every read tool against the emulator's seed (Acme is 11, its invitation and variables). */
export const readArguments: Readonly<Record<string, Record<string, unknown>>> = {
  organizations_list: {},
  organizations_get: { id: 11 },
  organizations_apps: { organizationId: 11 },
  organizations_check_team_permission: { id: 11, teamPermission: "scenario add" },
  invitations_get: { hash: "bf1effe1-bc9d-4ab3-9414-9c3b66175305" },
  billing_payments: { organizationId: 11 },
  billing_get_subscription: { organizationId: 11 },
  organization_variables_list: { organizationId: 11 },
  organization_variables_history: { organizationId: 11, name: "dailyLimit" },
  usage_get: { organizationId: 11 },
  feature_controls_list: { organizationId: 11 },
  admin_teams_list: { organizationId: 11 },
  plan: {
    spec: {
      organization: { name: "Planned Only", regionId: 1, timezoneId: 113, countryId: 1 },
      teams: [{ name: "Ops" }]
    }
  }
}

/** A spec to provision: an organization with two teams. */
export const spec = (name: string) => ({
  organization: { name, regionId: 1, timezoneId: 113, countryId: 1 },
  teams: [{ name: "Ops" }, { name: "Sales" }]
})

/** `effect-make mcp --port 0 ...args`, listening: its endpoint, and how to stop it (answering what it wrote). */
export interface RunningServer {
  readonly url: string
  readonly stop: () => Promise<Result>
}

/** Starts `effect-make [globals] mcp --port 0 ...` and waits until it says where it listens. */
export const startHttp = (
  args: ReadonlyArray<string>,
  extra: Readonly<Record<string, string>> = {}
): Promise<RunningServer> =>
  new Promise((resolve, reject) => {
    const { args: argv, command: executable } = command([...args, "--port", "0"])
    const child = spawn(executable, argv, { env: env(extra) })
    const done = collect(child)
    let seen = ""
    const timer = setTimeout(() => {
      child.kill("SIGKILL")
      reject(new Error(`effect-make mcp did not start: ${seen}`))
    }, 60_000)
    child.stderr?.on("data", (chunk: Buffer) => {
      seen += chunk.toString()
      const match = /listening on (http:\/\/\S+\/mcp)/.exec(seen)
      if (match?.[1] === undefined) return
      clearTimeout(timer)
      resolve({
        url: match[1],
        stop: () => {
          child.kill("SIGTERM")
          return done
        }
      })
    })
    void done.then((result) => {
      clearTimeout(timer)
      reject(new Error(`effect-make mcp exited (${result.code}): ${result.stderr}`))
    })
  })
