#!/usr/bin/env node
// The `effect-make` binary: loads the command (./main.ts) with a dynamic import, so that a peer it needs and the user
// did not install is told in one sentence, not a stack trace. Floor "the launcher": imports ./Launch.ts only, no peer.
/**
 * @since 1.0.0
 */
import * as Launch from "./Launch.js"

/** The stack of a load failure is only for `--verbose`: the sentence is what a user acts on. */
const verbose = process.argv.includes("--verbose")

const cannotStart = (sentence: string, error: unknown): void => {
  process.stderr.write(`${sentence}\n`)
  if (verbose) process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`)
  process.exitCode = Launch.cannotStart
}

// A reader that stops early (`effect-make openapi | head`) closes the pipe: end quietly, as Unix tools do, rather than
// die on the unhandled EPIPE with a stack trace. What was asked for has been read.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error
  process.exit(0)
})

try {
  const command = await import("./main.js")
  command.main(process.argv)
} catch (error) {
  // which of the packages the command needs are missing: possibly both (an app that installed neither)
  const missing = Launch.isModuleNotFound(error) ? Launch.missingPackages((name) => import.meta.resolve(name)) : []
  cannotStart(
    missing.length > 0
      ? Launch.missingMessage(missing)
      : Launch.loadFailedMessage(error instanceof Error ? error.message : String(error)),
    error
  )
}
