// The floors of src/ (see the two-line comment atop each file): every module imports only from the floors its rule
// allows, and no two modules import each other, directly or around a circle. Read from the sources' import lines.
import { describe, expect, it } from "@effect/vitest"
import { readdirSync, readFileSync } from "node:fs"
import { dirname, join, normalize, relative } from "node:path"
import { fileURLToPath } from "node:url"

const src = fileURLToPath(new URL("../src/", import.meta.url))

/** Every module of src/, as a path relative to it (`api/Errors.ts`). */
const modules = readdirSync(src, { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".ts")).sort()

/**
 * What a module imports: packages as named (`effect`), modules of src/ as paths relative to it; with `dynamic: false`,
 * its import statements alone (what loading the module loads).
 */
const importsOf = (
  module: string,
  options: { readonly dynamic: boolean } = { dynamic: true }
): ReadonlyArray<string> => {
  // comments out first: TSDoc examples hold import lines of their own
  const text = readFileSync(join(src, module), "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "")
  const statements =
    /^\s*(?:import\s+(?:type\s+)?(?:[\w*${}\s,]+\s+from\s+)?|export\s+(?:type\s+)?(?:\*(?:\s+as\s+\w+)?|\{[^}]*\})\s+from\s+)["']([^"']+)["']/gm
  const dynamic = /\bimport\(\s*["']([^"']+)["']\s*\)/g
  const specifiers = [...text.matchAll(statements), ...(options.dynamic ? text.matchAll(dynamic) : [])].map((match) =>
    match[1] ?? ""
  )
  return specifiers.map((specifier) =>
    specifier.startsWith(".")
      ? normalize(join(dirname(module), specifier)).replace(/\.js$/, ".ts")
      : specifier
  )
}

/** A package import's package: `effect/testing` → `effect`, `@effect/platform-node/X` → `@effect/platform-node`. */
const packageOf = (specifier: string): string =>
  specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0] ?? specifier

/** The rule of a module: which modules of src/ (by path prefix) and which packages it may import. */
interface Floor {
  readonly name: string
  readonly applies: (module: string) => boolean
  readonly modules: ReadonlyArray<string>
  readonly packages: ReadonlyArray<string>
}

/** What the client and everything above it may import from below. */
const clientFloor = [
  "domain/",
  "MakeError.ts",
  "internal/",
  "MakeConfig.ts",
  "Pagination.ts",
  "api/",
  "Transport.ts",
  "MakeClient.ts",
  "Operation.ts",
  "Mock.ts"
]

/** The services, one per API area. */
const services = [
  "Organizations.ts",
  "Invitations.ts",
  "Billing.ts",
  "OrganizationVariables.ts",
  "Usage.ts",
  "FeatureControls.ts",
  "AdminTeams.ts"
]

/** The durable engine's modules: only the `effect-make/workflows/durable` entry reaches them. */
const durableEngine = [
  "workflows/durable.ts",
  "workflows/DurableEngine.ts",
  "workflows/ClusterLimits.ts",
  "workflows/ClusterClient.ts"
]

