/**
 * Redmine: the typed REST client and the adapter onto the port.
 *
 * @since 0.1.0
 */

/**
 * The Redmine adapter (queues = projects).
 *
 * @since 0.1.0
 */
export * as Redmine from "./Redmine.js"

/**
 * A thin typed client of Redmine's REST API.
 *
 * @since 0.1.0
 */
export * as RedmineClient from "./RedmineClient.js"
