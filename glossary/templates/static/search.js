/* Search as you type over the glossary's prebuilt index (search-index.js), in all six languages.
 *
 * A query is folded as `glossary lookup` folds it (fold.js), then matched in tiers, as lookup does:
 *   exact key (abbreviations and exact spellings)  100
 *   initials of a multi-word term (IDC, SSI)         90
 *   the term starts with the query                   92-96 (shorter terms first)
 *   every query word starts a word of the term       85-91
 *   fuzzy: per-word edit distance (typos, transpositions) on candidates that share character
 *   n-grams with the query (padded trigrams per word; Han characters and bigrams), Chinese short
 *   forms whose characters appear in order in a term                                   < 90
 * One hit per concept, the best of its terms; ties go to head terms, then shorter terms.
 */
(function (root) {
  "use strict";

  const MIN_SCORE = 60;
  const SHORT_QUERY = 4;          // so short a slip is a different word: only near-certain fuzzy hits
  const SHORT_MIN_SCORE = 80;
  const CANDIDATES = 300;         // how many n-gram neighbours the edit-distance scorer sees

  /* Optimal string alignment distance (Levenshtein with adjacent transpositions), at most `limit`+1. */
  function editDistance(a, b, limit) {
    const n = a.length, m = b.length;
    if (Math.abs(n - m) > limit) return limit + 1;
    let prev2 = new Array(m + 1), prev = new Array(m + 1), cur = new Array(m + 1);
    for (let j = 0; j <= m; j++) prev[j] = j;
    for (let i = 1; i <= n; i++) {
      cur[0] = i;
      let rowMin = cur[0];
      for (let j = 1; j <= m; j++) {
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
        cur[j] = v;
        if (v < rowMin) rowMin = v;
      }
      if (rowMin > limit) return limit + 1;
      const t = prev2; prev2 = prev; prev = cur; cur = t;
    }
    return prev[m];
  }

  /* Similarity of two words in [0, 1]; `open` when the query word may still be being typed. */
  function wordSimilarity(q, w, open) {
    if (q === w) return 1;
    if (w.startsWith(q)) return open ? 1 : 0.9 * q.length / w.length + 0.1;
    const limit = Math.max(1, Math.floor(q.length / 3));
    let best = 0;
    const d = editDistance(q, w, limit);
    if (d <= limit) best = 1 - d / Math.max(q.length, w.length);
    if (open && w.length > q.length) {
      const p = editDistance(q, w.slice(0, q.length), limit);
      if (p <= limit) best = Math.max(best, 0.97 * (1 - p / q.length));
    }
    return best;
  }

  function isSubsequence(short, full) {
    let i = 0;
    for (const ch of full) if (ch === short[i]) i++;
    return i === short.length;
  }

  function Searcher(index, folder) {
    this.index = index;
    this.fold = folder;
    this.keys = index.keys;
    this.exact = new Map();
    for (let e = 0; e < this.keys.length; e++) {
      const compact = this.keys[e].replace(/ /g, "");
      const list = this.exact.get(compact);
      if (list) list.push(e); else this.exact.set(compact, [e]);
    }
    this.grams = null;  // built on the first fuzzy query
    this.isHead = index.statuses.map((s) => index.headStatuses.includes(s));
  }

  Searcher.prototype.gramsOf = function (key) {
    const grams = new Set();
    for (const word of key.split(" ")) {
      if (!word) continue;
      const chars = Array.from(word);
      if (chars.some(this.fold.isHan)) {
        for (let i = 0; i < chars.length; i++) {
          grams.add(chars[i]);
          if (i + 1 < chars.length) grams.add(chars[i] + chars[i + 1]);
        }
      } else {
        const padded = " " + word + " ";
        for (let i = 0; i + 3 <= padded.length; i++) grams.add(padded.slice(i, i + 3));
      }
    }
    return grams;
  };

  Searcher.prototype.buildGrams = function () {
    const postings = new Map();
    const sizes = new Uint16Array(this.keys.length);
    for (let e = 0; e < this.keys.length; e++) {
      const grams = this.gramsOf(this.keys[e]);
      sizes[e] = Math.min(grams.size, 65535);
      for (const g of grams) {
        const list = postings.get(g);
        if (list) list.push(e); else postings.set(g, [e]);
      }
    }
    this.grams = { postings: postings, sizes: sizes, shared: new Uint16Array(this.keys.length) };
  };

  /* The entries sharing the most n-grams with the key (Dice coefficient), best first. */
  Searcher.prototype.candidates = function (key) {
    if (!this.grams) this.buildGrams();
    const { postings, sizes, shared } = this.grams;
    const grams = this.gramsOf(key);
    const touched = [];
    for (const g of grams) {
      const list = postings.get(g);
      if (!list) continue;
      for (let i = 0; i < list.length; i++) {
        const e = list[i];
        if (shared[e]++ === 0) touched.push(e);
      }
    }
    const scored = new Array(touched.length);
    for (let i = 0; i < touched.length; i++) {
      const e = touched[i];
      scored[i] = [e, (2 * shared[e]) / (sizes[e] + grams.size)];
      shared[e] = 0;
    }
    if (scored.length > CANDIDATES) {
      // the Dice value of the CANDIDATES-th best, found by sorting a sample of values would be faster;
      // a full sort of the touched entries is well under a millisecond per 10,000
      scored.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
      scored.length = CANDIDATES;
    }
    return scored.map((pair) => pair[0]);
  };

  /* Fuzzy score of a term key for the query key, 0-89. */
  Searcher.prototype.fuzzyScore = function (key, qWords, open, term) {
    const tWords = term.split(" ");
    let matched = 0, total = 0, covered = 0;
    const used = new Set();
    qWords.forEach((q, i) => {
      let best = 0, bestAt = -1;
      tWords.forEach((w, j) => {
        if (used.has(j)) return;
        const s = wordSimilarity(q, w, open && i === qWords.length - 1);
        if (s > best) { best = s; bestAt = j; }
      });
      if (bestAt >= 0 && best > 0) { used.add(bestAt); covered += tWords[bestAt].length; }
      matched += best * q.length;
      total += q.length;
    });
    const termChars = term.replace(/ /g, "").length || 1;
    const words = total ? matched / total : 0;
    const coverage = Math.min(1, covered / termChars);
    let score = 100 * words * (0.8 + 0.2 * coverage);
    // whole-string closeness, for keys whose words are split differently (a space typed or missed)
    const limit = Math.max(1, Math.floor(key.length / 4));
    const d = editDistance(key, term, limit);
    if (d <= limit) score = Math.max(score, 100 * (1 - d / Math.max(key.length, term.length)));
    return Math.min(score, 89);
  };

  /* Score of a Han term for a Han query: short forms, shared characters and bigrams. */
  Searcher.prototype.hanScore = function (compact, term) {
    const t = term.replace(/ /g, "");
    if (t.includes(compact)) return 80 + 15 * Array.from(compact).length / Array.from(t).length;
    if (t.length > compact.length && t.endsWith(compact.slice(-1)) && isSubsequence(Array.from(compact), t)) {
      return 80 + 15 * Array.from(compact).length / Array.from(t).length;
    }
    const q = this.gramsOf(compact), g = this.gramsOf(t);
    let shared = 0;
    for (const x of q) if (g.has(x)) shared++;
    return Math.min(89, 100 * (2 * shared) / (q.size + g.size));
  };

  Searcher.prototype.search = function (query, limit) {
    limit = limit || 20;
    const key = this.fold.matchKey(query);
    if (!key) return [];
    const compact = key.replace(/ /g, "");
    const open = !/\s$/.test(query);  // the last word may still be being typed
    const minScore = Array.from(compact).length <= SHORT_QUERY ? SHORT_MIN_SCORE : MIN_SCORE;
    const scores = new Map();
    const offer = (e, s) => { if (s > (scores.get(e) || 0)) scores.set(e, s); };

    for (const e of this.exact.get(compact) || []) offer(e, 100);
    if (!key.includes(" ")) for (const e of this.index.initials[compact] || []) offer(e, 90);

    // prefix tiers: a scan of every key is a few milliseconds even on 80,000 terms
    const qWords = key.split(" ");
    const keys = this.keys;
    for (let e = 0; e < keys.length; e++) {
      const k = keys[e];
      if (k.startsWith(key)) {
        offer(e, 92 + 4 * key.length / k.length);
      } else if (qWords.length > 1 ? qWords.every((w) => k.startsWith(w) || k.includes(" " + w))
                                   : k.includes(" " + key)) {
        const tWords = k.split(" ");
        if (qWords.every((w) => tWords.some((t) => t.startsWith(w)))) offer(e, 85 + 6 * key.length / k.length);
      }
    }

    const han = Array.from(compact).some(this.fold.isHan);
    for (const e of this.candidates(key)) {
      if (scores.get(e) >= 90) continue;
      offer(e, han ? this.hanScore(compact, keys[e]) : this.fuzzyScore(key, qWords, open, keys[e]));
    }
    return this.rank(key, scores, limit, minScore);
  };

  Searcher.prototype.rank = function (key, scores, limit, minScore) {
    const idx = this.index;
    const entries = [];
    for (const [e, s] of scores) if (s >= minScore) entries.push([e, s]);
    entries.sort((a, b) => {
      if (b[1] !== a[1]) return b[1] - a[1];
      const ha = this.isHead[idx.meta[a[0]] & 3], hb = this.isHead[idx.meta[b[0]] & 3];
      if (ha !== hb) return ha ? -1 : 1;
      return idx.keys[a[0]].length - idx.keys[b[0]].length || idx.owner[a[0]] - idx.owner[b[0]];
    });
    const hits = [];
    const seen = new Set();
    for (const [e, s] of entries) {
      const c = idx.owner[e];
      if (seen.has(c)) continue;
      seen.add(c);
      hits.push({ concept: c, entry: e, score: Math.round(s * 10) / 10 });
      if (hits.length === limit) break;
    }
    return hits;
  };

  root.GlossarySearch = { Searcher: Searcher, editDistance: editDistance };
})(typeof window !== "undefined" ? window : globalThis);
