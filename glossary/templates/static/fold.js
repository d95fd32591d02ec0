/* Query folding for the CTBT verification glossary: the browser's copy of `glossary lookup`'s key.
 *
 * Index keys are made in Python by glossary.lookup.match_key; this file folds a query the same way,
 * step by step, with tables the export reads out of glossary.textnorm and Python's Unicode database
 * (see glossary/site_index.py for the correspondence). No step is decided here.
 */
(function (root) {
  "use strict";

  function mapChars(text, table) {
    let out = "";
    for (const ch of text) {
      const mapped = table[ch];
      out += mapped === undefined ? ch : mapped;
    }
    return out;
  }

  function makeFolder(t) {
    const arabicMarks = new RegExp(t.arabicMarks, "gu");
    const arabicArticle = new RegExp(t.arabicArticle, "gu");
    const combining = new RegExp(t.combining, "gu");
    const apostrophes = new RegExp("[" + t.apostrophes.replace(/[\\\]^-]/g, "\\$&") + "]", "gu");
    const nonWord = /[^\p{L}\p{N}]+/gu;
    const hanChar = new RegExp("[" + t.han + "]", "u");
    const spaceBetweenHan = new RegExp("(?<=[" + t.han + "]) (?=[" + t.han + "])", "gu");
    const unprotect = {};
    for (const [letter, placeholder] of Object.entries(t.protect)) unprotect[placeholder] = letter;
    const digits = {};
    for (const zero of t.digitZeros) {
      for (let d = 0; d < 10; d++) digits[String.fromCodePoint(zero + d)] = String(d);
    }

    /* textnorm.search_key */
    function searchKey(text) {
      let s = mapChars(text.normalize("NFKC").toLowerCase(), t.casefold);      // NFKC + casefold
      if (hanChar.test(s)) s = mapChars(s, t.traditional);                      // fold_traditional
      s = mapChars(s.replace(arabicMarks, ""), t.arabicLetters);                // fold_arabic
      s = s.replace(/ё/g, "е");                                                 // fold_cyrillic
      s = mapChars(s, t.ligatures);
      if (!/^[\x00-\x7f]*$/.test(s)) {                                          // strip_accents
        s = mapChars(mapChars(s, t.protect).normalize("NFD").replace(combining, "").normalize("NFC"), unprotect);
      }
      s = mapChars(s, digits);                                                  // fold_digits
      s = s.replace(apostrophes, "").replace(nonWord, " ").trim();              // fold_punctuation
      return s.includes(" ") ? s.replace(spaceBetweenHan, "") : s;
    }

    /* lookup.match_key: the search key without the Arabic article */
    function matchKey(text) {
      const key = searchKey(text);
      if (!key.includes("ال") && !key.includes("لل")) return key;
      return key.replace(arabicArticle, "");
    }

    return { searchKey: searchKey, matchKey: matchKey, isHan: function (ch) { return hanChar.test(ch); } };
  }

  root.GlossaryFold = { makeFolder: makeFolder };
})(typeof window !== "undefined" ? window : globalThis);
