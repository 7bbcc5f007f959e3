/**
 * What the Redmine driver works with, made once when the adapter starts: the client, the
 * reference data checked against the options ({@link RedmineMapping.Lookups}), reference lists
 * looked up again on a miss, and the errors the driver raises itself. References (queues,
 * statuses, priorities) are resolved here, because a miss may look Redmine up again.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FiberRef from "effect/FiberRef"
import * as Ref from "effect/Ref"
import type { AdapterError } from "../../../AdapterError.js"
import { ConfigurationError, InvalidInputError, RequestRejectedError, TicketNotFoundError } from "../../../AdapterError.js"
import { currentOperation } from "../../../internal/operation.js"
import * as T from "../../../Ticket.js"
import type * as RedmineClient from "../RedmineClient.js"
import * as RedmineMapping from "../RedmineMapping.js"

/**
 * A reference list kept in memory, looked up again on a miss (at most every `minAgeMillis`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Cached<A> {
  readonly current: Effect.Effect<ReadonlyArray<A>>
  /** the first item `accept` finds, reloading the list once if it finds none */
  readonly find: (accept: (items: ReadonlyArray<A>) => A | undefined) => Effect.Effect<A | undefined, AdapterError>
}

const makeCached = <A>(
  initial: ReadonlyArray<A>,
  load: Effect.Effect<ReadonlyArray<A>, AdapterError>,
  minAgeMillis = 10_000
): Effect.Effect<Cached<A>> =>
  Effect.gen(function*() {
    const state = yield* Ref.make({ items: initial, loadedAt: yield* Clock.currentTimeMillis })
    return {
      current: Effect.map(Ref.get(state), (s) => s.items),
      find: (accept) =>
        Effect.gen(function*() {
          const { items, loadedAt } = yield* Ref.get(state)
          const found = accept(items)
          const now = yield* Clock.currentTimeMillis
          if (found !== undefined || now - loadedAt < minAgeMillis) return found
          const reloaded = yield* load
          yield* Ref.set(state, { items: reloaded, loadedAt: now })
          return accept(reloaded)
        })
    }
  })

/**
 * The driver's context: everything its functions read.
 *
 * @since 0.1.0
 * @category models
 */
export interface Context {
  readonly client: RedmineClient.Service
  /** the system's configured name */
  readonly name: string
  readonly options: RedmineMapping.Options
  readonly lookups: RedmineMapping.Lookups
  readonly statuses: Cached<RedmineClient.IssueStatus>
  readonly priorities: Cached<RedmineClient.IssuePriority>
  readonly projects: Cached<RedmineClient.Project>
  /** the API user and its roles, read when an internal note first needs them */
  readonly currentUser: Ref.Ref<RedmineClient.CurrentUser | undefined>
  readonly roles: Ref.Ref<ReadonlyMap<number, RedmineClient.Role>>
}

/**
 * Reads Redmine's statuses, priorities, trackers and projects (as the operation `connect`) and
 * checks the options against them.
 *
 * @since 0.1.0
 * @category constructors
 */
export const connect = (
  client: RedmineClient.Service,
  options: RedmineMapping.Options
): Effect.Effect<Context, AdapterError | ConfigurationError> =>
  Effect.gen(function*() {
    const [statuses, priorities, trackers, projects] = yield* Effect.all(
      [client.statuses(), client.priorities(), client.trackers(), client.projects()],
      { concurrency: 4 }
    )
    const lookups = yield* Either.mapLeft(
      RedmineMapping.lookups({ statuses, priorities, trackers, projects }, options),
      (detail) => new ConfigurationError({ adapter: client.name, detail })
    )
    return {
      client,
      name: client.name,
      options,
      lookups,
      statuses: yield* makeCached(statuses, client.statuses()),
      priorities: yield* makeCached(priorities, client.priorities()),
      projects: yield* makeCached(projects, client.projects()),
      currentUser: yield* Ref.make<RedmineClient.CurrentUser | undefined>(undefined),
      roles: yield* Ref.make<ReadonlyMap<number, RedmineClient.Role>>(new Map())
    }
  }).pipe(Effect.locally(currentOperation, "connect"))

// -----------------------------------------------------------------------------
// errors: the port names them after its operation anyway; the current one is given here
// -----------------------------------------------------------------------------

const operation = Effect.map(FiberRef.get(currentOperation), (current) => current ?? "redmine")

/**
 * Fails with `InvalidInputError`: nothing was sent.
 *
 * @since 0.1.0
 * @category errors
 */
export const invalid = (ctx: Context, detail: string): Effect.Effect<never, InvalidInputError> =>
  Effect.flatMap(operation, (operation) => new InvalidInputError({ adapter: ctx.name, operation, detail }))

