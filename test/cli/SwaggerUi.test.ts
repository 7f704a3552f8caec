// The emulator command's Swagger UI in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) with
// every request off the machine blocked: the one page (effect/http-api's HttpApiSwagger, Swagger UI and the OpenAPI
// document inline) renders and lists all 30 operations, and the browser asks nothing of anyone but the emulator.
// Under CI=true a missing Chromium fails this suite; elsewhere it is skipped with a message.
import { describe, expect, it } from "@effect/vitest"
import { existsSync } from "node:fs"
import { type Browser, chromium } from "playwright-core"
import { startEmulator } from "./spawned.js"

const executablePath = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium"
const available = existsSync(executablePath)
const inCi = process.env["CI"] === "true"
if (!available && !inCi) console.warn(`${executablePath} is missing: the Swagger UI check is skipped`)

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
