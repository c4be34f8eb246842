import { type Posting, UnbalancedPostingsError, balancedPostings } from '@app/domain';

export type PostingsVerdict =
  | { readonly kind: 'none' }
  | { readonly kind: 'balanced'; readonly postings: readonly Posting[] }
  | { readonly kind: 'broken'; readonly code: 'MALFORMED_POSTINGS' | 'UNBALANCED_POSTINGS'; readonly message: string };

/**
 * Double entry, event by event: an event that has a `postings` member must carry a non-empty list of
 * postings, each a strictly positive amount with exactly two decimals, debits equal to credits (the
 * domain's own `balancedPostings`, which the deciders used when they wrote it).
 */
export function checkPostings(data: unknown): PostingsVerdict {
  if (data === null || typeof data !== 'object' || !('postings' in data)) return { kind: 'none' };
  const { postings } = data;
  if (!Array.isArray(postings)) return { kind: 'broken', code: 'MALFORMED_POSTINGS', message: 'postings is not a list' };
  try {
    // Untrusted here: balancedPostings checks every posting's amount and side, and throws on what is not one.
    return { kind: 'balanced', postings: balancedPostings(postings as Posting[]) };
  } catch (error) {
    // A posting that is not even an object makes balancedPostings fail with a TypeError: malformed too.
    const unbalanced = error instanceof UnbalancedPostingsError && /^debits .* != credits/.test(error.message);
    return { kind: 'broken', code: unbalanced ? 'UNBALANCED_POSTINGS' : 'MALFORMED_POSTINGS', message: (error as Error).message };
  }
}
