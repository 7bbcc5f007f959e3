/**
 * The contract suite against the OTOBO/Znuny system double (test/otobo/OtoboDouble.ts) over real
 * HTTP: once with OTOBO 10+ articles (IsVisibleForCustomer), once with the older ArticleType.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { Effect, Layer } from "effect"
import * as Otobo from "../../src/adapters/otobo/Otobo.js"
import { AdapterContract } from "../../src/testing/index.js"
import * as OtoboDouble from "./OtoboDouble.js"

const adapterOn = (legacyArticles: boolean) =>
  Layer.unwrapScoped(
    Effect.map(
      Effect.acquireRelease(Effect.promise(() => OtoboDouble.start({ legacyArticles })), (double) => Effect.promise(() => double.close())),
      (double) =>
        Otobo.layer({
          name: "otobo-double",
          baseUrl: double.url,
          auth: { userLogin: double.login, password: double.password },
          customerUser: double.customerUser
        })
    )
  ).pipe(Layer.provide(NodeHttpClient.layerUndici))

AdapterContract.suite("Otobo ↔ OTOBO 10+ double (HTTP)", adapterOn(false), {
  queue: { name: "Raw" },
  otherQueue: { name: "Misc" }
})

AdapterContract.suite("Otobo ↔ older Znuny double (ArticleType, HTTP)", adapterOn(true), {
  queue: { name: "Raw" },
  otherQueue: { id: "3" }
})
