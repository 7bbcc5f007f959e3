/**
 * The named configurations of the REST adapter (`preset: <name>`): each the options of a public
 * help desk's API in their input form, which the keys a configuration gives override (objects key
 * by key), and the variables it needs (`variables: { owner, repo }` for GitHub). Secrets never
 * belong here: a preset describes a system's API, the configuration gives the account.
 *
 * - `github-issues` ({@link GitHubIssues}): the issues of one GitHub repository
 * - `zendesk` ({@link Zendesk}): Zendesk Support tickets
 * - `freshdesk` ({@link Freshdesk}): Freshdesk tickets
 *
 * @since 0.1.0
 */
import * as Freshdesk from "./Freshdesk.js"
import * as GitHubIssues from "./GitHubIssues.js"
import type { Preset } from "./Preset.js"
import * as Zendesk from "./Zendesk.js"

export type {
  /**
   * A preset: a description, the variables it needs, the options of the system's API.
   *
   * @since 0.1.0
   * @category models
   */
  Preset
} from "./Preset.js"

/**
 * The presets by name.
 *
 * @since 0.1.0
 * @category presets
 */
export const presets: Readonly<Record<string, Preset>> = {
  "github-issues": GitHubIssues.preset,
  zendesk: Zendesk.preset,
  freshdesk: Freshdesk.preset
}
