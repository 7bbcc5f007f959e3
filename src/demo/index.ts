/**
 * `ticketkit/demo`: the triage example as library code (its pipeline, classifier, demo help
 * desk), used by `npm start`, `ticketkit demo` and `examples/triage`.
 *
 * @since 0.1.0
 */

/**
 * The classifier service and its keyword rules.
 *
 * @since 0.1.0
 */
export * as Classifier from "./Classifier.js"

/**
 * The demo program: reference server + REST adapter + triage.
 *
 * @since 0.1.0
 */
export * as Demo from "./Demo.js"

/**
 * A realistic demo help desk.
 *
 * @since 0.1.0
 */
export * as Helpdesk from "./Helpdesk.js"

/**
 * The triage pipeline.
 *
 * @since 0.1.0
 */
export * as Triage from "./Triage.js"
