/* The search page: search as you type, results as links to the concept cards, keyboard navigation.
 * Reads window.GLOSSARY (search-index.js), so it works from file:// where fetch() of local files is refused. */
(function () {
  "use strict";

  const LANGUAGE_NAMES = { ar: "Arabic", zh: "Chinese", en: "English", fr: "French", ru: "Russian", es: "Spanish" };
  const BCP47 = { zh: "zh-Hans" };
  const TYPE_LABELS = { abbreviation: "abbreviation", shortForm: "short form", variant: "variant", fullForm: "full form" };

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (name === "text") node.textContent = value; else node.setAttribute(name, value);
    }
    for (const child of children || []) if (child) node.appendChild(child);
    return node;
  }

  function termSpan(lang, text, extraClass) {
    return el("span", { class: "term-text " + (extraClass || ""), lang: BCP47[lang] || lang,
                        dir: lang === "ar" ? "rtl" : "ltr", text: text });
  }

  function start() {
    const data = window.GLOSSARY;
    const input = document.getElementById("q");
    const list = document.getElementById("results");
    const status = document.getElementById("search-status");
    if (!data || !input || !list) return;
    const index = data.index;

    // index.html#ims.some-concept -> the card on its domain page (ids are stable; pages may change)
    const wanted = decodeURIComponent(location.hash.slice(1));
    if (wanted) {
      const found = index.concepts.find((c) => c[0] === wanted);
      if (found) { location.replace(index.pages[found[1]] + "#" + encodeURIComponent(wanted)); return; }
    }

    const searcher = new window.GlossarySearch.Searcher(index, window.GlossaryFold.makeFolder(data.fold));
    // the n-gram index for typo tolerance is built while the reader is still reading the page
    const slice = () => { if (!searcher.buildGrams(30)) setTimeout(slice, 0); };
    setTimeout(slice, 0);

    function hrefOf(concept) {
      return index.pages[concept[1]] + "#" + concept[0];
    }

    function render(query) {
      list.replaceChildren();
      list.dataset.query = query;  // what the list shows results for (tests wait on it)
      if (!query.trim()) {
        status.textContent = "";
        list.hidden = true;
        return;
      }
      const hits = searcher.search(query, 20);
      list.hidden = hits.length === 0;
      status.textContent = hits.length ? `${hits.length} concept${hits.length === 1 ? "" : "s"} found`
                                       : `No concept matches “${query.trim()}”.`;
      for (const hit of hits) {
        const concept = index.concepts[hit.concept];
        const [id, domain, subject, heads] = concept;
        const meta = index.meta[hit.entry];
        const lang = index.languages[meta >> 5];
        const type = index.types[(meta >> 2) & 7];
        const termStatus = index.statuses[meta & 3];
        const title = heads[2] >= 0 ? index.texts[heads[2]] : (heads.some((h) => h >= 0) ? index.texts[heads.find((h) => h >= 0)] : id);
        const terms = el("span", { class: "hit-terms" }, index.languages.map((l, i) => {
          const head = heads[i];
          const proposed = head >= 0 && index.statuses[index.meta[head] & 3] === "proposed";
          return el("span", { class: "hit-term" + (proposed ? " status-proposed" : "") }, [
            el("span", { class: "lang-code", "aria-hidden": "true", text: l }),
            head >= 0 ? termSpan(l, index.texts[head]) : el("span", { class: "missing", text: "—" }),
            proposed ? el("span", { class: "badge badge-proposed", text: "proposed" }) : null,
          ]);
        }));
        const link = el("a", { class: "hit-link", href: hrefOf(concept) }, [
          el("span", { class: "hit-head" }, [
            termSpan("en", title, "hit-title"),
            el("code", { class: "hit-id", text: id }),
            el("span", { class: "hit-where", text: subject ? `${domain} · ${subject}` : domain }),
          ]),
          el("span", { class: "hit-matched" }, [
            document.createTextNode(`${LANGUAGE_NAMES[lang]} ${TYPE_LABELS[type] || type}, ${termStatus}: `),
            termSpan(lang, index.texts[hit.entry]),
          ]),
          terms,
        ]);
        list.appendChild(el("li", { class: "hit" }, [link]));
      }
    }

    let pending = 0;
    input.addEventListener("input", () => {
      cancelAnimationFrame(pending);
      pending = requestAnimationFrame(() => {
        render(input.value);
        const url = new URL(location.href);
        if (input.value) url.searchParams.set("q", input.value); else url.searchParams.delete("q");
        try {  // keeps the query in the address, so Back and a bookmark return to it
          history.replaceState(null, "", url.search ? url.pathname + url.search : url.pathname);
        } catch (e) { /* some browsers refuse history changes on file:// pages; searching still works */ }
      });
    });

    // keyboard: Down/Up walk the results, Enter opens, Escape clears and returns to the box
    function links() { return Array.from(list.querySelectorAll("a.hit-link")); }
    input.addEventListener("keydown", (event) => {
      const all = links();
      if (event.key === "ArrowDown" && all.length) { event.preventDefault(); all[0].focus(); }
      else if (event.key === "Enter" && all.length) { event.preventDefault(); all[0].click(); }
      else if (event.key === "Escape") { input.value = ""; render(""); }
    });
    list.addEventListener("keydown", (event) => {
      const all = links();
      const at = all.indexOf(document.activeElement);
      if (at < 0) return;
      if (event.key === "ArrowDown" && at + 1 < all.length) { event.preventDefault(); all[at + 1].focus(); }
      else if (event.key === "ArrowUp") { event.preventDefault(); (at > 0 ? all[at - 1] : input).focus(); }
      else if (event.key === "Escape") { event.preventDefault(); input.focus(); }
    });

    window.glossarySearchPage = { searcher: searcher, render: render };  // for measuring and testing

    const initial = new URLSearchParams(location.search).get("q");
    if (initial) { input.value = initial; }
    render(input.value);
  }

  // "/" focuses the search box on every page, as on most reference sites
  document.addEventListener("keydown", (event) => {
    const box = document.getElementById("q") || document.getElementById("header-q");
    if (event.key === "/" && box && document.activeElement !== box &&
        !/^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName)) {
      event.preventDefault();
      box.focus();
      box.select();
    }
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
