// The emulator command's Swagger UI in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) with
// every request off the machine blocked: the one page (effect/http-api's HttpApiSwagger, Swagger UI and the OpenAPI
// document inline) renders and lists all 30 operations, and the browser asks nothing of anyone but the emulator.
// Under CI=true a missing Chromium fails this suite; elsewhere it is skipped with a message.
import { describe, expect, it } from "@effect/vitest"
import { type ChildProcess, spawn } from "node:child_process"
import { existsSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { type Browser, chromium } from "playwright-core"

const tsx = fileURLToPath(new URL("../../node_modules/tsx/dist/cli.mjs", import.meta.url))
const bin = fileURLToPath(new URL("../../src/cli/bin.ts", import.meta.url))

const executablePath = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium"
const available = existsSync(executablePath)
const inCi = process.env["CI"] === "true"
if (!available && !inCi) console.warn(`${executablePath} is missing: the Swagger UI check is skipped`)

interface RunningEmulator {
  readonly url: string
  readonly stop: (signal: NodeJS.Signals) => Promise<number | null>
}

const exited = (child: ChildProcess): Promise<number | null> =>
  new Promise((resolve, reject) => {
    child.on("error", reject)
    child.on("close", (code) => resolve(code))
  })

/**
 * Starts `effect-make emulator --port 0` (src/cli/bin.ts under the root's tsx, as test/cli/Process.test.ts does) and
 * waits until it says where it listens.
 */
const startEmulator = (): Promise<RunningEmulator> =>
  new Promise((resolve, reject) => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("MAKE_")))
    const child = spawn(process.execPath, [tsx, bin, "emulator", "--port", "0"], { env: { ...env, NO_COLOR: "1" } })
    const done = exited(child)
    let seen = ""
    const timer = setTimeout(() => {
      child.kill("SIGKILL")
      reject(new Error(`the emulator did not start: ${seen}`))
    }, 30_000)
    child.stderr?.on("data", (chunk: Buffer) => {
      seen += chunk.toString()
      const match = /listening on (http:\/\/\S+)/.exec(seen)
      if (match?.[1] === undefined) return
      clearTimeout(timer)
      const url = match[1]
      resolve({
        url,
        stop: (signal) => {
          child.kill(signal)
          return done
        }
      })
    })
    void done.then((code) => {
      clearTimeout(timer)
      reject(new Error(`the emulator exited (${code}): ${seen}`))
    })
  })

describe.skipIf(!available && !inCi)("emulator Swagger UI (headless Chromium)", { timeout: 90_000 }, () => {
  it("renders offline, from the one page, and lists all 30 operations", async () => {
    expect(existsSync(executablePath), `Chromium not found at ${executablePath}`).toBe(true)
    const emulator = await startEmulator()
    let browser: Browser | undefined
    try {
      browser = await chromium.launch({
        executablePath,
        headless: true,
        args: [
          "--no-sandbox",
          "--disable-gpu",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync"
        ]
      })
      const page = await browser.newPage()
      const offMachine: Array<string> = []
      const onMachine: Array<string> = []
      await page.route("**/*", (route) => {
        const url = new URL(route.request().url())
        if (url.hostname === "127.0.0.1" || url.hostname === "localhost") {
          onMachine.push(url.pathname)
          return route.continue()
        }
        offMachine.push(url.href)
        return route.abort()
      })
      await page.goto(`${emulator.url}/docs`)
      await page.locator(".opblock").first().waitFor({ timeout: 30_000 })
      const operations = await page.locator(".opblock .opblock-summary-path").allTextContents()
      expect(operations).toHaveLength(30)
      expect(operations).toContain("/organizations/{organizationId}")
      expect(offMachine).toEqual([])
      // self-contained: the page itself is the only thing fetched (a browser's own favicon request aside)
      expect(onMachine.filter((path) => path !== "/favicon.ico")).toEqual(["/docs"])
    } finally {
      await browser?.close()
      await emulator.stop("SIGTERM")
    }
  })
})
