/**
 * Redmine's text as the normal form holds it (re-exported by `RedmineMapping`): Redmine stores
 * descriptions and notes with `\r\n` line ends; tickets, notes and the comparison of what an
 * update wrote all read them as `\n`.
 *
 * @internal
 */

/**
 * Redmine's `\r\n` (and `\r`) line ends as `\n`.
 *
 * @since 0.1.0
 * @category utils
 */
export const normaliseNewlines = (text: string): string => text.replace(/\r\n?/g, "\n")
