/**
 * The one map between a system's own values (status names, priority names or numbers) and the
 * normal form (state types, priority levels), used by every adapter: looked up case-insensitively
 * in both directions, with the system's first value for a normal value as the one written.
 *
 * @internal
 */

/** a two-way map between remote values and normal values */
export interface ValueMap<N extends string> {
  /** the normal value of a remote one, if it is mapped */
  readonly toNormal: (remote: string | number) => N | undefined
  /** the remote value written for a normal one: the first mapped to it */
  readonly toRemote: (normal: N) => string | undefined
  /** every remote value mapped to one of these normal values (for filters) */
  readonly remotesOf: (normals: ReadonlyArray<N>) => ReadonlyArray<string>
  /** the remote values, in order */
  readonly remotes: ReadonlyArray<string>
}

/** a map from `[remote, normal]` pairs (the first pair of a normal value is the one written) */
export const make = <N extends string>(entries: Iterable<readonly [string, N]>): ValueMap<N> => {
  const pairs = Array.from(entries)
  const byRemote = new Map<string, N>()
  for (const [remote, normal] of pairs) {
    const key = remote.toLowerCase()
    if (!byRemote.has(key)) byRemote.set(key, normal)
  }
  const byNormal = new Map<N, string>()
  for (const [remote, normal] of pairs) if (!byNormal.has(normal)) byNormal.set(normal, remote)
  return {
    toNormal: (remote) => byRemote.get(String(remote).toLowerCase()),
    toRemote: (normal) => byNormal.get(normal),
    remotesOf: (normals) => pairs.filter(([, normal]) => normals.includes(normal)).map(([remote]) => remote),
    remotes: pairs.map(([remote]) => remote)
  }
}

/** a map from a record `{ remote: normal }` */
export const fromRecord = <N extends string>(record: Readonly<Record<string, N>>): ValueMap<N> => make(Object.entries(record))
