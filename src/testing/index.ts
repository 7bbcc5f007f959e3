/**
 * `ticketkit/testing`: what adapter authors and users need to test against ticketkit.
 *
 * @since 0.1.0
 */

/**
 * The contract suite every adapter runs.
 *
 * @since 0.1.0
 */
export * as AdapterContract from "./AdapterContract.js"

/**
 * The reference ticket server with fault injection.
 *
 * @since 0.1.0
 */
export * as ReferenceServer from "./ReferenceServer.js"

/**
 * The contract checks as plain Effects (used by the suite and by `ticketkit check`).
 *
 * @since 0.1.0
 */
export * as ContractChecks from "./ContractChecks.js"
