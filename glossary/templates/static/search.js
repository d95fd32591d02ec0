/* Search as you type over the glossary's prebuilt index (search-index.js), in all six languages.
 *
 * A query is folded as `glossary lookup` folds it (fold.js), then matched in tiers, as lookup does:
 *   exact key (abbreviations and exact spellings)  100
 *   initials of a multi-word term (IDC, SSI)         90
 *   the term starts with the query                   92-96 (shorter terms first)
 *   every query word starts a word of the term       85-91
 *   fuzzy: per-word edit distance (typos, transpositions), word prefixes while typing and
 *   contractions (intl), on the candidates that share most character n-grams with the query
 *   (padded trigrams per word; Han characters and bigrams); Chinese short forms whose
 *   characters appear in order in a term                                                < 90
 * One hit per concept, the best of its terms; ties go to head terms, then shorter terms.
 */
(function (root) {
  "use strict";

  const MIN_SCORE = 60;
  const SHORT_QUERY = 4;          // so short a slip is a different word: only near-certain fuzzy hits
  const SHORT_MIN_SCORE = 80;
  const CANDIDATES = 300;         // how many n-gram neighbours the edit-distance scorer sees

  /* Optimal string alignment distance (Levenshtein with adjacent transpositions), or `limit`+1 when it is
   * larger. Three rows reused across calls: this runs thousands of times a keystroke. */
  let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];
  function editDistance(a, b, limit) {
    const n = a.length, m = b.length;
    if (Math.abs(n - m) > limit) return limit + 1;
    if (rows[0].length <= m) rows = [new Int32Array(2 * m + 2), new Int32Array(2 * m + 2), new Int32Array(2 * m + 2)];
    let [prev2, prev, cur] = rows;
    for (let j = 0; j <= m; j++) prev[j] = j;
    for (let i = 1; i <= n; i++) {
      cur[0] = i;
      let rowMin = i;
      const ai = a.charCodeAt(i - 1), ai1 = i > 1 ? a.charCodeAt(i - 2) : -1;
      for (let j = 1; j <= m; j++) {
        const bj = b.charCodeAt(j - 1);
        let v = prev[j - 1] + (ai === bj ? 0 : 1);
        if (prev[j] + 1 < v) v = prev[j] + 1;
        if (cur[j - 1] + 1 < v) v = cur[j - 1] + 1;
        if (j > 1 && ai === b.charCodeAt(j - 2) && ai1 === bj && prev2[j - 2] + 1 < v) v = prev2[j - 2] + 1;
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
    // a contraction keeps the first letter and others in order: intl, systm, govt, dept
    if (q.length >= 3 && q.length < w.length && q[0] === w[0] && isSubsequence(q, w)) {
      best = Math.max(best, 0.6 + 0.3 * q.length / w.length);
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
    this.grams = null;  // built in slices after load (buildGrams), finished by the first fuzzy query
    this.wordCache = new Map();
    this.isHead = index.statuses.map((s) => index.headStatuses.includes(s));
    // every key on one line of one string: indexOf finds prefixes and word starts far faster than a loop
    this.haystack = "\n" + this.keys.join("\n") + "\n";
    this.starts = new Int32Array(this.keys.length);
    for (let e = 0, at = 1; e < this.keys.length; e++) { this.starts[e] = at; at += this.keys[e].length + 1; }
    // the same without spaces, for exact matches of abbreviations typed with or without dots and spaces
    this.compactHaystack = this.haystack.replace(/ /g, "");
    this.compactStarts = new Int32Array(this.keys.length);
    for (let e = 0, at = 0; e < this.keys.length; e++) {
      this.compactStarts[e] = at + 1;
      at = this.compactHaystack.indexOf("\n", at + 1);
    }
    this.scores = new Float32Array(this.keys.length);
    this.bestOf = new Int32Array(index.concepts.length).fill(-1);
  }

  /* The entry whose line holds position `at` (`starts`: where each line begins). */
  function entryAt(starts, at) {
    let lo = 0, hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= at) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  /* Entries where `needle` occurs, each once, in index order. */
  Searcher.prototype.occurrences = function (needle, out, compact) {
    const hay = compact ? this.compactHaystack : this.haystack;
    const starts = compact ? this.compactStarts : this.starts;
    let last = -1;
    for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + 1)) {
      const e = entryAt(starts, at + 1);
      if (e !== last) { out.push(e); last = e; }
    }
    return out;
  };

  /* Character n-grams of one word as numbers: padded trigrams of UTF-16 units; for Han, characters and
   * bigrams (as lookup's _grams). A trigram of units a b c is (a * 65536 + b) * 65536 + c, exact in a double;
   * a Han character or bigram is below 2^32 and a padded trigram starts with a space, so they never meet. */
  Searcher.prototype.wordGrams = function (word) {
    const cached = this.wordCache.get(word);
    if (cached) return cached;
    const grams = [];
    const push = (g) => { if (!grams.includes(g)) grams.push(g); };
    if (Array.from(word).some(this.fold.isHan)) {
      for (let i = 0; i < word.length; i++) {
        push(word.charCodeAt(i));
        if (i + 1 < word.length) push(word.charCodeAt(i) * 65536 + word.charCodeAt(i + 1));
      }
    } else {
      const padded = " " + word + " ";
      for (let i = 0; i + 3 <= padded.length; i++) {
        push((padded.charCodeAt(i) * 65536 + padded.charCodeAt(i + 1)) * 65536 + padded.charCodeAt(i + 2));
      }
    }
    this.wordCache.set(word, grams);
    return grams;
  };

  Searcher.prototype.gramsOf = function (key) {
    const grams = new Set();
    for (const word of key.split(" ")) if (word) for (const g of this.wordGrams(word)) grams.add(g);
    return grams;
  };

  /* Two inverted indexes: n-gram -> distinct words holding it, word -> entries holding it. Words repeat
   * across terms, so the first stays small and the second is one pass over the keys. Built in slices of
   * `budget` milliseconds so the page stays responsive while it loads; returns true when complete. */
  Searcher.prototype.buildGrams = function (budget) {
    if (!this.grams) {
      this.grams = { postings: new Map(), wordIds: new Map(), wordEntries: [], next: 0,
                     sizes: new Uint16Array(this.keys.length), shared: new Uint16Array(this.keys.length) };
    }
    const g = this.grams, keys = this.keys;
    const stop = budget === undefined ? Infinity : performance.now() + budget;
    while (g.next < keys.length) {
      const end = Math.min(keys.length, g.next + 2000);
      for (let e = g.next; e < end; e++) {
        const parts = keys[e].split(" ");
        let size = 0;
        for (let w = 0; w < parts.length; w++) {
          const word = parts[w];
          if (!word) continue;
          const grams = this.wordGrams(word);
          size += grams.length;
          let id = g.wordIds.get(word);
          if (id === undefined) {
            id = g.wordEntries.length;
            g.wordIds.set(word, id);
            g.wordEntries.push([e]);
            for (const gram of grams) {
              const list = g.postings.get(gram);
              if (list === undefined) g.postings.set(gram, [id]); else list.push(id);
            }
          } else {
            const list = g.wordEntries[id];
            if (list[list.length - 1] !== e) list.push(e);
          }
        }
        g.sizes[e] = Math.min(size, 65535);
      }
      g.next = end;
      if (performance.now() > stop) break;
    }
    return g.next >= keys.length;
  };

  /* The entries sharing the most n-grams with the key (Dice coefficient), best first. */
  Searcher.prototype.candidates = function (key) {
    this.buildGrams();  // finishes what the idle slices have not done yet
    const { postings, wordEntries, sizes, shared } = this.grams;
    const grams = this.gramsOf(key);
    const touched = [];
    for (const g of grams) {
      const wordList = postings.get(g);
      if (!wordList) continue;
      for (let w = 0; w < wordList.length; w++) {
        const list = wordEntries[wordList[w]];
        for (let i = 0; i < list.length; i++) {
          const e = list[i];
          if (shared[e]++ === 0) touched.push(e);
        }
      }
    }
    const dice = new Float32Array(touched.length);
    for (let i = 0; i < touched.length; i++) {
      const e = touched[i];
      dice[i] = (2 * shared[e]) / (sizes[e] + grams.size);
      shared[e] = 0;
    }
    if (touched.length <= CANDIDATES) return touched;
    const floor = Float32Array.from(dice).sort()[touched.length - CANDIDATES];  // the CANDIDATES-th best
    const out = [];
    for (let i = 0; i < touched.length && out.length < CANDIDATES; i++) if (dice[i] >= floor) out.push(touched[i]);
    return out;
  };

  /* Fuzzy score of a term key for the query key, 0-89.9: each query word paired with its most similar
   * term word (each term word used once), weighted by length and seen from both sides, so that a
   * misspelt whole term scores above a longer term that contains it, and a query with a word more than
   * the term still finds it. */
  Searcher.prototype.fuzzyScore = function (key, qWords, open, term) {
    const tWords = term.split(" ");
    let queryMatched = 0, queryTotal = 0, termMatched = 0;
    const used = new Set();
    qWords.forEach((q, i) => {
      let best = 0, bestAt = -1;
      tWords.forEach((w, j) => {
        if (used.has(j)) return;
        const s = wordSimilarity(q, w, open && i === qWords.length - 1);
        if (s > best) { best = s; bestAt = j; }
      });
      if (bestAt >= 0 && best > 0) { used.add(bestAt); termMatched += best * tWords[bestAt].length; }
      queryMatched += best * q.length;
      queryTotal += q.length;
    });
    const querySide = queryTotal ? queryMatched / queryTotal : 0;
    const termSide = termMatched / (term.replace(/ /g, "").length || 1);
    let score = 100 * (0.65 * querySide + 0.35 * termSide);
    // whole-string closeness, for keys whose words are split differently (a space typed or missed)
    const limit = Math.max(1, Math.floor(key.length / 4));
    const d = editDistance(key, term, limit);
    if (d <= limit) score = Math.max(score, 100 * (1 - d / Math.max(key.length, term.length)));
    return 0.899 * score;  // below the exact, initials and prefix tiers, order kept
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
    const length = Array.from(compact).length;
    const open = !/\s$/.test(query);  // the last word may still be being typed
    const minScore = length <= SHORT_QUERY ? SHORT_MIN_SCORE : MIN_SCORE;
    const keys = this.keys, scores = this.scores, touched = [];
    const offer = (e, s) => {
      if (scores[e] === 0) touched.push(e);
      if (s > scores[e]) scores[e] = s;
    };

    for (const e of this.occurrences("\n" + compact + "\n", [], true)) offer(e, 100);
    const initials = this.index.initials;  // a plain object: "constructor" must not find its prototype's
    if (!key.includes(" ") && Object.prototype.hasOwnProperty.call(initials, compact)) {
      for (const e of initials[compact]) offer(e, 90);
    }

    // the term starts with the query
    for (const e of this.occurrences("\n" + key, [])) offer(e, 92 + 4 * key.length / keys[e].length);
    // every query word starts a word of the term: look for the longest word, check the others
    const qWords = key.split(" ");
    const longest = qWords.reduce((a, b) => (b.length > a.length ? b : a));
    const found = this.occurrences(" " + longest, qWords.length > 1 ? this.occurrences("\n" + longest, []) : []);
    for (const e of found) {
      if (scores[e] >= 92) continue;
      if (qWords.length === 1) { offer(e, 85 + 6 * key.length / keys[e].length); continue; }  // found at a word start
      const tWords = keys[e].split(" ");
      if (qWords.every((w) => tWords.some((t) => t.startsWith(w)))) offer(e, 85 + 6 * key.length / keys[e].length);
    }

    // fuzzy: one or two letters are a prefix or nothing
    if (length > 2) {
      const han = Array.from(compact).some(this.fold.isHan);
      for (const e of this.candidates(key)) {
        if (scores[e] >= 90) continue;
        offer(e, han ? this.hanScore(compact, keys[e]) : this.fuzzyScore(key, qWords, open, keys[e]));
      }
    }
    const hits = this.rank(touched, limit, minScore);
    for (const e of touched) scores[e] = 0;
    return hits;
  };

  /* One hit per concept, the best of its terms; ties go to head terms, then shorter terms, then file order. */
  Searcher.prototype.rank = function (touched, limit, minScore) {
    const idx = this.index, scores = this.scores;
    const better = (a, b) => {
      if (scores[a] !== scores[b]) return scores[a] > scores[b];
      const ha = this.isHead[idx.meta[a] & 3], hb = this.isHead[idx.meta[b] & 3];
      if (ha !== hb) return ha;
      const la = idx.keys[a].length, lb = idx.keys[b].length;
      return la !== lb ? la < lb : a < b;
    };
    // the best term of each concept
    const bestOf = this.bestOf, owners = [];
    for (const e of touched) {
      if (scores[e] < minScore) continue;
      const c = idx.owner[e], held = bestOf[c];
      if (held < 0) { owners.push(c); bestOf[c] = e; } else if (better(e, held)) bestOf[c] = e;
    }
    let entries = owners.map((c) => bestOf[c]);
    for (const c of owners) bestOf[c] = -1;
    if (entries.length > 4 * limit) {  // sort only what can make the list: scores at least the limit-th best
      const values = Float32Array.from(entries, (e) => -scores[e]).sort();
      const floor = -values[limit - 1];
      entries = entries.filter((e) => scores[e] >= floor);
    }
    entries.sort((a, b) => (better(a, b) ? -1 : 1));
    return entries.slice(0, limit).map((e) => ({ concept: idx.owner[e], entry: e, score: Math.round(scores[e] * 10) / 10 }));
  };

  root.GlossarySearch = { Searcher: Searcher, editDistance: editDistance };
})(typeof window !== "undefined" ? window : globalThis);
