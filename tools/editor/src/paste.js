// Cleaning clipboard HTML from word processors and web pages before the
// schema's parse rules read it. The schema keeps only what it knows
// (paragraphs, subheads, bold, italic, links, lists, quotes, tables); this
// removes what would otherwise leak through as text or wrong structure:
// Word's conditional comments, list markers and <o:p>, comments and
// comment anchors, styles, scripts, Google Docs' stray <br>s between
// paragraphs, and blocks inside table cells (a Markdown cell is one line).

const junkTags = "style, script, meta, link, title, xml, template, noscript, iframe, object, embed, svg, canvas, form, input, button, select, textarea, img, picture, video, audio, source";

function msoList(p) {
  const style = p.getAttribute("style") || "";
  const m = /mso-list:\s*l(\d+)\s+level(\d+)/i.exec(style);
  if (m) return { list: m[1], level: +m[2] };
  if (/\bMsoListParagraph/.test(p.className || "")) return { list: "x", level: 1 };
  return null;
}

// wordMarker finds and removes the typed list marker Word puts before a
// list paragraph's text ("1." or "·" in a span styled mso-list:Ignore);
// it returns the marker's text.
function wordMarker(p) {
  let marker = "";
  const ignore = p.querySelector('span[style*="mso-list:Ignore" i], span[style*="mso-list: Ignore" i]');
  if (ignore) {
    // The outermost span holding the marker goes.
    let n = ignore;
    while (n.parentElement && n.parentElement !== p && n.parentElement.textContent.trim() === ignore.textContent.trim()) n = n.parentElement;
    marker = n.textContent;
    n.remove();
    return marker.replace(/\u00a0/g, " ").trim();
  }
  // Without the span: a leading bullet or number followed by spaces.
  const first = p.firstChild && p.firstChild.nodeType === 3 ? p.firstChild : null;
  const txt = first ? first.data : "";
  const mm = /^\s*([·•o§▪\-–]|\d+[.)]|[a-z][.)])[\s\u00a0]+/i.exec(txt);
  if (mm) {
    marker = mm[1];
    first.data = txt.slice(mm[0].length);
  }
  return marker;
}

function isOrderedMarker(marker) {
  return /^(\d+|[a-z]|[ivxlc]+)[.)]$/i.test(marker);
}

// wordLists turns runs of Word's list paragraphs into real lists.
function wordLists(doc) {
  const paras = Array.from(doc.querySelectorAll("p")).filter((p) => msoList(p));
  const done = new Set();
  for (const p of paras) {
    if (done.has(p)) continue;
    // A run: this paragraph and its following element siblings that are
    // list paragraphs too.
    const run = [];
    for (let n = p; n && n.nodeType === 1 && n.tagName === "P" && msoList(n); ) {
      run.push(n);
      done.add(n);
      let next = n.nextSibling;
      while (next && next.nodeType === 3 && !next.data.trim()) next = next.nextSibling;
      n = next;
    }
    const stack = []; // [{level, list}]
    const anchor = run[0];
    let root = null;
    for (const item of run) {
      const info = msoList(item);
      const marker = wordMarker(item);
      const tag = isOrderedMarker(marker) ? "ol" : "ul";
      while (stack.length && stack[stack.length - 1].level > info.level) stack.pop();
      let top = stack[stack.length - 1];
      if (!top || top.level < info.level) {
        const list = doc.createElement(tag);
        if (top) {
          const lastLi = top.list.lastElementChild || top.list.appendChild(doc.createElement("li"));
          lastLi.appendChild(list);
        } else {
          root = list;
          anchor.parentNode.insertBefore(list, anchor);
        }
        top = { level: info.level, list };
        stack.push(top);
      }
      const li = doc.createElement("li");
      const para = doc.createElement("p");
      while (item.firstChild) para.appendChild(item.firstChild);
      li.appendChild(para);
      top.list.appendChild(li);
      item.remove();
    }
    void root;
  }
}

// removeComments drops HTML comments (Word's conditional comments and
// their contents: <!--[if !supportLists]-->…<!--[endif]-->).
function removeComments(doc) {
  const walker = doc.createTreeWalker(doc.body, 128 /* SHOW_COMMENT */);
  const comments = [];
  while (walker.nextNode()) comments.push(walker.currentNode);
  for (const c of comments) {
    if (/^\[if\s+!supportLists\]/i.test(c.data)) {
      // Word's list marker between the comment and its [endif]: the
      // list code reads markers from the mso-list:Ignore span, so
      // leave it, only the comments go.
    }
    c.remove();
  }
}

