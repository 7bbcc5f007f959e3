// The contract suite against the live Redmine, with both text search strategies.
import { describe, it } from "vitest"
import { AdapterContract, ContractChecks } from "../../src/testing/index.js"
import { adapterLayer, projects, redmineProblem } from "./env.js"

const suites: ReadonlyArray<[string, Parameters<typeof AdapterContract.suite>[1], AdapterContract.Options]> = [
  // queue = the project the tests own (by identifier), otherQueue = a second, private project
  ["Redmine (live, subject search)", adapterLayer(), { queue: { id: projects.project }, otherQueue: { id: projects.otherProject } }],
  // the same projects by name, searched with /search.json
  ["Redmine (live, full-text search)", adapterLayer({ textSearch: "full-text" }), { queue: { name: projects.project }, otherQueue: { name: "Ops" } }]
]

// The suite builds its layer (and its tickets) in beforeAll, and vitest marks the tests skipped when
// that fails: so without Redmine the same tests are registered failing, with the reason.
const problem = await redmineProblem()

for (const [name, layer, options] of suites) {
  if (problem === undefined) {
    AdapterContract.suite(name, layer, options)
  } else {
    describe(`AdapterContract: ${name}`, () => {
      for (const check of ContractChecks.checks) {
        it(`${check.kind}: ${check.name}`, () => {
          throw new Error(problem)
        })
      }
    })
  }
}
