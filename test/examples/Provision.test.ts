// `npm start` as a user runs it: examples/provision.ts in a child process (under the root's tsx, on the Node running
// this suite) with no MAKE_* variable set, so on the embedded emulator: exit 0, the plan, the run, and a second plan
// with nothing left to change.
import { describe, expect, it } from "@effect/vitest"
import { spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("../../", import.meta.url))

/** The environment without any MAKE_* variable: the example must fall back to the emulator by itself. */
const withoutMake = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("MAKE_")))

describe("examples/provision.ts (npm start)", () => {
  it("provisions acme.yaml on the embedded emulator, then has nothing left to change", () => {
    const run = spawnSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "examples/provision.ts"], {
      cwd: root,
      env: { ...withoutMake, NO_COLOR: "1" },
      encoding: "utf8",
      timeout: 60_000
    })
    const output = `${run.stdout}${run.stderr}`
    expect(run.status, output).toBe(0)
    expect(output).toMatch(/MAKE_API_TOKEN is not set: using the embedded Make emulator/)
    expect(output).toMatch(/Plan for Acme Robotics: 8 change\(s\)/)
    expect(output).toMatch(/run succeeded/)
    expect(output).toMatch(/organization +Acme Robotics +\d+ +created/)
    expect(output).toMatch(/Plan after applying: 0 change\(s\) — running the spec again writes nothing\./)
  }, 90_000)
})