// wordComments drops Word's and LibreOffice's review comments.
function reviewComments(doc) {
  doc.querySelectorAll(
    '[style*="mso-element:comment" i], [class*="MsoCommentReference"], [class*="msocomtxt"], [class*="MsoCommentText"], a[style*="mso-comment" i], span[style*="mso-comment" i], [id^="_com_"], a[href^="#_msocom"], div[title="comment"], span[title="annotation"], .sdfootnoteanc, a[name^="sdfootnote"]',
  ).forEach((n) => {
    if (n.tagName === "A" && !n.getAttribute("href")?.startsWith("#")) {
      n.replaceWith(...n.childNodes);
    } else n.remove();
  });
  // Word's comment anchors are written like [A1] links to #_msocom_1.
  doc.querySelectorAll('a[href^="#_msocom"], a[href^="#_ftn"], a[href^="#_edn"]').forEach((n) => n.remove());
}

// tableCells flattens blocks inside table cells into one line.
function tableCells(doc) {
  doc.querySelectorAll("td, th").forEach((cell) => {
    const blocks = cell.querySelectorAll("p, div, h1, h2, h3, h4, h5, h6, li, ul, ol, blockquote");
    if (!blocks.length) return;
    const parts = [];
    const collect = (n) => {
      for (const c of Array.from(n.childNodes)) {
        if (c.nodeType === 1 && /^(P|DIV|H[1-6]|LI|BLOCKQUOTE)$/.test(c.tagName)) {
          parts.push(c);
        } else if (c.nodeType === 1 && /^(UL|OL)$/.test(c.tagName)) {
          collect(c);
        } else if (c.nodeType === 1 || c.data.trim()) {
          parts.push(c);
        }
      }
    };
    collect(cell);
    const span = doc.createElement("span");
    parts.forEach((p, i) => {
      if (i > 0) span.appendChild(doc.createTextNode(" "));
      if (p.nodeType === 1 && /^(P|DIV|H[1-6]|LI|BLOCKQUOTE)$/.test(p.tagName)) {
        while (p.firstChild) span.appendChild(p.firstChild);
      } else span.appendChild(p);
    });
    cell.textContent = "";
    cell.appendChild(span);
  });
}

// headerRow: a table whose first row is all bold (as Google Docs and
// Word tables with a heading row are) gets that row as its header.
function headerRow(doc) {
  doc.querySelectorAll("table").forEach((table) => {
    const first = table.querySelector("tr");
    if (!first || first.querySelector("th")) return;
    const cells = Array.from(first.children).filter((c) => c.tagName === "TD");
    const bold = (c) => {
      const text = c.textContent.trim();
      if (!text) return true;
      const b = Array.from(c.querySelectorAll("b, strong")).map((x) => x.textContent).join("").trim();
      const styled = Array.from(c.querySelectorAll("[style]")).filter((x) => /^(bold|[6-9]\d{2})$/.test(styleOf(x).fontWeight)).map((x) => x.textContent).join("").trim();
      return b === text || styled === text;
    };
    if (!cells.length || !cells.every(bold)) return;
    for (const c of cells) {
      const th = doc.createElement("th");
      th.textContent = c.textContent.trim();
      c.replaceWith(th);
    }
  });
}

// wordQuotes: Word's Quote and Intense Quote styles are quotes.
function wordQuotes(doc) {
  doc.querySelectorAll("p.MsoQuote, p.MsoIntenseQuote").forEach((p) => {
    const prev = p.previousElementSibling;
    let q;
    if (prev && prev.tagName === "BLOCKQUOTE" && prev.hasAttribute("data-word")) q = prev;
    else {
      q = doc.createElement("blockquote");
      q.setAttribute("data-word", "");
      p.replaceWith(q);
    }
    q.appendChild(p);
  });
}

