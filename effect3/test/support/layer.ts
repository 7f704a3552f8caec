// `@effect/vitest`'s `layer`, without its side effect on every other test.
//
// In the Effect 3 line, `layer(...)` (and so `it.layer(...)`) makes its block's methods by `Object.assign`-ing them
// onto Vitest's one shared `it`, and never puts the old ones back: from then on `it.effect` everywhere in the process
// (later blocks of the same file, and every later file when files share a worker) runs inside that block's runtime,
// with its one `TestClock`. One test's `TestClock.adjust` then moves the clock of unrelated tests. Effect 4's
// `@effect/vitest` stops mutating the shared API (Effect-TS/effect-smol#2177); until then every block goes through
// here, which gives the shared `it` its own methods back as soon as the block's tests are registered.
//
// Register a block's tests directly in it: a `describe` nested inside is collected after the block returns, so its
// tests would get the shared `it`'s own methods, without the block's services (they fail, loudly, for want of them).
import { it, layer as vitestLayer } from "@effect/vitest"
import type { Vitest } from "@effect/vitest"
import type { Duration, Layer } from "effect"

/** What `@effect/vitest`'s `layer` replaces on the shared `it`. */
const replaced = ["effect", "scoped", "prop", "flakyTest", "layer"] as const

const ownMethods = () => {
  const saved = replaced.map((key) => [key, it[key]] as const)
  return () => {
    for (const [key, method] of saved) Reflect.set(it, key, method)
  }
}

type Block<M> = {
  (f: (it: M) => void): void
  (name: string, f: (it: M) => void): void
}

/**
 * A block whose tests share one build of `self` (and, unless `excludeTestServices`, one `TestClock`), as
 * `@effect/vitest`'s `layer`, leaving the shared `it` as it was.
 */
export const layer = <R, E, const ExcludeTestServices extends boolean = false>(
  self: Layer.Layer<R, E>,
  options?: {
    readonly timeout?: Duration.DurationInput
    readonly excludeTestServices?: ExcludeTestServices
  }
): Block<Vitest.MethodsNonLive<R, ExcludeTestServices>> => {
  type M = Vitest.MethodsNonLive<R, ExcludeTestServices>
  const restore = ownMethods()
  const registered = (f: (it: M) => void) => (methods: M) => {
    try {
      f(methods)
    } finally {
      restore()
    }
  }
  function block(f: (it: M) => void): void
  function block(name: string, f: (it: M) => void): void
  function block(...args: [name: string, f: (it: M) => void] | [f: (it: M) => void]): void {
    if (args.length === 1) vitestLayer(self, options)(registered(args[0]))
    else vitestLayer(self, options)(args[0], registered(args[1]))
  }
  return block
}
