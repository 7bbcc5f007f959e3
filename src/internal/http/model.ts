/**
 * The transport's request, response and service types (re-exported by `HttpTransport`).
 *
 * @internal
 */
import type * as Headers from "@effect/platform/Headers"
import type * as Effect from "effect/Effect"
import type * as Schema from "effect/Schema"
import type { AdapterError } from "../../AdapterError.js"
import type * as Redaction from "../../Redaction.js"

// -----------------------------------------------------------------------------
// transport
// -----------------------------------------------------------------------------

/**
 * HTTP methods the transport sends.
 *
 * @since 0.1.0
 * @category models
 */
export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE"

/**
 * One request: a path template (`/api/tickets/{id}`) and its values, query parameters, a JSON
 * body, and the operation it serves (for errors, spans and logs).
 *
 * @since 0.1.0
 * @category models
 */
export interface Request {
  readonly method: Method
  readonly path: string
  readonly pathParams?: Readonly<Record<string, string>>
  /** query parameters; an array repeats the parameter (`f[]=a&f[]=b`) */
  readonly query?: Readonly<Record<string, string | number | boolean | undefined | ReadonlyArray<string | number>>>
  readonly body?: unknown
  readonly headers?: Readonly<Record<string, string>>
  /**
   * the operation the request serves, for errors, spans and logs; by default the port operation
   * being served (`TicketSystemAdapter.currentOperation`), which also wins over this one
   */
  readonly operation?: string
  /** the ticket addressed: a 404 then means `TicketNotFoundError` */
  readonly ticketId?: string
  /** sent as the `Idempotency-Key` header (or the header the adapter names) */
  readonly idempotencyKey?: { readonly header: string; readonly key: string } | undefined
}

/**
 * A successful (2xx) answer, its body read in full.
 *
 * @since 0.1.0
 * @category models
 */
export interface Response {
  readonly status: number
  readonly headers: Headers.Headers
  readonly body: Uint8Array
}

/**
 * The transport an HTTP adapter is built on.
 *
 * @since 0.1.0
 * @category models
 */
export interface HttpTransport {
  /** the system's configured name */
  readonly name: string
  readonly baseUrl: string
  /** sends a request; any non-2xx answer or failure becomes an `AdapterError` */
  readonly send: (request: Request) => Effect.Effect<Response, AdapterError>
  /** sends a request and decodes its JSON body with the schema */
  readonly json: <A, I>(schema: Schema.Schema<A, I, never>, request: Request) => Effect.Effect<A, AdapterError>
  /** decodes an already read body with the schema */
  readonly decode: <A, I>(schema: Schema.Schema<A, I, never>, response: Response, request: Request) => Effect.Effect<A, AdapterError>
  /** removes every secret in use from a text */
  readonly scrub: (text: string) => string
  /** the scrubber that knows the secrets in use (for the driver: the port scrubs every error with it) */
  readonly scrubber: Redaction.Scrubber
}

