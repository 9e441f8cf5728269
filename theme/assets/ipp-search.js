// Static search for 知识产权规划参考站. Mirrors generator/search.py: the same normalisation,
// the same character pairs and the same FNV-1a hash that assigns a pair to its shard.
// Loaded only on the search page; fetches only the shards of the query's pairs.
(function () {
  "use strict";
  var script = document.currentScript;
  var indexBase = new URL(script.getAttribute("data-index"), location.href);
  var siteRoot = new URL(script.getAttribute("data-root"), location.href);
  var PAGE_SIZE = 20;
  var LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
  var cache = new Map();

  function normalise(text) {
    return Array.from(text.normalize("NFKC").toLowerCase()).filter(function (c) {
      return LETTER_OR_DIGIT.test(c);
    });
  }

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

  // Postings of one pair: Map(page id → Set of positions), decoded from [page, first, delta…].
  function decode(lists) {
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

  // Pages where the pairs stand next to each other: an exact phrase. Map(page → {count, inTitle}).
  function phraseHits(phrasePairs, postings, bodyOffset) {
    var hits = new Map();
    var first = postings.get(phrasePairs[0]);
    first.forEach(function (positions, page) {
      var count = 0;
      var inTitle = false;
      positions.forEach(function (start) {
        for (var i = 1; i < phrasePairs.length; i++) {
          var other = postings.get(phrasePairs[i]).get(page);
          if (!other || !other.has(start + i)) return;
        }
        count += 1;
        if (start < bodyOffset) inTitle = true;
      });
      if (count) hits.set(page, { count: count, inTitle: inTitle });
    });
    return hits;
  }

  function rank(query, config, shards) {
    var terms = query.split(/\s+/).map(normalise).filter(function (t) { return t.length >= 2; });
    var whole = normalise(query);
    if (!terms.length) return null;
    var postings = new Map();
    var wanted = new Set();
    terms.concat([whole]).forEach(function (t) { pairs(t).forEach(function (p) { wanted.add(p); }); });
    wanted.forEach(function (pair) {
      postings.set(pair, decode(shards[fnv1a(pair) % config.shards][pair]));
    });

    var scores = new Map(); // page → [tier, score]
    function offer(page, tier, score) {
      var current = scores.get(page);
      if (!current || tier < current[0] || (tier === current[0] && score > current[1])) scores.set(page, [tier, score]);
    }
    function weigh(hit) { return hit.count + (hit.inTitle ? 10 : 0); }

    // Tier 0: the whole query as one phrase. Tier 1: every term as a phrase.
    phraseHits(pairs(whole), postings, config.bodyOffset).forEach(function (hit, page) { offer(page, 0, weigh(hit)); });
    var perTerm = terms.map(function (t) { return phraseHits(pairs(t), postings, config.bodyOffset); });
    perTerm[0].forEach(function (hit, page) {
      var score = 0;
      for (var i = 0; i < perTerm.length; i++) {
        var other = perTerm[i].get(page);
        if (!other) return;
        score += weigh(other);
      }
      offer(page, 1, score);
    });
    // Tier 2: most of the query's pairs, in any order (a partial match, shown last); only for
    // queries long enough that three of four pairs still say something.
    var termPairs = new Set();
    terms.forEach(function (t) { pairs(t).forEach(function (p) { termPairs.add(p); }); });
    var presence = new Map();
    termPairs.forEach(function (pair) {
      postings.get(pair).forEach(function (_, page) { presence.set(page, (presence.get(page) || 0) + 1); });
    });
    if (termPairs.size >= 3) {
      presence.forEach(function (count, page) {
        if (count / termPairs.size >= 0.75) offer(page, 2, count / termPairs.size);
      });
    }

    return Array.from(scores.entries()).sort(function (a, b) {
      return a[1][0] - b[1][0] || b[1][1] - a[1][1] || a[0] - b[0];
    }).map(function (entry) { return { page: entry[0], tier: entry[1][0] }; });
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

  function show(results, shown, config, query, list) {
    var slice = results.slice(shown, shown + PAGE_SIZE);
    var blocks = Array.from(new Set(slice.map(function (r) { return Math.floor(r.page / config.block); })));
    return Promise.all(blocks.map(function (b) { return fetchJson("meta-" + b + ".json"); })).then(function (loaded) {
      var meta = new Map();
      blocks.forEach(function (b, i) { meta.set(b, loaded[i]); });
      slice.forEach(function (result) {
        var entry = meta.get(Math.floor(result.page / config.block))[result.page % config.block];
        var item = document.createElement("li");
        item.className = "ipp-search-result" + (result.tier === 2 ? " ipp-partial" : "");
        var link = document.createElement("a");
        link.href = new URL(entry[0], siteRoot).href;
        highlight(link, entry[1], query);
        item.appendChild(link);
        if (entry[2]) {
          var context = document.createElement("span");
          context.className = "ipp-muted";
          context.textContent = " " + entry[2] + (result.tier === 2 ? " · 部分匹配" : "");
          item.appendChild(context);
        }
        var summary = document.createElement("p");
        summary.className = "ipp-summary";
        highlight(summary, entry[3], query);
        item.appendChild(summary);
        list.appendChild(item);
      });
      return shown + slice.length;
    });
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
      var names = new Set();
      query.split(/\s+/).concat([query]).forEach(function (t) {
        pairs(normalise(t)).forEach(function (p) { names.add(fnv1a(p) % config.shards); });
      });
      var ids = Array.from(names);
      return Promise.all(ids.map(function (id) { return fetchJson("shard-" + id + ".json"); })).then(function (loaded) {
        var shards = {};
        ids.forEach(function (id, i) { shards[id] = loaded[i]; });
        var results = rank(query, config, shards);
        if (results === null) { status.textContent = "请输入至少两个字（或两个字母、数字）。"; return; }
        var exact = results.filter(function (r) { return r.tier < 2; }).length;
        status.textContent = results.length
          ? "找到 " + exact + " 个完整匹配的页面" + (results.length > exact ? "，另有 " + (results.length - exact) + " 个部分匹配" : "") + "。"
          : "没有找到包含“" + query + "”的页面。";
        var shown = 0;
        function next() {
          return show(results, shown, config, query, list).then(function (count) {
            shown = count;
            more.hidden = shown >= results.length;
          });
        }
        more.onclick = next;
        document.body.setAttribute("data-search-ready", "true");
        return next();
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