// strayBreaks: Google Docs puts <br> between paragraphs of a copied
// fragment; an empty paragraph is no paragraph.
function strayBreaks(doc) {
  doc.querySelectorAll("br").forEach((br) => {
    const parent = br.parentElement;
    if (!parent) return;
    const blockParent = /^(BODY|B|DIV|SPAN|BLOCKQUOTE|LI|TD|TH)$/.test(parent.tagName);
    const prev = br.previousElementSibling;
    const next = br.nextElementSibling;
    const between = (n) => !n || /^(P|H[1-6]|UL|OL|TABLE|BLOCKQUOTE|DIV|B)$/.test(n.tagName);
    if (blockParent && parent.tagName !== "TD" && parent.tagName !== "TH" && between(prev) && between(next)) {
      const onlyBlocks = Array.from(parent.childNodes).every((c) => (c.nodeType === 3 ? !c.data.trim() : c.nodeType !== 1 || c.tagName === "BR" || between(c)));
      if (onlyBlocks) br.remove();
    }
  });
  doc.querySelectorAll("p, h1, h2, h3, h4, h5, h6").forEach((p) => {
    if (!p.textContent.replace(/\u00a0/g, " ").trim() && !p.querySelector("img")) p.remove();
  });
}

// Google Docs marks a subhead written as a bold paragraph with a heading
// role only through its tag, which the schema reads; nothing to do. But
// Google Docs' list items carry role="presentation" paragraphs, and a
// web page's <div>s stand for paragraphs.
function divsToParagraphs(doc) {
  doc.querySelectorAll("div").forEach((d) => {
    const hasBlock = d.querySelector("p, div, h1, h2, h3, h4, h5, h6, ul, ol, table, blockquote, pre");
    if (!hasBlock && d.textContent.trim() && !d.closest("td, th")) {
      const p = doc.createElement("p");
      while (d.firstChild) p.appendChild(d.firstChild);
      d.replaceWith(p);
    }
  });
}

// styleOf reads an element's style attribute (the CSS object model is not
// there in a parsed, windowless document): fontWeight and fontStyle.
function styleOf(n) {
  const out = { fontWeight: "", fontStyle: "" };
  for (const decl of (n.getAttribute("style") || "").split(";")) {
    const i = decl.indexOf(":");
    if (i < 0) continue;
    const k = decl.slice(0, i).trim().toLowerCase();
    const v = decl.slice(i + 1).trim().toLowerCase().replace(/\s*!important$/, "");
    if (k === "font-weight") out.fontWeight = v;
    if (k === "font-style") out.fontStyle = v;
  }
  return out;
}

// cleanPastedHTML is the editor's transformPastedHTML.
export function cleanPastedHTML(html) {
  const doc = new DOMParser().parseFromString(html, "text/html");
  if (!doc.body) return html;
  removeComments(doc);
  doc.querySelectorAll(junkTags).forEach((n) => n.remove());
  // Namespaced Office tags (<o:p>, <w:…>, <v:…>) and Word's footnote
  // and endnote lists.
  Array.from(doc.body.getElementsByTagName("*")).forEach((n) => {
    if (n.tagName.includes(":")) {
      if (/^O:P$/i.test(n.tagName)) n.replaceWith(...n.childNodes);
      else n.remove();
    }
  });
  doc.querySelectorAll('[style*="mso-element:footnote-list" i], [style*="mso-element:endnote-list" i]').forEach((n) => n.remove());
  reviewComments(doc);
  wordLists(doc);
  wordQuotes(doc);
  tableCells(doc);
  headerRow(doc);
  divsToParagraphs(doc);
  strayBreaks(doc);
  // Classes, ids and styles are the page's, not the story's: drop them,
  // after the schema-relevant styles (bold, italic) are turned into tags.
  doc.body.querySelectorAll("[style]").forEach((n) => {
    const st = styleOf(n);
    const bold = /^(bold(er)?|[6-9]\d{2,})$/.test(st.fontWeight);
    const notBold = st.fontWeight === "normal" || st.fontWeight === "400";
    const italic = st.fontStyle === "italic";
    if (n.tagName === "B" && notBold) {
      n.replaceWith(...n.childNodes);
      return;
    }
    if (n.tagName === "SPAN" || n.tagName === "FONT") {
      let inner = Array.from(n.childNodes);
      const wrap = (tag) => {
        const w = doc.createElement(tag);
        inner.forEach((c) => w.appendChild(c));
        inner = [w];
      };
      if (bold) wrap("strong");
      if (italic) wrap("em");
      if (notBold && n.closest("b, strong")) {
        // Google Docs' plain text inside its bold wrapper: leave it plain.
      }
      n.replaceWith(...inner);
      return;
    }
    n.removeAttribute("style");
  });
  doc.body.querySelectorAll("[class], [id], [lang], [dir], [align], [color], [face], [size], [data-word]").forEach((n) => {
    for (const a of ["class", "id", "lang", "dir", "align", "color", "face", "size", "data-word"]) n.removeAttribute(a);
  });
  return doc.body.innerHTML;
}