const floors: ReadonlyArray<Floor> = [
  { name: "domain", applies: (m) => m.startsWith("domain/"), modules: ["domain/"], packages: ["effect"] },
  {
    name: "errors and their texts",
    applies: (m) => m === "MakeError.ts" || /^internal\/(errorText|errorBody|statusMapper|valueLimits)\.ts$/.test(m),
    modules: ["domain/", "MakeError.ts", "internal/errorText.ts", "internal/valueLimits.ts"],
    packages: ["effect"]
  },
  {
    // Transport.ts: what a transport is, beside the configuration it reads
    name: "configuration, paging, transports and the contract",
    applies: (m) => ["MakeConfig.ts", "Pagination.ts", "Transport.ts"].includes(m) || m.startsWith("api/"),
    modules: ["domain/", "MakeError.ts", "internal/", "MakeConfig.ts", "Pagination.ts", "api/", "Transport.ts"],
    packages: ["effect"]
  },
  {
    name: "the client's internals",
    applies: (m) => m.startsWith("internal/"),
    modules: ["domain/", "MakeError.ts", "internal/", "MakeConfig.ts", "Pagination.ts", "api/", "Transport.ts"],
    packages: ["effect"]
  },
  {
    // the pipeline, the method table and the mock layers the services are written with
    name: "the client",
    applies: (m) => ["MakeClient.ts", "Operation.ts", "Mock.ts"].includes(m),
    modules: [...clientFloor],
    packages: ["effect"]
  },
  {
    // one module per API area, plus the layer that provides them all; never the emulator or a Node module
    name: "the services",
    applies: (m) => services.includes(m) || m === "MakeApi.ts",
    modules: [...clientFloor, ...services],
    packages: ["effect"]
  },
  {
    // the emulator implements the contract on its own: never the client side (services, MakeClient); MakeTest, which
    // puts the services over it, and the testing entry have a rule of their own
    name: "the emulator",
    applies: (m) => m.startsWith("testing/") && m !== "testing/MakeTest.ts" && m !== "testing/index.ts",
    modules: ["domain/", "MakeError.ts", "internal/", "api/", "Pagination.ts", "testing/"],
    // node:http: the server on a port is Node's (`NodeHttpServer.layerServer(createServer, ...)`), as in Effect 3
    packages: ["effect", "@effect/platform-node", "node:http"]
  },
  {
    // every service over the emulator: the one testing/ module on the client side; the testing entry re-exports it
    name: "the test layer",
    applies: (m) => m === "testing/MakeTest.ts" || m === "testing/index.ts",
    modules: [...clientFloor, ...services, "MakeApi.ts", "testing/"],
    packages: ["effect"]
  },
  {
    // the `effect-make/node` entry: the Node transport over undici (as `@effect/platform-node/Undici`); node:http
    // for the types of undici's response headers
    name: "the Node transport",
    applies: (m) => m === "node/UndiciHttpClient.ts",
    modules: [
      "domain/",
      "MakeError.ts",
      "internal/",
      "MakeConfig.ts",
      "Pagination.ts",
      "api/",
      "Transport.ts",
      "node/"
    ],
    packages: ["effect", "@effect/platform-node", "node:http"]
  },
  {
    // the `effect-make/node` entry and its layers: every service over the Node transport; the emulator (testing/)
    // only for the fallback of `layerConfigOrEmulator`, loaded on demand through a dynamic import
    name: "the Node layers",
    applies: (m) => m === "node/NodeMakeApi.ts" || m === "node/index.ts",
    modules: [...clientFloor, ...services, "MakeApi.ts", "node/", "testing/Emulator.ts"],
    packages: ["effect", "@effect/platform-node"]
  },
  {
    // the `effect-make/workflows/durable` entry, its engine (ClusterWorkflowEngine over PostgreSQL) and the cluster's
    // rate limits (ClusterLimits), the replicas' client (ClusterClient): the one place that loads a database driver;
    // `effect` includes `effect/cluster`; @effect/platform-node for a runner transport
    name: "the durable engine",
    applies: (m) => durableEngine.includes(m),
    modules: [...clientFloor, ...services, "MakeApi.ts", "workflows/"],
    packages: ["effect", "@effect/sql-pg", "@effect/platform-node"]
  },
  {
    // the provisioning spec, the plan, the data the workflow engine uses, and the engine itself (Provision,
    // Decommission, Workflows, internal/{run,steps,limits,generations,journal}): over the services (and internal/'s
    // rate limiter, whose `FiberLimiter` the client's pipeline reads), never the emulator (testing/) or a Node module
    // (node/); `effect` includes `effect/workflow`; `yaml` for the spec's YAML form
    name: "the workflows",
    applies: (m) => m.startsWith("workflows/"),
    modules: [...clientFloor, ...services, "MakeApi.ts", "workflows/"],
    packages: ["effect", "yaml"]
  },
  {
    // the `effect-make/ai` entry: the agent tools over the services (effect's `effect/ai`), derived from the
    // services' tables and the contract; never the emulator (testing/) or a Node module (node/)
    name: "the agent tools",
    applies: (m) => m.startsWith("ai/"),
    modules: [...clientFloor, ...services, "MakeApi.ts", "workflows/", "ai/"],
    packages: ["effect"]
  },
  {
    // the `effect-make` binary's launcher (cli/bin.ts, cli/Launch.ts): no package at all, so that it can tell a user
    // which peer is missing; the command (cli/main.ts) only through the dynamic import that may fail
    name: "the launcher",
    applies: (m) => m === "cli/bin.ts" || m === "cli/Launch.ts",
    modules: ["cli/Launch.ts", "cli/main.ts"],
    packages: []
  },
  {
    // the `effect-make` command: everything below it (the client, the services, node/ for its layers, testing/), on
    // effect's own effect/cli and @effect/platform-node's runtime; the workflows (provision, plan, decommission) and
    // `yaml`, the spec's YAML form; the agent tools (ai/) that `mcp` serves, on Node's HTTP server with --port
    name: "the command",
    applies: (m) => m.startsWith("cli/"),
    modules: [...clientFloor, ...services, "MakeApi.ts", "node/", "testing/", "workflows/", "ai/", "cli/"],
    packages: ["effect", "@effect/platform-node", "yaml", "node:http"]
  },
  {
    // the package's main entry (`effect-make`): every platform-neutral module, never node/ (no Node module in a
    // browser bundle) nor testing/ (the emulator is `effect-make/testing`)
    name: "the main entry",
    applies: (m) => m === "index.ts",
    modules: [...clientFloor, ...services, "MakeApi.ts", "workflows/"],
    packages: []
  }
]

