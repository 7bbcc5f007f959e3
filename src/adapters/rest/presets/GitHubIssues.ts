/**
 * The `github-issues` preset: the issues of one GitHub repository (REST API v3, also GitHub
 * Enterprise Server at `https://HOST/api/v3`) as tickets.
 *
 * ```yaml
 * systems:
 *   github:
 *     adapter: rest
 *     options:
 *       preset: github-issues
 *       variables: { owner: octo-org, repo: helpdesk }   # required
 *       auth: { _tag: bearer, token: "${env:GITHUB_TOKEN}" }
 *       # baseUrl: https://api.github.com (the default; Enterprise: https://HOST/api/v3)
 * ```
 *
 * What the user adds: `variables.owner` and `variables.repo` (the repository), `auth` (a token
 * that may read and write issues), and `baseUrl` only for GitHub Enterprise.
 *
 * How it maps: the ticket id is the issue **number**; title `title`; description `body` (Markdown,
 * kept as text); state `state` (`open` ⇄ open, `closed` ⇄ closed); tags are the label names
 * (written as the whole set: `labels` replaces it); requester `user.login` and assignee
 * `assignee.login` (read only); dates ISO 8601. Every list, filter and search goes through
 * `GET /search/issues` with `repo:{owner}/{repo} is:issue …` (so pull requests are never listed),
 * paged by `Link` headers; comments are notes (every page of them, by `Link` headers).
 *
 * Claimed: creating tickets, public notes, text search, tags, states `open` and `closed`, 100 per
 * page. Not claimed, and why:
 * - **priorities**: GitHub has none. Every issue reads as `normal`; a priority change or filter is
 *   refused (`capabilities.priorities` is empty, so the contract suite skips its priority checks).
 *   A `priority:*` label convention would need a read-modify-write of the whole label set, which
 *   a declarative configuration cannot do safely.
 * - **internal notes**: every GitHub comment is public. A note must be added with `visibility:
 *   public`; an internal one is refused rather than published.
 * - **HTML notes**: comments are Markdown; HTML would show as text.
 * - **states `new`, `pending`, `resolved`**: GitHub's `state_reason` (completed, not planned) is
 *   not read; closing is `closed`.
 * - **queues**: the repository is the one queue (`{ name: "owner/repo" }`); moving an issue
 *   elsewhere is refused, and a queue filter is applied by the adapter (the repository's issues,
 *   or none for another queue).
 * - **assignee writes**: GitHub takes a list of logins (`assignees`), which the mapping cannot
 *   write from one user.
 *
 * Search has its own limits on GitHub: 30 requests a minute, the first 1000 results, and a new or
 * changed issue can take a moment to be found. A 404 on a private repository means the token
 * cannot see it.
 *
 * @since 0.1.0
 */
import type { Preset } from "./Preset.js"

const issue = "/repos/{owner}/{repo}/issues/{id}"
const iso = { _tag: "iso" } as const

/**
 * The `github-issues` preset.
 *
 * @since 0.1.0
 * @category presets
 */
export const preset: Preset = {
  description: "the issues of one GitHub repository (variables: owner, repo; auth: bearer token)",
  variables: ["owner", "repo"],
  options: {
    baseUrl: "https://api.github.com",
    endpoints: {
      list: "/search/issues",
      search: null,
      get: issue,
      create: "/repos/{owner}/{repo}/issues",
      update: { method: "PATCH", path: issue },
      addNote: `${issue}/comments`,
      listNotes: `${issue}/comments`
    },
    fields: {
      id: { path: "number", codec: "number" },
      title: "title",
      description: "body",
      state: "state",
      priority: { read: null, write: null, default: "normal" },
      queueId: null,
      queueName: { read: null, write: null, default: "{owner}/{repo}" },
      requester: { read: "user.login", write: null },
      assignee: { read: "assignee.login", write: null },
      tags: { read: { path: "labels", codec: { _tag: "list", item: "name" } }, write: { path: "labels", codec: "list" } },
      customFields: null,
      createdAt: { path: "created_at", codec: iso },
      updatedAt: { path: "updated_at", codec: iso }
    },
    noteFields: {
      id: "id",
      body: "body",
      visibility: null,
      contentType: null,
      timestamp: null,
      createdAt: { path: "created_at", codec: iso },
      author: "user.login"
    },
    params: {
      state: null,
      priority: null,
      queueIds: null,
      queueNames: null,
      updatedSince: null,
      text: null,
      // the repository is the one queue: a queue filter keeps its issues, or none (another queue)
      clientSide: ["queue"],
      query: {
        param: "q",
        template: "repo:{owner}/{repo} is:issue {filters}",
        state: "state:{value}",
        updatedSince: "updated:>={value}",
        text: "{text}"
      }
    },
    responses: { list: "items", search: "items", total: "total_count", nextCursor: null, ticket: "", notes: "", errorMessage: ["message"] },
    pagination: { style: "link", sizeParam: "per_page" },
    states: { open: "open", closed: "closed" },
    priorities: { normal: "normal" },
    visibility: { internal: null, public: "public" },
    maxPageSize: 100
  }
}
