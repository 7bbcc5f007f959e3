/**
 * The port operation being served, set once by the port (`TicketSystemAdapter.make`) for
 * everything below it: drivers, clients and the transport read it for their errors, spans and
 * logs instead of passing the name along.
 *
 * @internal
 */
import * as FiberRef from "effect/FiberRef"
import { globalValue } from "effect/GlobalValue"

/** @internal */
export const currentOperation: FiberRef.FiberRef<string | undefined> = globalValue(
  Symbol.for("ticketkit/currentOperation"),
  () => FiberRef.unsafeMake<string | undefined>(undefined)
)
