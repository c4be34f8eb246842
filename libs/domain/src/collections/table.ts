/**
 * A persistent (copy-on-write) string-keyed map made of plain JSON objects, for states and read models
 * that grow with the ledger (a lot's credits; accounts, bonds, refunds): a hash array mapped trie (HAMT).
 *
 * Why: a pure `evolve` or `apply` may not mutate its state, so a write must copy what it changes. Here a node holds
 * at most 32 children, chosen by 5 bits of the key's hash (FNV-1a) per level, and only the children
 * present are stored (`bits` says which). A write copies the nodes on one path — about log32(n) arrays
 * of a few to 32 slots — and shares everything else with the previous version. Keys live in the
 * entries (`{ key, value }`), never as property names, so ids never become hidden classes of V8.
 *
 * The layout is a pure function of the keys and values (a node never holds a single entry alone, except
 * the root; keys whose 32-bit hashes are equal are kept in key order), so two folds of the same events
 * give equal (deep-equal, and equal as JSON) tables whatever the history of writes and deletes.
 * Iteration order is the trie's, not insertion order: models that need an order store one and sort.
 */
export interface Table<V> {
  /** Bit i set: the child for hash digit i is present, at index popcount(bits below i). */
  readonly bits: number;
  readonly kids: readonly Kid<V>[];
}

export interface TableEntry<V> {
  readonly key: string;
  readonly value: V;
}

type Kid<V> = Table<V> | TableEntry<V>;
// The `!` on kids[…] below: a loop reads below `kids.length`, and a node has a kid at the popcount of
// every bit set in `bits`.

const BITS = 5;
const MASK = (1 << BITS) - 1;
/** The last level that has hash bits (30..31); below it, keys with equal hashes share one node, in key order. */
const LAST_SHIFT = 30;

const EMPTY: Table<never> = Object.freeze({ bits: 0, kids: Object.freeze([]) });

export function emptyTable<V>(): Table<V> {
  return EMPTY;
}

/** FNV-1a over the UTF-16 code units: fixed, fast, and the same in every process. */
function hash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

function isEntry<V>(kid: Kid<V>): kid is TableEntry<V> {
  return (kid as Table<V>).kids === undefined;
}

function entry<V>(key: string, value: V): TableEntry<V> {
  return { key, value };
}

function withKid<V>(kids: readonly Kid<V>[], index: number, kid: Kid<V>): Kid<V>[] {
  const next = kids.slice();
  next[index] = kid;
  return next;
}

function withInserted<V>(kids: readonly Kid<V>[], index: number, kid: Kid<V>): Kid<V>[] {
  const next: Kid<V>[] = new Array(kids.length + 1);
  for (let i = 0; i < index; i++) next[i] = kids[i]!;
  next[index] = kid;
  for (let i = index; i < kids.length; i++) next[i + 1] = kids[i]!;
  return next;
}

function withRemoved<V>(kids: readonly Kid<V>[], index: number): Kid<V>[] {
  const next: Kid<V>[] = new Array(kids.length - 1);
  for (let i = 0; i < index; i++) next[i] = kids[i]!;
  for (let i = index + 1; i < kids.length; i++) next[i - 1] = kids[i]!;
  return next;
}

export function tableGet<V>(table: Table<V>, key: string): V | undefined {
  const h = hash(key);
  let node = table;
  for (let shift = 0; ; shift += BITS) {
    if (shift > LAST_SHIFT) {
      for (const kid of node.kids as TableEntry<V>[]) if (kid.key === key) return kid.value;
      return undefined;
    }
    const bit = 1 << ((h >>> shift) & MASK);
    if ((node.bits & bit) === 0) return undefined;
    const kid = node.kids[popcount(node.bits & (bit - 1))]!;
    if (isEntry(kid)) return kid.key === key ? kid.value : undefined;
    node = kid;
  }
}

export function tableHas<V>(table: Table<V>, key: string): boolean {
  return tableGet(table, key) !== undefined;
}

