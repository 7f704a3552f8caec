// The package's entries as bundlers see them: the root (`effect-make`) pulls in no Node module, so it bundles for a
// browser with FetchHttpClient; Node specifics load only through `effect-make/node`. And what each entry exports.
// The entries are bundled from src/ by relative path: the root package.json's `exports` map points at dist/, which
// only `npm run build` writes (the packed tarball's entries are `npm run smoke`'s to check, not this test's).
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
// esbuild: vitest's and tsx's own bundler (not a direct devDependency of the root yet)
import { build, type Metafile } from "esbuild"
import { join } from "node:path"
import * as Main from "../../src/index.js"
import * as Node from "../../src/node/index.js"
import * as Testing from "../../src/testing/index.js"

const src = join(import.meta.dirname, "../../src")

/** Bundles `contents` (resolved from src/) for `platform`, returning the module graph and the errors. */
const bundle = (contents: string, platform: "browser" | "node") =>
  Effect.promise(() =>
    build({
      stdin: { contents, resolveDir: src, loader: "ts", sourcefile: "entry.ts" },
      bundle: true,
      write: false,
      platform,
      format: "esm",
      metafile: true,
      logLevel: "silent"
    }).then(
      (result) => ({ errors: result.errors.map((e) => e.text), metafile: result.metafile }),
      (failure: { readonly errors?: ReadonlyArray<{ readonly text: string }> }) => ({
        errors: (failure.errors ?? []).map((e) => e.text),
        metafile: undefined
      })
    )
  )

const nodeOnly = (metafile: Metafile | undefined): ReadonlyArray<string> =>
  Object.keys(metafile?.inputs ?? {}).filter((input) => /@effect[/\\]platform-node|[/\\]undici[/\\]|^node:/.test(input))

describe("package entries", () => {
  it.effect("the root bundles for a browser: MakeApi.layer over FetchHttpClient, 0 errors", () =>
    Effect.gen(function*() {
      const { errors, metafile } = yield* bundle(
        `
        import { Layer, Redacted } from "effect"
        import { FetchHttpClient } from "effect/http"
        import { MakeApi } from "./index.js"
        export const MakeLive = MakeApi.layer({ token: Redacted.make("t"), zone: "eu1.make.com" }).pipe(
          Layer.provide(FetchHttpClient.layer)
        )
        `,
        "browser"
      )
      expect(errors).toEqual([])
      expect(nodeOnly(metafile)).toEqual([])
    }))

  it.effect("import \"effect-make\" in Node loads no @effect/platform-node, undici or node: module", () =>
    Effect.gen(function*() {
      const { errors, metafile } = yield* bundle(`export * from "./index.js"`, "node")
      expect(errors).toEqual([])
      expect(Object.keys(metafile?.inputs ?? {}).some((input) => input.endsWith("src/MakeApi.ts"))).toBe(true)
      expect(nodeOnly(metafile)).toEqual([])
    }))

  it.effect("effect-make/node is where the undici transport comes from", () =>
    Effect.gen(function*() {
      const { errors, metafile } = yield* bundle(`export * from "./node/index.js"`, "node")
      expect(errors).toEqual([])
      expect(nodeOnly(metafile).some((input) => input.includes("platform-node"))).toBe(true)
    }))

  it("each entry exports its modules as namespaces (the services as they land on this line)", () => {
    expect(Object.keys(Main).sort()).toEqual(
      expect.arrayContaining([
        "BillingSchema",
        "Common",
        "Enums",
        "FeatureControl",
        "Invitation",
        "MakeApi",
        "MakeClient",
        "MakeConfig",
        "MakeError",
        "MakeHttpApi",
        "Mock",
        "Operation",
        "Organization",
        "OrganizationVariable",
        "Organizations",
        "Pagination",
        "Team",
        "Transport",
        "UsageDay"
      ])
    )
    expect(Object.keys(Node).sort()).toEqual(["NodeMakeApi", "UndiciHttpClient"])
    expect(Object.keys(Testing).sort()).toEqual(["Emulator", "EmulatorCatalog", "EmulatorFaults", "MakeTest"])
    // a namespace is the module itself: the tag is `Organizations.Organizations`, the layer `NodeMakeApi.layer`
    expect(Main.Organizations.Organizations.key).toBe("effect-make/Organizations")
    expect(typeof Node.NodeMakeApi.layerConfigOrEmulator).toBe("function")
    expect(typeof Testing.MakeTest.layer).toBe("function")
  })
})
