/**
 * The ranked text search of the `discovery` exposure: which of an endpoint's tools answer a
 * few words. BM25 (Robertson's ranking, as search engines use it) over three fields of each
 * tool — its name, its description, its account (label and prefix) — with the name and the
 * account weighted above the description, since a word there says more about the tool.
 *
 * Written here rather than taken from npm: no ranking library is among the project's
 * dependencies, and what is needed is ~60 lines over a catalog of a few hundred tools.
 * Pure and deterministic: the same catalog and words give the same order (ties by name).
 */

/** One tool as the search sees it. */
export interface SearchDocument {
  /** The name the client calls it by. */
  readonly name: string;
  readonly description?: string | undefined;
  /** Its account: the instance's label and its key (prefix). */
  readonly accountLabel: string;
  readonly accountKey: string;
}

export interface SearchHit<D extends SearchDocument> {
  readonly document: D;
  readonly score: number;
}

/** How much one occurrence counts in each field (BM25F's field weights). */
const FIELD_WEIGHTS = { name: 3, account: 2, description: 1 } as const;
/** BM25's usual constants: term-frequency saturation and length normalisation. */
const K1 = 1.2;
const B = 0.75;
/** A query word that only starts a tool's word (`calc` → `calculate`) counts this much. */
const PREFIX_MATCH = 0.5;
const MIN_PREFIX = 3;

interface Indexed<D> {
  readonly document: D;
  /** Stem → weighted count. */
  readonly terms: ReadonlyMap<string, number>;
  readonly length: number;
}

export class SearchIndex<D extends SearchDocument> {
  private readonly indexed: readonly Indexed<D>[];
  private readonly documentFrequency = new Map<string, number>();
  private readonly averageLength: number;

  constructor(documents: readonly D[]) {
    this.indexed = documents.map((document) => {
      const terms = new Map<string, number>();
      const add = (text: string | undefined, weight: number): void => {
        for (const term of tokens(text ?? '')) terms.set(term, (terms.get(term) ?? 0) + weight);
      };
      add(document.name, FIELD_WEIGHTS.name);
      add(`${document.accountLabel} ${document.accountKey}`, FIELD_WEIGHTS.account);
      add(document.description, FIELD_WEIGHTS.description);
      for (const term of terms.keys()) this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1);
      return { document, terms, length: [...terms.values()].reduce((sum, count) => sum + count, 0) };
    });
    this.averageLength = this.indexed.reduce((sum, entry) => sum + entry.length, 0) / Math.max(1, this.indexed.length);
  }

  get size(): number {
    return this.indexed.length;
  }

  /** Every document, in the order given. */
  documents(): readonly D[] {
    return this.indexed.map((entry) => entry.document);
  }

  /** The tools that match any word of `query`, best first, at most `limit`. */
  search(query: string, limit: number): SearchHit<D>[] {
    const words = [...new Set(tokens(query))];
    if (words.length === 0) return [];
    const hits: SearchHit<D>[] = [];
    for (const entry of this.indexed) {
      let score = 0;
      for (const word of words) score += this.termScore(entry, word);
      if (score > 0) hits.push({ document: entry.document, score });
    }
    hits.sort((a, b) => b.score - a.score || a.document.name.localeCompare(b.document.name));
    return hits.slice(0, Math.max(0, limit));
  }

  private termScore(entry: Indexed<D>, word: string): number {
    let score = this.bm25(entry, word, entry.terms.get(word) ?? 0);
    if (word.length >= MIN_PREFIX) {
      for (const [term, count] of entry.terms) {
        if (term !== word && term.startsWith(word)) score = Math.max(score, PREFIX_MATCH * this.bm25(entry, term, count));
      }
    }
    return score;
  }

  private bm25(entry: Indexed<D>, term: string, frequency: number): number {
    if (frequency === 0) return 0;
    const n = this.indexed.length;
    const containing = this.documentFrequency.get(term) ?? 0;
    const idf = Math.log(1 + (n - containing + 0.5) / (containing + 0.5));
    const norm = frequency + K1 * (1 - B + (B * entry.length) / (this.averageLength || 1));
    return (idf * frequency * (K1 + 1)) / norm;
  }
}

/** Longer input is cut: a query, a name or a description is never a document to scan whole. */
const MAX_TEXT = 4096;

/**
 * Lower-case words of `text`, split at anything not a letter or digit and at camelCase
 * (`listNotes` → list, note), each reduced to a crude stem (plural `s`/`es`), so `notes`
 * finds `note` and `search_notes` alike.
 */
export function tokens(text: string): string[] {
  const words = text
    .slice(0, MAX_TEXT)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u);
  return words.filter((word) => word !== '').map(stem);
}

function stem(word: string): string {
  if (word.length > 4 && /(?:sses|xes|ches|shes)$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us')) return word.slice(0, -1);
  return word;
}