/**
 * Fails with `RequestRejectedError`.
 *
 * @since 0.1.0
 * @category errors
 */
export const rejected = (ctx: Context, reason: string, ticketId?: string): Effect.Effect<never, RequestRejectedError> =>
  Effect.flatMap(operation, (operation) =>
    new RequestRejectedError({ adapter: ctx.name, operation, reason, ...(ticketId === undefined ? {} : { ticketId }) }))

/**
 * Fails with `TicketNotFoundError`.
 *
 * @since 0.1.0
 * @category errors
 */
export const notFound = (ctx: Context, ticketId: string): Effect.Effect<never, TicketNotFoundError> =>
  Effect.flatMap(operation, (operation) => new TicketNotFoundError({ adapter: ctx.name, operation, ticketId }))

/**
 * The right side, or the left side as the error `fail` makes of it.
 *
 * @since 0.1.0
 * @category errors
 */
export const orFail = <A, E>(either: Either.Either<A, string>, fail: (message: string) => Effect.Effect<never, E>): Effect.Effect<A, E> =>
  Either.match(either, { onLeft: fail, onRight: Effect.succeed })

// -----------------------------------------------------------------------------
// references → ids
// -----------------------------------------------------------------------------

/**
 * The project a queue reference designates, within the adapter's projects.
 *
 * @since 0.1.0
 * @category references
 */
export const projectOf = (ctx: Context, ref: T.Ref): Effect.Effect<RedmineClient.Project, AdapterError> =>
  Effect.gen(function*() {
    const { scope } = ctx.lookups
    const project = yield* ctx.projects.find((items) => RedmineMapping.findProject(items, ref))
    if (project === undefined) {
      const visible = (yield* ctx.projects.current).filter((p) => scope === undefined || scope.has(p.id))
      return yield* rejected(
        ctx,
        `Redmine has no project ${T.formatRef(ref)} visible to the API key (projects: ${visible.map((p) => p.identifier).join(", ") || "none"})`
      )
    }
    if (scope !== undefined && !scope.has(project.id)) {
      return yield* rejected(ctx, `project ${JSON.stringify(project.identifier)} is outside the projects ${ctx.name} is restricted to`)
    }
    return project
  })

/**
 * The status id a state category (its status to write) or a status reference designates.
 *
 * @since 0.1.0
 * @category references
 */
export const statusIdOf = (ctx: Context, value: T.StateType | T.Ref, ticketId?: string): Effect.Effect<number, AdapterError> =>
  Effect.gen(function*() {
    if (typeof value === "string") {
      const id = ctx.lookups.states.toRemote(value)
      return id === undefined ? yield* invalid(ctx, `${ctx.name} has no status in the state category ${JSON.stringify(value)}`) : Number(id)
    }
    const status = yield* ctx.statuses.find((items) => RedmineMapping.findByRef(items, value))
    if (status === undefined) {
      return yield* rejected(ctx, `Redmine has no status ${T.formatRef(value)} (statuses: ${RedmineMapping.names(yield* ctx.statuses.current)})`, ticketId)
    }
    return status.id
  })

/**
 * The priority id a level (its priority to write) or an active priority reference designates.
 *
 * @since 0.1.0
 * @category references
 */
export const priorityIdOf = (ctx: Context, value: T.PriorityLevel | T.Ref, ticketId?: string): Effect.Effect<number, AdapterError> =>
  Effect.gen(function*() {
    if (typeof value === "string") {
      const id = ctx.lookups.levels.toRemote(value)
      return id === undefined ? yield* invalid(ctx, `${ctx.name} has no priority of the level ${JSON.stringify(value)}`) : Number(id)
    }
    const priority = yield* ctx.priorities.find((items) => RedmineMapping.findByRef(items.filter((p) => p.active), value))
    if (priority === undefined) {
      const active = ctx.lookups.priorities.filter((p) => p.active)
      return yield* rejected(ctx, `Redmine has no active priority ${T.formatRef(value)} (priorities: ${RedmineMapping.names(active)})`, ticketId)
    }
    return priority.id
  })

/**
 * The user id an assignee is set by (`""`: none).
 *
 * @since 0.1.0
 * @category references
 */
export const assigneeOf = (ctx: Context, user: T.UserRef | null): Effect.Effect<number | "", InvalidInputError> =>
  orFail(RedmineMapping.assigneeId(user), (detail) => invalid(ctx, detail))

/**
 * Fails when tags are given: Redmine issues have none.
 *
 * @since 0.1.0
 * @category references
 */
export const checkTags = (ctx: Context, tags: ReadonlyArray<string> | undefined): Effect.Effect<void, InvalidInputError> => {
  const problem = RedmineMapping.tagsProblem(tags)
  return problem === undefined ? Effect.void : invalid(ctx, problem)
}