/** A node holding two entries whose hashes agree above `shift`. */
function pair<V>(a: TableEntry<V>, hashA: number, b: TableEntry<V>, hashB: number, shift: number): Table<V> {
  if (shift > LAST_SHIFT) return { bits: 0, kids: a.key < b.key ? [a, b] : [b, a] };
  const digitA = (hashA >>> shift) & MASK;
  const digitB = (hashB >>> shift) & MASK;
  if (digitA === digitB) return { bits: 1 << digitA, kids: [pair(a, hashA, b, hashB, shift + BITS)] };
  return { bits: (1 << digitA) | (1 << digitB), kids: digitA < digitB ? [a, b] : [b, a] };
}

/** What an update returns to leave an absent key absent (`tableChange`). */
const STAY_ABSENT = Symbol('stay absent');

/**
 * The node with `key` set to `update(current)` (undefined when absent), or to `value` when there is no
 * `update`: one descent for a read and a write. An update that returns STAY_ABSENT for an absent key
 * leaves the node as it is.
 */
function setIn<V>(node: Table<V>, key: string, h: number, update: ((current: V | undefined) => V) | undefined, value: V, shift: number): Table<V> {
  if (shift > LAST_SHIFT) {
    const kids = node.kids as TableEntry<V>[];
    let index = 0;
    while (index < kids.length && kids[index]!.key < key) index++;
    if (index < kids.length && kids[index]!.key === key) {
      const found = kids[index]!;
      const next = update === undefined ? value : update(found.value);
      return found.value === next ? node : { bits: 0, kids: withKid(kids, index, entry(found.key, next)) };
    }
    const next = update === undefined ? value : update(undefined);
    return next === STAY_ABSENT ? node : { bits: 0, kids: withInserted(kids, index, entry(key, next)) };
  }
  const bit = 1 << ((h >>> shift) & MASK);
  const index = popcount(node.bits & (bit - 1));
  if ((node.bits & bit) === 0) {
    const next = update === undefined ? value : update(undefined);
    return next === STAY_ABSENT ? node : { bits: node.bits | bit, kids: withInserted(node.kids, index, entry(key, next)) };
  }
  const kid = node.kids[index]!;
  let next: Kid<V>;
  if (isEntry(kid)) {
    if (kid.key === key) {
      const changed = update === undefined ? value : update(kid.value);
      if (kid.value === changed) return node;
      // The key string the table already holds: the caller's copy of it need not be kept.
      next = entry(kid.key, changed);
    } else {
      const added = update === undefined ? value : update(undefined);
      if (added === STAY_ABSENT) return node;
      next = pair(kid, hash(kid.key), entry(key, added), h, shift + BITS);
    }
  } else {
    next = setIn(kid, key, h, update, value, shift + BITS);
    if (next === kid) return node;
  }
  return { bits: node.bits, kids: withKid(node.kids, index, next) };
}

export function tableSet<V>(table: Table<V>, key: string, value: V): Table<V> {
  return setIn(table, key, hash(key), undefined, value, 0);
}

/** Sets the key to `update(current)`; `current` is undefined for a new key. */
export function tableUpdate<V>(table: Table<V>, key: string, update: (current: V | undefined) => V): Table<V> {
  return setIn(table, key, hash(key), update, undefined as V, 0);
}

/** Sets the key to `change(current)` if the key is present; the same table otherwise. */
export function tableChange<V>(table: Table<V>, key: string, change: (current: V) => V): Table<V> {
  return setIn(table, key, hash(key), (current) => (current === undefined ? (STAY_ABSENT as V) : change(current)), undefined as V, 0);
}

/**
 * The node without the key: the same node when the key is absent, undefined when nothing is left, and
 * the remaining entry itself when only one is (a node of one entry collapses into its parent).
 */
