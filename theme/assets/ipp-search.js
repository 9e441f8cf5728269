// Static search for 知识产权规划参考站. Mirrors generator/search.py: the same normalisation,
// the same character pairs and the same FNV-1a hash that assigns a pair to its shard.
// Loaded only on the search page; fetches only the shards of the query's pairs and the text
// files of the pages it shows (or must check).
(function () {
  "use strict";
  var script = document.currentScript;
  var indexBase = new URL(script.getAttribute("data-index"), location.href);
  var siteRoot = new URL(script.getAttribute("data-root"), location.href);
  var PAGE_SIZE = 20;
  var BATCH = 24;           // page files fetched at once
  var MAX_FETCH = 240;      // page files one click may fetch while checking candidates
  var LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
  var cache = new Map();

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

  function pairs(chars) {
    var result = [];
    for (var i = 0; i + 1 < chars.length; i++) result.push(chars[i] + chars[i + 1]);
    return result;
  }

  function fetchJson(name) {
    if (!cache.has(name)) {
      cache.set(name, fetch(new URL(name, indexBase)).then(function (response) {
        if (!response.ok) throw new Error(name + ": " + response.status);
        return response.json();
      }));
    }
    return cache.get(name);
  }

  // [[page, first, delta…], …] → Map(page → Set of positions).
  function decodePositions(lists) {
    var pages = new Map();
    (lists || []).forEach(function (list) {
      var positions = new Set();
      var position = 0;
      for (var i = 1; i < list.length; i++) {
        position = i === 1 ? list[1] : position + list[i];
        positions.add(position);
      }
      pages.set(list[0], positions);
    });
    return pages;
  }

  // A pair's entry: rare → positions everywhere; common → its pages, and positions in titles only.
  function decodePair(entry) {
    if (!entry) return { positions: new Map(), pages: new Set(), exact: true };
    if (Array.isArray(entry)) {
      var positions = decodePositions(entry);
      return { positions: positions, pages: new Set(positions.keys()), exact: true };
    }
    var pages = new Set();
    var page = 0;
    entry.p.forEach(function (delta, i) { page = i === 0 ? delta : page + delta; pages.add(page); });
    return { positions: decodePositions(entry.t), pages: pages, exact: false };
  }

  // Pages where the position maps put the pairs next to each other. Map(page → {count, inTitle}).
  function adjacent(maps, bodyOffset) {
    var hits = new Map();
    maps[0].forEach(function (positions, page) {
      var count = 0;
      var inTitle = false;
      positions.forEach(function (start) {
        for (var i = 1; i < maps.length; i++) {
          var other = maps[i].get(page);
          if (!other || !other.has(start + i)) return;
        }
        count += 1;
        if (start < bodyOffset) inTitle = true;
      });
      if (count) hits.set(page, { count: count, inTitle: inTitle });
    });
    return hits;
  }

  function weigh(hit) { return hit.count + (hit.inTitle ? 10 : 0); }

  // One phrase: pages known to contain it (with a score) and pages that may, to be checked.
  function phrase(chars, postings, bodyOffset) {
    var infos = pairs(chars).map(function (pair) { return postings.get(pair); });
    var known = new Map();
    var pending = new Set();
    if (!infos.length) return { known: known, pending: pending };
    adjacent(infos.map(function (i) { return i.positions; }), bodyOffset).forEach(function (hit, page) {
      known.set(page, weigh(hit));
    });
    if (infos.every(function (i) { return i.exact; })) return { known: known, pending: pending };
    // Common pairs have no body positions: candidates are pages holding every pair, whose rare
    // pairs stand at the right distances from one another.
    var rare = [];
    infos.forEach(function (info, offset) { if (info.exact) rare.push([offset, info.positions]); });
    var smallest = infos.reduce(function (a, b) { return a.pages.size <= b.pages.size ? a : b; });
    smallest.pages.forEach(function (page) {
      if (known.has(page)) return;
      for (var i = 0; i < infos.length; i++) if (!infos[i].pages.has(page)) return;
      if (rare.length) {
        var first = rare[0][1].get(page);
        var aligned = Array.from(first).some(function (position) {
          var start = position - rare[0][0];
          return rare.every(function (r) { var p = r[1].get(page); return p && p.has(start + r[0]); });
        });
        if (!aligned) return;
      }
      pending.add(page);
    });
    return { known: known, pending: pending };
  }

  // The reading order of results: whole query as a phrase (known, then to check), every term as a
  // phrase (known, then to check), then pages holding most of the pairs in any order.
  function plan(query, config, postings) {
    var terms = query.split(/\s+/).map(normaliseChars).filter(function (t) { return t.length >= 2; });
    if (!terms.length) return null;
    var whole = normaliseChars(query);
    var wholeHits = phrase(whole, postings, config.bodyOffset);
    var termHits = terms.map(function (t) { return phrase(t, postings, config.bodyOffset); });
    var placed = new Set();
    var queue = [];
    function add(entries, tier, check) {
      entries.forEach(function (entry) {
        if (placed.has(entry[0])) return;
        placed.add(entry[0]);
        queue.push({ page: entry[0], tier: tier, check: check });
      });
    }
    function byScore(map) {
      return Array.from(map.entries()).sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
    }
    function byPage(set) { return Array.from(set).sort(function (a, b) { return a - b; }).map(function (p) { return [p]; }); }

    add(byScore(wholeHits.known), 0, null);
    add(byPage(wholeHits.pending), 0, [whole.join("")]);
    var everyTerm = new Map();
    var unsure = new Set();
    termHits[0].known.forEach(function (_, page) { everyTerm.set(page, 0); });
    termHits[0].pending.forEach(function (page) { everyTerm.set(page, 0); });
    everyTerm.forEach(function (_, page) {
      var score = 0;
      for (var i = 0; i < termHits.length; i++) {
        if (termHits[i].known.has(page)) score += termHits[i].known.get(page);
        else if (termHits[i].pending.has(page)) unsure.add(page);
        else { everyTerm.delete(page); unsure.delete(page); return; }
      }
      everyTerm.set(page, score);
    });
    var sure = new Map();
    everyTerm.forEach(function (score, page) { if (!unsure.has(page)) sure.set(page, score); });
    add(byScore(sure), 1, null);
    add(byPage(unsure), 1, terms.map(function (t) { return t.join(""); }));

    var termPairs = new Set();
    terms.forEach(function (t) { pairs(t).forEach(function (p) { termPairs.add(p); }); });
    if (termPairs.size >= 3) {
      var presence = new Map();
      termPairs.forEach(function (pair) {
        postings.get(pair).pages.forEach(function (page) { presence.set(page, (presence.get(page) || 0) + 1); });
      });
      var partial = new Map();
      presence.forEach(function (count, page) {
        if (count / termPairs.size >= 0.75) partial.set(page, count / termPairs.size);
      });
      add(byScore(partial), 2, null);
    }
    return queue;
  }

  function contains(page, needles) {
    var text = normalise(page[1]) + "|" + normalise(page[3]);
    return needles.every(function (needle) { return text.indexOf(needle) >= 0; });
  }

  // A stretch of the page's text around the first match, else its beginning.
  function snippet(text, query) {
    var needles = query.split(/\s+/).map(normalise).filter(Boolean).concat([normalise(query)]);
    var flat = "";
    var origin = [];
    Array.from(text).forEach(function (c, index) {
      normaliseChars(c).forEach(function (n) { flat += n; origin.push(index); });
    });
    var chars = Array.from(text);
    var at = -1;
    needles.forEach(function (needle) {
      var found = flat.indexOf(needle);
      if (found >= 0 && (at < 0 || found < at)) at = found;
    });
    var start = at < 0 ? 0 : Math.max(0, origin[at] - 40);
    var piece = chars.slice(start, start + 140).join("").replace(/\s+/g, " ");
    return (start > 0 ? "…" : "") + piece + (start + 140 < chars.length ? "…" : "");
  }

  function highlight(element, text, query) {
    var needles = query.split(/\s+/).filter(Boolean);
    var lower = text.toLowerCase();
    var at = 0;
    while (at < text.length) {
      var next = -1;
      var length = 0;
      needles.forEach(function (needle) {
        var found = lower.indexOf(needle.toLowerCase(), at);
        if (found >= 0 && (next < 0 || found < next)) { next = found; length = needle.length; }
      });
      if (next < 0) { element.appendChild(document.createTextNode(text.slice(at))); break; }
      element.appendChild(document.createTextNode(text.slice(at, next)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(next, next + length);
      element.appendChild(mark);
      at = next + length;
    }
  }

  function render(list, result, page, query) {
    var item = document.createElement("li");
    item.className = "ipp-search-result" + (result.tier === 2 ? " ipp-partial" : "");
    var link = document.createElement("a");
    link.href = new URL(page[0], siteRoot).href;
    highlight(link, page[1], query);
    item.appendChild(link);
    var context = document.createElement("span");
    context.className = "ipp-muted";
    context.textContent = " " + [page[2], result.tier === 2 ? "部分匹配" : ""].filter(Boolean).join(" · ");
    item.appendChild(context);
    var summary = document.createElement("p");
    summary.className = "ipp-summary";
    highlight(summary, snippet(page[3], query), query);
    item.appendChild(summary);
    list.appendChild(item);
  }

  // Walk the queue from `state.next`: fetch page files in batches, drop candidates that do not
  // hold the query, show up to PAGE_SIZE results.
  function showMore(state, query, list) {
    var shown = 0;
    var fetched = 0;
    function step() {
      if (shown >= PAGE_SIZE || state.next >= state.queue.length || fetched >= MAX_FETCH) return Promise.resolve();
      var batch = state.queue.slice(state.next, state.next + BATCH);
      state.next += batch.length;
      fetched += batch.length;
      return Promise.all(batch.map(function (r) { return fetchJson("page/" + r.page + ".json"); })).then(function (pages) {
        for (var i = 0; i < batch.length; i++) {
          if (shown >= PAGE_SIZE) { state.next -= batch.length - i; break; }  // the rest waits, cached
          var result = batch[i];
          if (result.check && !contains(pages[i], result.check)) continue;
          if (result.tier < 2) state.found += 1;
          render(list, result, pages[i], query);
          shown += 1;
        }
        return step();
      });
    }
    return step();
  }

  function run(query) {
    var status = document.getElementById("ipp-search-status");
    var list = document.getElementById("ipp-search-results");
    var more = document.getElementById("ipp-search-more");
    list.textContent = "";
    more.hidden = true;
    if (!query.trim()) { status.textContent = ""; return; }
    status.textContent = "正在搜索……";
    fetchJson("config.json").then(function (config) {
      var wanted = new Set();
      query.split(/\s+/).concat([query]).forEach(function (t) {
        pairs(normaliseChars(t)).forEach(function (p) { wanted.add(p); });
      });
      var shardIds = Array.from(new Set(Array.from(wanted).map(function (p) { return fnv1a(p) % config.shards; })));
      return Promise.all(shardIds.map(function (id) { return fetchJson("shard-" + id + ".json"); })).then(function (loaded) {
        var shards = new Map();
        shardIds.forEach(function (id, i) { shards.set(id, loaded[i]); });
        var postings = new Map();
        wanted.forEach(function (pair) {
          postings.set(pair, decodePair(shards.get(fnv1a(pair) % config.shards)[pair]));
        });
        var queue = plan(query, config, postings);
        if (queue === null) { status.textContent = "请输入至少两个字（或两个字母、数字）。"; return; }
        var state = { queue: queue, next: 0, found: 0 };
        function update() {
          var partial = list.querySelectorAll(".ipp-partial").length;
          var left = state.queue.length - state.next;
          more.hidden = left <= 0;
          if (!list.children.length) {
            status.textContent = left > 0 ? "尚未找到完整匹配，可继续核对。" : "没有找到包含“" + query + "”的页面。";
          } else {
            status.textContent = "已列出 " + state.found + " 个完整匹配的页面" +
              (partial ? "、" + partial + " 个部分匹配" : "") + (left > 0 ? "；还有更多结果。" : "。");
          }
        }
        more.onclick = function () { showMore(state, query, list).then(update); };
        return showMore(state, query, list).then(update);
      });
    }).then(function () {
      document.body.setAttribute("data-search-done", query);
    }).catch(function (error) {
      status.textContent = "搜索索引加载失败：" + error.message;
    });
  }

  var query = new URLSearchParams(location.search).get("q") || "";
  ["ipp-q", "ipp-header-q"].forEach(function (id) {
    var input = document.getElementById(id);
    if (input) input.value = query;
  });
  run(query);
})();
