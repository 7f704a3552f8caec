// Vitest global setup: one folder per run for the programs the tests bundle (./bundle.ts), made before any test file
// and removed after the last. Workers may run many files each (the suite runs with `isolate: false`), so a file
// cannot remove bundles another file of its worker still spawns; the run that made the folder removes it.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import type { TestProject } from "vitest/node"

declare module "vitest" {
  export interface ProvidedContext {
    /** Where ./bundle.ts writes this run's bundles. */
    readonly bundleRoot: string
  }
}

// In node_modules, so that a bundle's external packages resolve as the sources' do.
const cacheRoot = fileURLToPath(new URL("../../node_modules/.cache/", import.meta.url))

export default function setup(project: TestProject): () => void {
  mkdirSync(cacheRoot, { recursive: true })
  const root = mkdtempSync(join(cacheRoot, "effect-make-test-"))
  project.provide("bundleRoot", root)
  return () => rmSync(root, { recursive: true, force: true })
}