function removeFrom<V>(node: Table<V>, key: string, h: number, shift: number): Kid<V> | undefined {
  if (shift > LAST_SHIFT) {
    const index = (node.kids as TableEntry<V>[]).findIndex((kid) => kid.key === key);
    if (index < 0) return node;
    const kids = withRemoved(node.kids, index);
    return kids.length === 1 ? kids[0] : { bits: 0, kids };
  }
  const bit = 1 << ((h >>> shift) & MASK);
  if ((node.bits & bit) === 0) return node;
  const index = popcount(node.bits & (bit - 1));
  const kid = node.kids[index]!;
  let next: Kid<V> | undefined;
  if (isEntry(kid)) {
    if (kid.key !== key) return node;
    next = undefined;
  } else {
    next = removeFrom(kid, key, h, shift + BITS);
    if (next === kid) return node;
  }
  if (next === undefined) {
    const bits = node.bits & ~bit;
    if (bits === 0) return undefined;
    const kids = withRemoved(node.kids, index);
    const [only] = kids;
    return kids.length === 1 && only !== undefined && isEntry(only) ? only : { bits, kids };
  }
  if (isEntry(next) && node.kids.length === 1) return next;
  return { bits: node.bits, kids: withKid(node.kids, index, next) };
}

/** Removes a key; the result is the table that never had it (see the layout rule above). */
export function tableDelete<V>(table: Table<V>, key: string): Table<V> {
  const next = removeFrom(table, key, hash(key), 0);
  if (next === undefined) return emptyTable();
  if (isEntry(next)) return { bits: 1 << (hash(next.key) & MASK), kids: [next] };
  return next;
}

function collect<V, T>(node: Table<V>, out: T[], take: (entry: TableEntry<V>) => T): T[] {
  for (const kid of node.kids) {
    if (isEntry(kid)) out.push(take(kid));
    else collect(kid, out, take);
  }
  return out;
}

export function tableEntries<V>(table: Table<V>): [string, V][] {
  return collect(table, [], (kid): [string, V] => [kid.key, kid.value]);
}

export function tableValues<V>(table: Table<V>): V[] {
  return collect(table, [], (kid) => kid.value);
}

/** A value shaped as a table (`bits` and `kids` only): how storage tells a model's tables from its other fields. */
export function isTable(value: unknown): value is Table<unknown> {
  if (value === null || typeof value !== 'object') return false;
  const keys = Object.keys(value);
  return keys.length === 2 && typeof (value as Table<unknown>).bits === 'number' && Array.isArray((value as Table<unknown>).kids);
}

/**
 * Calls `changed(key, value)` for each key whose value differs between two tables (by identity), with
 * undefined for a key `after` no longer has. Subtrees the two share are skipped, so between two
 * versions of one fold this costs O(keys changed × depth), not O(size): an incremental snapshot.
 */
export function tableDiff<V>(before: Table<V>, after: Table<V>, changed: (key: string, value: V | undefined) => void): void {
  diffKids(before, after, 0, changed);
}

function diffKids<V>(before: Kid<V> | undefined, after: Kid<V> | undefined, shift: number, changed: (key: string, value: V | undefined) => void): void {
  if (before === after) return;
  if (before && after && !isEntry(before) && !isEntry(after) && shift <= LAST_SHIFT) {
    // Both nodes stand for the same hash prefix: compare child by child.
    const bits = (before.bits | after.bits) >>> 0;
    for (let digit = 0; digit <= MASK; digit++) {
      const bit = 1 << digit;
      if ((bits & bit) === 0) continue;
      const kidBefore = before.bits & bit ? before.kids[popcount(before.bits & (bit - 1))] : undefined;
      const kidAfter = after.bits & bit ? after.kids[popcount(after.bits & (bit - 1))] : undefined;
      diffKids(kidBefore, kidAfter, shift + BITS, changed);
    }
    return;
  }
  // An entry against a node, collision lists, or one side missing: compare the entries they hold.
  const old = new Map<string, V>();
  if (before) for (const { key, value } of entriesOf(before)) old.set(key, value);
  if (after) {
    for (const { key, value } of entriesOf(after)) {
      if (!old.has(key) || old.get(key) !== value) changed(key, value);
      old.delete(key);
    }
  }
  for (const key of old.keys()) changed(key, undefined);
}

function entriesOf<V>(kid: Kid<V>): TableEntry<V>[] {
  return isEntry(kid) ? [kid] : collect(kid, [], (entry) => entry);
}

export function tableSize<V>(table: Table<V>): number {
  let size = 0;
  for (const kid of table.kids) size += isEntry(kid) ? 1 : tableSize(kid);
  return size;
}

/** An own property only: a key such as "constructor" must not find Object.prototype's. */
export function own<V>(record: { readonly [key: string]: V }, key: string): V | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}