describe("floors of src/", () => {
  it("every module falls under a floor's rule", () => {
    expect(modules.filter((module) => !floors.some((floor) => floor.applies(module)))).toEqual([])
    expect(modules.length).toBeGreaterThan(20)
  })

  it("every module imports only what its floor allows", () => {
    const breaches = modules.flatMap((module) => {
      const floor = floors.find((f) => f.applies(module))
      if (floor === undefined) return []
      return importsOf(module).filter((target) =>
        target.endsWith(".ts")
          ? !floor.modules.some((prefix) => target.startsWith(prefix))
          : !floor.packages.includes(packageOf(target))
      ).map((target) => `${module} (${floor.name}) imports ${target}`)
    })
    expect(breaches).toEqual([])
  })

  it("the main entry never reaches the durable engine or a database driver, however indirectly", () => {
    const reached = new Set<string>()
    const visit = (module: string): void => {
      if (reached.has(module)) return
      reached.add(module)
      for (const target of importsOf(module)) if (target.endsWith(".ts")) visit(target)
    }
    visit("index.ts")
    expect([...reached].filter((module) => durableEngine.includes(module))).toEqual([])
    const packages = new Set([...reached].flatMap((module) => importsOf(module).filter((t) => !t.endsWith(".ts"))))
    expect([...packages].map(packageOf).filter((name) => name === "@effect/sql-pg" || name.startsWith("node:")))
      .toEqual([])
    expect([...packages].map(packageOf)).not.toContain("@effect/platform-node")
    // a check of the check: the durable entry does reach the driver
    expect(importsOf("workflows/DurableEngine.ts")).toContain("@effect/sql-pg")
    expect(importsOf("workflows/durable.ts")).toContain("workflows/DurableEngine.ts")
  })

  it("the command loads the durable engine and its driver only when `apply --durable` imports its client", () => {
    const loaded = new Set<string>()
    const visit = (module: string): void => {
      if (loaded.has(module)) return
      loaded.add(module)
      for (const target of importsOf(module, { dynamic: false })) if (target.endsWith(".ts")) visit(target)
    }
    visit("cli/main.ts")
    expect([...loaded].filter((module) => durableEngine.includes(module))).toEqual([])
    const packages = [...loaded].flatMap((module) => importsOf(module, { dynamic: false })).map(packageOf)
    expect(packages).not.toContain("@effect/sql-pg")
    // a check of the check: apply's dynamic import is there
    expect(importsOf("cli/ApplyCommand.ts")).toContain("workflows/ClusterClient.ts")
    expect(importsOf("cli/ApplyCommand.ts", { dynamic: false })).not.toContain("workflows/ClusterClient.ts")
  })

  it("no module imports one that imports it back, around any circle", () => {
    const edges = new Map(modules.map((module) => [module, importsOf(module).filter((t) => t.endsWith(".ts"))]))
    const circles: Array<string> = []
    const state = new Map<string, "open" | "done">()
    const visit = (module: string, path: ReadonlyArray<string>): void => {
      if (state.get(module) === "done") return
      if (state.get(module) === "open") {
        circles.push([...path.slice(path.indexOf(module)), module].join(" -> "))
        return
      }
      state.set(module, "open")
      for (const target of edges.get(module) ?? []) visit(target, [...path, module])
      state.set(module, "done")
    }
    for (const module of modules) visit(module, [])
    expect(circles).toEqual([])
  })

  it("the import reader sees what a file imports (a check of the check)", () => {
    expect(importsOf("MakeError.ts")).toEqual(
      expect.arrayContaining(["effect", "domain/ErrorBody.ts", "domain/Resource.ts", "internal/errorText.ts"])
    )
    // a package's module, and an import statement over several lines (`export … from` is MakeError's Resource above)
    expect(importsOf("api/MakeHttpApi.ts")).toEqual(
      expect.arrayContaining(["api/OrganizationsApi.ts", "effect/http-api"])
    )
    expect(importsOf("api/BillingApi.ts")).toEqual(expect.arrayContaining(["domain/Billing.ts"]))
    expect(importsOf("internal/valueLimits.ts")).toEqual([])
    // a dynamic import (the emulator fallback of the Node layers) and a re-export as a namespace (the entries)
    expect(importsOf("node/NodeMakeApi.ts")).toEqual(expect.arrayContaining(["testing/Emulator.ts", "MakeApi.ts"]))
    expect(importsOf("index.ts")).toEqual(expect.arrayContaining(["Organizations.ts", "api/MakeHttpApi.ts"]))
    expect(relative(src, join(src, "api/Errors.ts"))).toBe("api/Errors.ts")
  })
})
