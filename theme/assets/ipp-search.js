// Static search for 知识产权规划参考站. Mirrors generator/search.py: the same normalisation, the
// same FNV-1a hash that assigns a gram to its shard, the same base64url varints.
// Loaded only on the search page. A query costs: the shards of its pairs, then the shards of the
// few longer grams that answer it exactly, then the text files of the results on screen.
(function () {
  "use strict";
  var script = document.currentScript;
  var indexBase = new URL(script.getAttribute("data-index"), location.href);
  var siteRoot = new URL(script.getAttribute("data-root"), location.href);
  var config = JSON.parse(document.getElementById("ipp-search-config").textContent);
  var SCREEN = 10;            // results per batch (each needs its page's text file) …
  var FIRST = 5;              // … of which the first screen shows these as soon as they arrive
  var ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var DIGIT = {};
  for (var d = 0; d < ALPHABET.length; d++) DIGIT[ALPHABET[d]] = d;
  var LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
  var cache = new Map();

  // -- text and index encoding -----------------------------------------------------------------
  function normaliseChars(text) {
    return Array.from(text.normalize("NFKC").toLowerCase()).filter(function (c) {
      return LETTER_OR_DIGIT.test(c);
    });
  }
  function normalise(text) { return normaliseChars(text).join(""); }

  function fnv1a(text) {
    var hash = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash >>> 0;
  }

  function varints(text) {
    var numbers = [];
    var value = 0;
    var shift = 0;
    for (var i = 0; i < text.length; i++) {
      var digit = DIGIT[text[i]];
      if (digit >= 32) { value += (digit - 32) * Math.pow(2, shift); shift += 5; continue; }
      numbers.push(value + digit * Math.pow(2, shift));
      value = 0;
      shift = 0;
    }
    return numbers;
  }

  function ascending(deltas) {
    var page = 0;
    return deltas.map(function (delta) { page += delta; return page; });
  }

  // Rare gram: Map(page → Set of positions).
  function positions(text) {
    var numbers = varints(text);
    var pages = new Map();
    var page = 0;
    for (var i = 0; i < numbers.length;) {
      page += numbers[i];
      var count = numbers[i + 1];
      var at = numbers[i + 2];
      var set = new Set([at]);
      for (var k = 1; k < count; k++) { at += numbers[i + 2 + k]; set.add(at); }
      pages.set(page, set);
      i += 2 + count;
    }
    return pages;
  }

  // Common gram: its pages and the pages holding it in their title.
  function pageList(text) {
    var parts = text.split(".");
    var pages = [];
    if (parts[0][0] === "b") {
      for (var i = 1; i < parts[0].length; i++) {
        var bits = DIGIT[parts[0][i]];
        for (var b = 0; b < 6; b++) if (bits & (1 << b)) pages.push((i - 1) * 6 + b);
      }
    } else {
      pages = ascending(varints(parts[0].slice(1)));
    }
    return { pages: pages, titled: new Set(ascending(varints(parts[1] || ""))) };
  }

  function fetchFile(name, read) {
    if (!cache.has(name)) {
      cache.set(name, fetch(new URL(name, indexBase)).then(function (response) {
        if (!response.ok) throw new Error(name + ": " + response.status);
        return response[read]();
      }));
    }
    return cache.get(name);
  }
  function fetchJson(name) { return fetchFile(name, "json"); }
  function fetchText(name) { return fetchFile(name, "text"); }

  // Entries of the given keys from one shard family: Map(key → entry or undefined).
  function lookup(family, keys) {
    var count = config.shards[family];
    var byShard = new Map();
    keys.forEach(function (key) {
      var shard = fnv1a(key) % count;
      if (!byShard.has(shard)) byShard.set(shard, []);
      byShard.get(shard).push(key);
    });
    var found = new Map();
    return Promise.all(Array.from(byShard.keys()).map(function (shard) {
      return fetchJson(family + "-" + shard + ".json").then(function (entries) {
        byShard.get(shard).forEach(function (key) { found.set(key, entries[key]); });
      });
    })).then(function () { return found; });
  }

  // -- exact phrase answers --------------------------------------------------------------------
  function pairsOf(chars) {
    var result = [];
    for (var i = 0; i + 1 < chars.length; i++) result.push(chars[i] + chars[i + 1]);
    return result;
  }

  // What the pair entries say about longer grams: common ones keep only their page list.
  function Grams(pairEntries) {
    this.pairs = pairEntries;
    this.extensions = new Map();
  }
  Grams.prototype.absent = function (chars) {
    var self = this;
    return pairsOf(chars).some(function (pair) { return self.pairs.get(pair) === undefined; });
  };
  Grams.prototype.common = function (chars) {
    if (chars.length < 2 || chars.length >= config.maxGram) return false;
    var entry = this.pairs.get(chars[0] + chars[1]);
    if (typeof entry !== "string" || entry[0] !== "~") return false;
    if (chars.length === 2) return true;
    var pair = chars[0] + chars[1];
    if (!this.extensions.has(pair)) this.extensions.set(pair, new Set(entry.slice(1).split(",")));
    return this.extensions.get(pair).has(chars.slice(2).join(""));
  };
  Grams.prototype.indexed = function (chars) {
    return chars.length === 2 || (chars.length <= config.maxGram &&
      (this.common(chars.slice(0, -1)) || this.common(chars.slice(1))));
  };

  // How to answer one phrase: its own page list, its own positions, or rare grams that cover it.
  function planPhrase(chars, grams) {
    if (grams.absent(chars)) return { none: true };
    if (grams.common(chars)) return { list: chars.join("") };
    if (grams.indexed(chars)) return { cover: [[0, chars.join("")]] };
    var n = chars.length;
    function rareFrom(start) {  // the shortest rare gram from `start`, or null
      for (var end = start + 2; end <= Math.min(n, start + config.maxGram); end++) {
        if (!grams.common(chars.slice(start, end))) return chars.slice(start, end).join("");
      }
      return null;
    }
    function bestFrom(start) {  // the tail, if its own tail is common; else the shortest rare gram
      var tail = chars.slice(start);
      if (tail.length <= config.maxGram && grams.common(tail.slice(1)) && !grams.common(tail)) return tail.join("");
      return rareFrom(start);
    }
    var cover = [[0, rareFrom(0)]];
    var end = Array.from(cover[0][1]).length;
    while (end < n) {
      var best = null;
      for (var start = 1; start <= end && start < n - 1; start++) {
        var gram = bestFrom(start);
        if (gram === null) break;  // this tail is common, so are the shorter ones
        var reach = start + Array.from(gram).length;
        if (!best || reach > best[2]) best = [start, gram, reach];
      }
      if (!best) return { none: true };  // cannot happen with a consistent index
      cover.push([best[0], best[1]]);
      end = best[2];
    }
    return { cover: cover };
  }

  // Pages where the cover grams stand at their offsets: Map(page → {count, title}).
  function align(cover) {
    var hits = new Map();
    if (cover.some(function (c) { return !c[2]; })) return hits;
    var driver = cover.reduce(function (a, b) { return a[2].size <= b[2].size ? a : b; });
    driver[2].forEach(function (driverPositions, page) {
      var others = cover.map(function (c) { return c[2].get(page); });
      if (others.some(function (o) { return !o; })) return;
      var count = 0;
      var title = false;
      driverPositions.forEach(function (position) {
        var start = position - driver[0];
        for (var i = 0; i < cover.length; i++) if (!others[i].has(start + cover[i][0])) return;
        count += 1;
        if (start < config.titleLimit) title = true;
      });
      if (count) hits.set(page, { count: count, title: title });
    });
    return hits;
  }

  // Every phrase → Map(page → {count, title}), exactly, from two rounds of shard fetches.
  function answer(phrases) {
    var pairs = new Set();
    phrases.forEach(function (chars) { pairsOf(chars).forEach(function (p) { pairs.add(p); }); });
    return lookup("p", pairs).then(function (pairEntries) {
      var grams = new Grams(pairEntries);
      var plans = phrases.map(function (chars) { return planPhrase(chars, grams); });
      var keys = new Set();
      plans.forEach(function (plan) {
        if (plan.list) keys.add("#" + plan.list);
        (plan.cover || []).forEach(function (c) { if (Array.from(c[1]).length > 2) keys.add(c[1]); });
      });
      return lookup("g", keys).then(function (gramEntries) {
        return plans.map(function (plan) {
          if (plan.none) return new Map();
          if (plan.list) {
            var list = pageList(gramEntries.get("#" + plan.list));
            var hits = new Map();
            list.pages.forEach(function (page) { hits.set(page, { count: 1, title: list.titled.has(page) }); });
            return hits;
          }
          return align(plan.cover.map(function (c) {
            var entry = Array.from(c[1]).length > 2 ? gramEntries.get(c[1]) : pairEntries.get(c[1]);
            return [c[0], c[1], typeof entry === "string" ? positions(entry) : null];
          }));
        });
      });
    });
  }

  // -- a query: terms, synonyms, ranking -------------------------------------------------------
  // Each term with the printed forms it stands for (工信部 → 工业和信息化部).
  function parse(query) {
    var said = [];
    var typed = query.split(/\s+/).map(normaliseChars).filter(function (t) { return t.length >= 2; });
    var terms = typed.map(function (chars) {
      var forms = [chars];
      var synonym = config.synonyms[chars.join("")];
      var target = synonym && synonym[0];
      if (target) {
        if (!synonym[1]) forms = [];  // the form itself occurs nowhere
        forms.push(normaliseChars(target));
        if (said.indexOf(target) < 0) said.push(target);
      }
      return forms;
    });
    return { terms: terms, typed: typed, said: said };
  }

  function unite(maps) {
    var result = new Map();
    maps.forEach(function (map) {
      map.forEach(function (hit, page) {
        var known = result.get(page);
        if (!known) result.set(page, { count: hit.count, title: hit.title });
        else { known.count += hit.count; known.title = known.title || hit.title; }
      });
    });
    return result;
  }

  // All pages holding every term (in any of its forms), scored: the department's own page, then
  // the whole query as one phrase, then terms in the title, then the number of occurrences.
  function match(parsed) {
    var phrases = [];
    parsed.terms.forEach(function (forms) { forms.forEach(function (f) { phrases.push(f); }); });
    var whole = parsed.terms.length > 1 ? parsed.typed.reduce(function (a, b) { return a.concat(b); }) : null;
    if (whole) phrases.push(whole);
    return answer(phrases).then(function (answers) {
      var at = 0;
      var perTerm = parsed.terms.map(function (forms) {
        var maps = answers.slice(at, at + forms.length);
        at += forms.length;
        return unite(maps);
      });
      var wholeHits = whole ? answers[at] : new Map();
      var own = new Set();
      parsed.terms.forEach(function (forms) {
        forms.forEach(function (f) {
          var page = config.departments[f.join("")];
          if (page !== undefined) own.add(page);
        });
      });
      var results = [];
      perTerm[0].forEach(function (_, page) {
        var score = 0;
        for (var i = 0; i < perTerm.length; i++) {
          var hit = perTerm[i].get(page);
          if (!hit) return;
          score += Math.min(hit.count, 99) + (hit.title ? 1000 : 0);
        }
        if (wholeHits.has(page)) score += 100000;
        if (own.has(page)) score += 1e7;
        results.push({ page: page, score: score });
      });
      return results;
    });
  }

  // -- filters ---------------------------------------------------------------------------------
  var FILTERS = ["doc", "kind", "year", "dept"];

  function documentOf(page) {
    for (var i = 0; i < config.documents.length; i++) {
      var d = config.documents[i];
      if (page >= d[3] && page <= d[4]) return d;
    }
    return null;
  }

  function facetData(state) {
    var needs = [fetchText("facets.json")];
    if (state.dept) {
      needs.push(lookup("g", ["@" + state.dept]).then(function (found) {
        return new Set(ascending(varints(found.get("@" + state.dept) || "")));
      }));
    }
    return Promise.all(needs).then(function (loaded) {
      return { kinds: loaded[0], dept: loaded[1] || null };
    });
  }

  function passes(page, state, data, skip) {
    var doc = documentOf(page);
    if (skip !== "doc" && state.doc && (!doc || doc[0] !== state.doc)) return false;
    if (skip !== "year" && state.year && (!doc || String(doc[2]) !== state.year)) return false;
    if (skip !== "kind" && state.kind && config.kinds[DIGIT[data.kinds[page]]] !== state.kind) return false;
    if (skip !== "dept" && state.dept && !data.dept.has(page)) return false;
    return true;
  }

  // page → ids of the departments responsible for it (search/departments.json), read once.
  var departmentsOfPage = null;
  function departmentsOf() {
    if (!departmentsOfPage) {
      departmentsOfPage = fetchJson("departments.json").then(function (table) {
        var byPage = new Map();
        Object.keys(table).forEach(function (id) {
          ascending(varints(table[id])).forEach(function (page) {
            if (!byPage.has(page)) byPage.set(page, []);
            byPage.get(page).push(id);
          });
        });
        return byPage;
      });
    }
    return departmentsOfPage;
  }

  // Counts for each value of each facet, over the results that pass the other filters, and under
  // "all" how many results pass the other filters (the count of 全部).
  function facetCounts(results, state, data, departments) {
    var counts = { doc: new Map(), kind: new Map(), year: new Map(), dept: new Map(), all: {} };
    FILTERS.forEach(function (name) { counts.all[name] = 0; });
    results.forEach(function (r) {
      var doc = documentOf(r.page);
      var values = {
        doc: doc ? [doc[0]] : [],
        year: doc ? [String(doc[2])] : [],
        kind: [config.kinds[DIGIT[data.kinds[r.page]]]],
        dept: departments.get(r.page) || [],
      };
      FILTERS.forEach(function (name) {
        if (!passes(r.page, state, data, name)) return;
        counts.all[name] += 1;
        values[name].forEach(function (value) { counts[name].set(value, (counts[name].get(value) || 0) + 1); });
      });
    });
    return counts;
  }

  // -- the page --------------------------------------------------------------------------------
  var form = document.querySelector(".ipp-search-form");
  var input = document.getElementById("ipp-q");
  var status = document.getElementById("ipp-search-status");
  var list = document.getElementById("ipp-search-results");
  var more = document.getElementById("ipp-search-more");
  var help = document.getElementById("ipp-search-help");
  var filterBox = document.getElementById("ipp-search-filters");
  var generation = 0;

  function readState() {
    var params = new URLSearchParams(location.search);
    var state = { q: params.get("q") || "", sort: params.get("sort") === "order" ? "order" : "" };
    FILTERS.forEach(function (f) { state[f] = params.get(f) || ""; });
    return state;
  }

  function writeState(state, replace) {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    FILTERS.forEach(function (f) { if (state[f]) params.set(f, state[f]); });
    if (state.sort) params.set("sort", state.sort);
    var url = location.pathname + (params.toString() ? "?" + params.toString() : "");
    if (replace) history.replaceState(null, "", url);
    else history.pushState(null, "", url);
  }

  function snippet(text, needles) {
    var flat = "";
    var origin = [];
    var chars = Array.from(text);
    chars.forEach(function (c, index) {
      normaliseChars(c).forEach(function (n) { flat += n; origin.push(index); });
    });
    var at = -1;
    needles.forEach(function (needle) {
      var found = flat.indexOf(needle);
      if (found >= 0 && (at < 0 || found < at)) at = found;
    });
    var start = at < 0 ? 0 : Math.max(0, origin[at] - 40);
    var piece = chars.slice(start, start + 140).join("").replace(/\s+/g, " ");
    return (start > 0 ? "…" : "") + piece + (start + 140 < chars.length ? "…" : "");
  }

  function highlight(element, text, needles) {
    var lower = text.toLowerCase();
    var at = 0;
    while (at < text.length) {
      var next = -1;
      var length = 0;
      needles.forEach(function (needle) {
        var found = lower.indexOf(needle.toLowerCase(), at);
        if (found >= 0 && (next < 0 || found < next || (found === next && needle.length > length))) { next = found; length = needle.length; }
      });
      if (next < 0 || !length) { element.appendChild(document.createTextNode(text.slice(at))); break; }
      element.appendChild(document.createTextNode(text.slice(at, next)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(next, next + length);
      element.appendChild(mark);
      at = next + length;
    }
  }

  function renderResult(target, page, words, needles) {
    var item = document.createElement("li");
    item.className = "ipp-search-result";
    var link = document.createElement("a");
    link.href = new URL(page[0], siteRoot).href;
    highlight(link, page[1], words);
    item.appendChild(link);
    var context = document.createElement("span");
    context.className = "ipp-muted";
    context.textContent = page[2] ? " " + page[2] : "";
    item.appendChild(context);
    var summary = document.createElement("p");
    summary.className = "ipp-summary";
    highlight(summary, snippet(page[3], needles), words);
    item.appendChild(summary);
    target.appendChild(item);
  }

  function groupHeading(target, doc) {
    var heading = document.createElement("li");
    heading.className = "ipp-search-group";
    heading.setAttribute("aria-hidden", "true");
    heading.textContent = doc ? doc[1] + "（" + doc[2] + "年）" : "部门与专题";
    target.appendChild(heading);
  }

  // Show results [from, from + count): fetch their text files, then list them.
  function showScreen(view, from, count) {
    var slice = view.results.slice(from, from + count);
    return Promise.all(slice.map(function (r) { return fetchJson("page/" + r.page + ".json"); })).then(function (pages) {
      if (view.generation !== generation) return;
      pages.forEach(function (page, i) {
        if (view.state.sort === "order") {
          var doc = documentOf(slice[i].page);
          var key = doc ? doc[0] : "";
          if (key !== view.lastGroup) { groupHeading(list, doc); view.lastGroup = key; }
        }
        renderResult(list, page, view.words, view.needles);
      });
      view.shown = from + slice.length;
      more.hidden = view.shown >= view.results.length;
    });
  }

  function option(select, value, label) {
    var element = document.createElement("option");
    element.value = value;
    element.textContent = label;
    select.appendChild(element);
  }

  function renderFilters(view, counts) {
    filterBox.hidden = false;
    var state = view.state;
    var facets = {
      doc: config.documents.map(function (d) { return [d[0], d[1]]; }),
      year: Array.from(new Set(config.documents.map(function (d) { return String(d[2]); }))).map(function (y) { return [y, y + "年"]; }),
      kind: config.kinds.map(function (k) { return [k, k]; }),
      dept: config.departmentList,
    };
    FILTERS.forEach(function (name) {
      var select = document.getElementById("ipp-filter-" + name);
      select.textContent = "";
      option(select, "", "全部" + (counts ? "（" + counts.all[name] + "）" : ""));
      facets[name].forEach(function (pair) {
        var count = counts && counts[name] ? counts[name].get(pair[0]) || 0 : null;
        if (count === 0 && state[name] !== pair[0]) return;
        option(select, pair[0], pair[1] + (count === null ? "" : "（" + count + "）"));
      });
      select.value = state[name];
    });
    document.getElementById("ipp-sort").value = state.sort;
  }

  function suggest(query, state) {
    help.hidden = false;
    var box = document.getElementById("ipp-search-suggestions");
    box.textContent = "";
    var wanted = new Set(pairsOf(normaliseChars(query)));
    return fetchJson("terms.json").then(function (terms) {
      var scored = terms.map(function (term) {
        var own = new Set(pairsOf(normaliseChars(term)));
        var shared = 0;
        own.forEach(function (p) { if (wanted.has(p)) shared += 1; });
        return [term, shared ? 2 * shared / (own.size + wanted.size) : 0];
      }).filter(function (t) { return t[1] > 0; }).sort(function (a, b) { return b[1] - a[1]; }).slice(0, 6);
      scored.forEach(function (t) {
        var link = document.createElement("a");
        var params = new URLSearchParams({ q: t[0] });
        link.href = "?" + params.toString();
        link.textContent = t[0];
        link.addEventListener("click", function (event) {
          event.preventDefault();
          go({ q: t[0], sort: state.sort, doc: "", kind: "", year: "", dept: "" });
        });
        if (box.children.length) box.appendChild(document.createTextNode("、"));
        box.appendChild(link);
      });
      document.getElementById("ipp-search-suggested").hidden = !scored.length;
    });
  }

  function run(state) {
    var mine = ++generation;
    var query = state.q;
    // The marks say which search has shown what (tests and the bench wait for them): none yet.
    ["first", "done", "facets"].forEach(function (mark) { document.body.removeAttribute("data-search-" + mark); });
    input.value = query;
    var header = document.getElementById("ipp-header-q");
    if (header) header.value = query;
    list.textContent = "";
    more.hidden = true;
    help.hidden = true;
    filterBox.hidden = true;
    if (!query.trim()) { status.textContent = ""; return Promise.resolve(); }
    var parsed = parse(query);
    if (!parsed.terms.length) { status.textContent = "请输入至少两个字（或两个字母、数字）。"; return done(query); }
    status.textContent = "正在搜索……";
    var said = parsed.said.map(function (t) { return "按‘" + t + "’检索"; }).join("，");
    var words = [];
    var needles = [];
    parsed.terms.forEach(function (forms) {
      forms.forEach(function (f) { needles.push(f.join("")); });
    });
    query.split(/\s+/).filter(Boolean).forEach(function (w) { words.push(w); });
    parsed.said.forEach(function (t) { words.push(t); });
    var filtered = FILTERS.some(function (f) { return state[f]; });
    return match(parsed).then(function (results) {
      if (mine !== generation) return;
      var view = { generation: mine, state: state, words: words, needles: needles, shown: 0, lastGroup: null };
      var ready = filtered ? facetData(state) : Promise.resolve(null);
      return ready.then(function (data) {
        if (mine !== generation) return;
        var kept = data ? results.filter(function (r) { return passes(r.page, state, data); }) : results;
        kept.sort(state.sort === "order" ? function (a, b) { return a.page - b.page; }
          : function (a, b) { return b.score - a.score || a.page - b.page; });
        view.results = kept;
        var lead = said ? said + "。" : "";
        if (!kept.length) {
          status.textContent = lead + (results.length && filtered
            ? "在所选范围内没有找到包含“" + query + "”的页面（不限范围共 " + results.length + " 个）。"
            : "没有找到包含“" + query + "”的页面。");
          if (!results.length) suggest(query, state);
          done(query);
          return results.length ? showCounts(view, results, data) : null;
        }
        status.textContent = (said ? said + "，共 " + kept.length + " 个页面" : "共 " + kept.length + " 个页面包含“" + query + "”") +
          (filtered ? "（已筛选）" : "") + "。";
        return showScreen(view, 0, FIRST).then(function () {
          if (mine !== generation) return;
          document.body.setAttribute("data-search-first", query);
          return showScreen(view, FIRST, SCREEN - FIRST);
        }).then(function () {
          if (mine !== generation) return;
          more.onclick = function () { showScreen(view, view.shown, SCREEN); };
          done(query);
          return showCounts(view, results, data);
        });
      });
    }).catch(function (error) {
      status.textContent = "搜索索引加载失败：" + error.message;
      done(query);
    });
  }

  // The filters at once, their counts when every result's kind and departments are known.
  function showCounts(view, results, data) {
    renderFilters(view, null);
    return Promise.all([data ? Promise.resolve(data) : facetData(view.state), departmentsOf()]).then(function (loaded) {
      if (view.generation !== generation) return;
      renderFilters(view, facetCounts(results, view.state, loaded[0], loaded[1]));
      document.body.setAttribute("data-search-facets", view.state.q);
    });
  }

  function done(query) {
    document.body.setAttribute("data-search-first", query);
    document.body.setAttribute("data-search-done", query);
    return Promise.resolve();
  }

  function go(state, replace) {
    writeState(state, replace);
    return run(state);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    go({ q: input.value.trim(), sort: readState().sort, doc: "", kind: "", year: "", dept: "" });
  });
  var headerForm = document.getElementById("ipp-header-q") && document.getElementById("ipp-header-q").form;
  if (headerForm) {
    headerForm.addEventListener("submit", function (event) {
      event.preventDefault();
      go({ q: document.getElementById("ipp-header-q").value.trim(), sort: "", doc: "", kind: "", year: "", dept: "" });
    });
  }
  FILTERS.concat(["sort"]).forEach(function (name) {
    var select = document.getElementById(name === "sort" ? "ipp-sort" : "ipp-filter-" + name);
    select.addEventListener("change", function () {
      var state = readState();
      state[name] = select.value;
      go(state);
    });
  });
  window.addEventListener("popstate", function () { run(readState()); });

  // ↑/↓ from the search box through the results; Enter opens the focused one (a link).
  document.addEventListener("keydown", function (event) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    var links = Array.from(list.querySelectorAll("li > a"));
    var at = links.indexOf(document.activeElement);
    if (at < 0 && document.activeElement !== input) return;
    event.preventDefault();
    if (event.key === "ArrowDown") (links[at + 1] || links[links.length - 1] || input).focus();
    else if (at <= 0) input.focus();
    else links[at - 1].focus();
  });

  run(readState());
})();
