/**
 * Redmine: the typed REST client, the mapping onto the normal form, and the adapter onto the port.
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

/**
 * Pure functions between Redmine's issues and the normal form.
 *
 * @since 0.1.0
 */
export * as RedmineMapping from "./RedmineMapping.js"
