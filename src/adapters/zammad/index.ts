/**
 * Zammad: the typed REST client, the mapping onto the normal form, and the adapter onto the port.
 *
 * @since 0.1.0
 */

/**
 * The Zammad adapter (queues = groups).
 *
 * @since 0.1.0
 */
export * as Zammad from "./Zammad.js"

/**
 * A thin typed client of Zammad's REST API v1.
 *
 * @since 0.1.0
 */
export * as ZammadClient from "./ZammadClient.js"

/**
 * Pure functions between Zammad's tickets and the normal form.
 *
 * @since 0.1.0
 */
export * as ZammadMapping from "./ZammadMapping.js"
