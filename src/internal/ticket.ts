/**
 * The one place a `Ticket` is made without the constructor's check: for props already checked
 * field by field, on hot paths: the REST decoder's compiled path, and the in-memory store, whose
 * generated tickets and whose writes (of drafts and updates the port has decoded) are built from
 * valid parts. Each caller is tied to the schema by a test: `test/adapters/RestDecoder.test.ts`
 * (a property: the compiled path gives what the schemas give) and `bench/check.ts` (the lazy store
 * gives what a seeded one gives). Everything else uses `new Ticket(props)`.
 *
 * @internal
 */
import * as T from "../Ticket.js"

/** a ticket from props that are already valid */
export const unchecked = (props: ConstructorParameters<typeof T.Ticket>[0]): T.Ticket => new T.Ticket(props, true)
