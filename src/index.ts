/**
 * ticketkit: one typed, failure-aware interface over ticket systems, built on Effect.
 *
 * @since 0.1.0
 */

/**
 * What the registry and a configuration file know of an adapter.
 *
 * @since 0.1.0
 */
export * as AdapterDefinition from "./AdapterDefinition.js"

/**
 * The error family of every adapter.
 *
 * @since 0.1.0
 */
export * as AdapterError from "./AdapterError.js"

/**
 * Checkpoints of pipelines: watermark, handled tickets, journaled writes (SQLite or in memory).
 *
 * @since 0.1.0
 */
export * as Checkpoint from "./Checkpoint.js"

/**
 * The configuration file: named systems, each an adapter with its options.
 *
 * @since 0.1.0
 */
export * as Config from "./Config.js"

/**
 * The JSON Schema of `ticketkit.yaml` (for editors) and the generated configuration reference.
 *
 * @since 0.1.0
 */
export * as ConfigSchema from "./ConfigSchema.js"

/**
 * HTTP building blocks shared by HTTP adapters.
 *
 * @since 0.1.0
 */
export * as HttpTransport from "./HttpTransport.js"

/**
 * Notes on tickets.
 *
 * @since 0.1.0
 */
export * as Note from "./Note.js"

/**
 * Typed pipelines: sources, steps, sinks, failure policies, dry runs, schedules.
 *
 * @since 0.1.0
 */
export * as Pipeline from "./Pipeline.js"

/**
 * A client-side rate limit for a whole adapter.
 *
 * @since 0.1.0
 */
export * as RateLimit from "./RateLimit.js"

/**
 * One scrubber of secrets for every text that leaves ticketkit.
 *
 * @since 0.1.0
 */
export * as Redaction from "./Redaction.js"

/**
 * The adapter registry and plugin discovery.
 *
 * @since 0.1.0
 */
export * as Registry from "./Registry.js"

/**
 * Retry policies as Schedules.
 *
 * @since 0.1.0
 */
export * as Retry from "./Retry.js"

/**
 * Criteria for fetching tickets.
 *
 * @since 0.1.0
 */
export * as SearchCriteria from "./SearchCriteria.js"

/**
 * Observability: spans and metrics exported over OTLP/HTTP (`@effect/opentelemetry`, an optional peer).
 *
 * @since 0.1.0
 */
export * as Telemetry from "./Telemetry.js"

/**
 * The normal form of a ticket.
 *
 * @since 0.1.0
 */
export * as Ticket from "./Ticket.js"

/**
 * The port.
 *
 * @since 0.1.0
 */
export * as TicketSystemAdapter from "./TicketSystemAdapter.js"

/**
 * The in-memory adapter.
 *
 * @since 0.1.0
 */
export * as InMemory from "./adapters/InMemory.js"

/**
 * The REST adapter for custom systems, adaptable by configuration.
 *
 * @since 0.1.0
 */
export * as RestAdapter from "./adapters/Rest.js"

/**
 * The Redmine adapter (queues = projects).
 *
 * @since 0.1.0
 */
export * as Redmine from "./adapters/redmine/Redmine.js"

/**
 * A thin typed client of Redmine's REST API.
 *
 * @since 0.1.0
 */
export * as RedmineClient from "./adapters/redmine/RedmineClient.js"

/**
 * The Redmine adapter's mapping between Redmine and the normal form: pure functions.
 *
 * @since 0.1.0
 */
export * as RedmineMapping from "./adapters/redmine/RedmineMapping.js"

/**
 * The Zammad adapter (queues = groups).
 *
 * @since 0.1.0
 */
export * as Zammad from "./adapters/zammad/Zammad.js"

/**
 * A thin typed client of Zammad's REST API v1.
 *
 * @since 0.1.0
 */
export * as ZammadClient from "./adapters/zammad/ZammadClient.js"

/**
 * The Zammad adapter's mapping between Zammad and the normal form: pure functions.
 *
 * @since 0.1.0
 */
export * as ZammadMapping from "./adapters/zammad/ZammadMapping.js"

/**
 * The OTOBO / Znuny adapter, through the GenericInterface REST web service.
 *
 * @since 0.1.0
 */
export * as Otobo from "./adapters/otobo/Otobo.js"

/**
 * A thin typed client of the OTOBO / Znuny GenericTicketConnectorREST web service.
 *
 * @since 0.1.0
 */
export * as OtoboClient from "./adapters/otobo/OtoboClient.js"

/**
 * The OTOBO / Znuny adapter's mapping between tickets and the normal form: pure functions.
 *
 * @since 0.1.0
 */
export * as OtoboMapping from "./adapters/otobo/OtoboMapping.js"

/**
 * The Request Tracker 5 adapter (REST2).
 *
 * @since 0.1.0
 */
export * as RequestTracker from "./adapters/request-tracker/RequestTracker.js"

/**
 * A typed client of Request Tracker's REST2 API.
 *
 * @since 0.1.0
 */
export * as RequestTrackerClient from "./adapters/request-tracker/RequestTrackerClient.js"

/**
 * The Request Tracker adapter's mapping between RT and the normal form: pure functions.
 *
 * @since 0.1.0
 */
export * as RequestTrackerMapping from "./adapters/request-tracker/RequestTrackerMapping.js"

/**
 * TicketSQL built safely from search criteria.
 *
 * @since 0.1.0
 */
export * as TicketSql from "./adapters/request-tracker/TicketSql.js"
