// The body's Markdown, read into and written out of the editor's document.
// The stored format is the one internal/render reads (goldmark: CommonMark,
// GFM tables, strikethrough and autolinks, footnotes), with the project's
// own forms: a picture alone in its paragraph with a title is a figure
// (![alt](src "Caption | Credit")), a top-level paragraph whose first line
// is only a web address (or a link to one of our audio/video files) is an
// embed with the other lines as its caption (docs/EMBEDS.md), and a quote's
// last paragraph starting with a dash is its attribution.
import MarkdownIt from "markdown-it";
import footnote from "markdown-it-footnote";
import { MarkdownParser, MarkdownSerializer } from "prosemirror-markdown";
import { schema } from "./schema.js";

// --- Reading -------------------------------------------------------------

const md = new MarkdownIt({ html: false, linkify: true });
md.linkify.set({ fuzzyLink: false });
md.use(footnote);

const mediaExt = /\.(mp3|m4a|ogg|oga|opus|wav|aac|flac|mp4|m4v|webm|ogv|mov)$/i;
const fileLinkLine = /^\[([^\]\n]*)\]\((\/[^/\s)][^\s)]*)\)$/;
const urlLine = /^<?(https?:\/\/[^\s<>]+)>?$/;

// unescapeCaption drops the backslash before ASCII punctuation, as the
// renderer does.
function unescapeCaption(s) {
  return s.replace(/\\([!-/:-@[-`{-~])/g, "$1");
}

// The core rule that finds figures and embeds among the top-level
// paragraphs, after the inline rules (and linkify) have run.
md.core.ruler.push("newsdesk_blocks", (state) => {
  const tokens = state.tokens;
  const out = [];
  for (let i = 0; i < tokens.length; i++) {
    const open = tokens[i];
    if (open.type !== "paragraph_open" || tokens[i + 2]?.type !== "paragraph_close") {
      out.push(open);
      continue;
    }
    const inline = tokens[i + 1];
    const kids = inline.children || [];
    // A figure: one image with a title, alone in its paragraph (anywhere).
    if (kids.length === 1 && kids[0].type === "image" && kids[0].attrGet("title")) {
      const img = kids[0];
      const title = img.attrGet("title");
      const cut = title.lastIndexOf(" | ");
      const t = new state.Token("figure", "", 0);
      t.attrs = [
        ["src", img.attrGet("src")],
        ["alt", (img.children || []).map((c) => c.content).join("")],
        ["caption", cut >= 0 ? title.slice(0, cut) : title],
        ["credit", cut >= 0 ? title.slice(cut + 3) : ""],
      ];
      t.map = open.map;
      out.push(t);
      i += 2;
      continue;
    }
    // An embed: a top-level paragraph whose first line is an address.
    if (open.level === 0) {
      const lines = inline.content.split("\n");
      const first = lines[0].trim().replace(/\\$/, "");
      const caption = unescapeCaption(lines.slice(1).map((l) => l.trim()).join(" ").replace(/\\$/, ""));
      let t = null;
      const u = urlLine.exec(first);
      const f = fileLinkLine.exec(first);
      if (u && (first.startsWith("<") === first.endsWith(">"))) {
        t = new state.Token("embed", "", 0);
        t.attrs = [["url", u[1]], ["caption", caption], ["name", ""]];
      } else if (f && mediaExt.test(f[2].split("?")[0])) {
        t = new state.Token("embed", "", 0);
        t.attrs = [["url", f[2]], ["caption", caption], ["name", f[1].replace(/\\(.)/g, "$1")]];
      }
      if (t) {
        t.map = open.map;
        out.push(t);
        i += 2;
        continue;
      }
    }
    out.push(open);
  }
  state.tokens = out;
});

// GFM table cells carry their alignment as a style attribute.
function align(tok) {
  const s = tok.attrGet("style") || "";
  const m = /text-align:\s*(left|right|center)/.exec(s);
  return { align: m ? m[1] : null };
}

function listIsTight(tokens, i) {
  while (++i < tokens.length) if (tokens[i].type !== "list_item_open") return tokens[i].hidden;
  return false;
}

export const parser = new MarkdownParser(schema, md, {
  blockquote: { block: "blockquote" },
  paragraph: { block: "paragraph" },
  list_item: { block: "list_item" },
  bullet_list: { block: "bullet_list", getAttrs: (tok, tokens, i) => ({ tight: listIsTight(tokens, i), bullet: tok.markup || "-" }) },
  ordered_list: {
    block: "ordered_list",
    getAttrs: (tok, tokens, i) => ({ order: +tok.attrGet("start") || 1, tight: listIsTight(tokens, i), delim: tok.markup || "." }),
  },
  heading: { block: "heading", getAttrs: (tok) => ({ level: +tok.tag.slice(1) }) },
  code_block: { block: "code_block", noCloseToken: true },
  fence: { block: "code_block", getAttrs: (tok) => ({ params: tok.info || "" }), noCloseToken: true },
  hr: { node: "horizontal_rule", getAttrs: (tok) => ({ markup: tok.markup }) },
  image: {
    node: "image",
    getAttrs: (tok) => ({
      src: tok.attrGet("src"),
      title: tok.attrGet("title") || null,
      alt: (tok.children || []).map((c) => c.content).join("") || null,
    }),
  },
  figure: { node: "figure", getAttrs: (tok) => Object.fromEntries(tok.attrs), noCloseToken: true },
  embed: { node: "embed", getAttrs: (tok) => Object.fromEntries(tok.attrs), noCloseToken: true },
  hardbreak: { node: "hard_break" },
  table: { block: "table" },
  thead: { ignore: true },
  tbody: { ignore: true },
  tr: { block: "table_row" },
  th: { block: "table_header", getAttrs: align },
  td: { block: "table_cell", getAttrs: align },
  footnote_ref: { node: "footnote_ref", getAttrs: (tok) => ({ label: tok.meta.label || String(tok.meta.id + 1) }), noCloseToken: true },
  footnote_block: { ignore: true },
  footnote: { block: "footnote", getAttrs: (tok) => ({ label: tok.meta.label || String(tok.meta.id + 1) }) },
  footnote_anchor: { ignore: true, noCloseToken: true },
  em: { mark: "em", getAttrs: (tok) => ({ markup: tok.markup }) },
  strong: { mark: "strong", getAttrs: (tok) => ({ markup: tok.markup }) },
  s: { mark: "strike" },
  link: {
    mark: "link",
    getAttrs: (tok) => ({
      href: tok.attrGet("href"),
      title: tok.attrGet("title") || null,
      auto: tok.markup === "autolink" || tok.markup === "linkify" ? tok.markup : null,
    }),
  },
  code_inline: { mark: "code", noCloseToken: true },
});

// --- Writing -------------------------------------------------------------

// bareURL is an address Markdown's autolinks take whole (render.bareURL).
const bareURL = /^https?:\/\/[A-Za-z0-9.-]+(:[0-9]+)?(\/[A-Za-z0-9._~:/?#@!$&'*+,;=%-]*[A-Za-z0-9/_=#~-])?\/?$/;

// captionLine is render.captionLine: the caption as the embed paragraph's
// second line, with what Markdown would read as markup escaped.
export function captionLine(caption) {
  caption = (caption || "").split(/\s+/).filter(Boolean).join(" ");
  if (!caption) return "";
  let out = "";
  let digits = true;
  let i = 0;
  for (const r of caption) {
    if ("\\`*_[]<>!|~&".includes(r) || (i === 0 && "#+-=".includes(r)) || (digits && i > 0 && (r === "." || r === ")"))) out += "\\";
    digits = digits && r >= "0" && r <= "9";
    out += r;
    i += r.length;
  }
  return "\n" + out;
}

// embedMarkdown is the stored form of an embed (render.EmbedMarkdown and
// render.MediaMarkdown, without the address normalising the renderer does
// when it shows it).
export function embedMarkdown(attrs) {
  let url = attrs.url;
  if (url.startsWith("/")) {
    const name = (attrs.name || url.split("/").pop()).replace(/[\\[\]]/g, "\\$&").replace(/\n/g, " ");
    return "[" + name + "](" + url.replace(/ /g, "%20").replace(/\(/g, "%28").replace(/\)/g, "%29") + ")" + captionLine(attrs.caption);
  }
  if (!bareURL.test(url)) url = "<" + url.replace(/</g, "%3C").replace(/>/g, "%3E").replace(/ /g, "%20") + ">";
  return url + captionLine(attrs.caption);
}

function quoteTitle(s) {
  return '"' + s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, " ") + '"';
}

function dest(src) {
  return src.replace(/ /g, "%20").replace(/[()]/g, "\\$&");
}

function escAlt(s) {
  return (s || "").replace(/[\\[\]]/g, "\\$&").replace(/\n/g, " ");
}

// renderInlineTo returns the Markdown of node's inline content, on one
// line (for table cells).
function inlineText(state, node) {
  const saved = state.out;
  const savedClosed = state.closed;
  state.out = "";
  state.closed = null;
  state.inTable = true;
  state.renderInline(node, false);
  const s = state.out;
  state.out = saved;
  state.closed = savedClosed;
  state.inTable = false;
  return s.replace(/\n+/g, " ").replace(/(^|[^\\])\|/g, "$1\\|").trim();
}

const nodes = {
  blockquote(state, node) {
    state.wrapBlock("> ", null, node, () => state.renderContent(node));
  },
  code_block(state, node) {
    const backticks = node.textContent.match(/`{3,}/gm);
    const fence = backticks ? backticks.sort().slice(-1)[0] + "`" : "```";
    state.write(fence + (node.attrs.params || "") + "\n");
    state.text(node.textContent, false);
    state.write("\n");
    state.write(fence);
    state.closeBlock(node);
  },
  heading(state, node) {
    state.write(state.repeat("#", node.attrs.level) + " ");
    state.renderInline(node, false);
    state.closeBlock(node);
  },
  horizontal_rule(state, node) {
    state.write(node.attrs.markup || "---");
    state.closeBlock(node);
  },
  bullet_list(state, node) {
    state.renderList(node, "  ", () => (node.attrs.bullet || "-") + " ");
  },
  ordered_list(state, node) {
    const start = node.attrs.order ?? 1;
    const delim = node.attrs.delim || ".";
    const maxW = String(start + node.childCount - 1).length;
    const space = state.repeat(" ", maxW + 2);
    state.renderList(node, space, (i) => {
      const n = String(start + i);
      return state.repeat(" ", maxW - n.length) + n + delim + " ";
    });
  },
  list_item(state, node) {
    state.renderContent(node);
  },
  paragraph(state, node) {
    state.renderInline(node);
    state.closeBlock(node);
  },
  image(state, node) {
    state.write("![" + escAlt(node.attrs.alt) + "](" + dest(node.attrs.src) + (node.attrs.title ? " " + quoteTitle(node.attrs.title) : "") + ")");
  },
  figure(state, node) {
    const a = node.attrs;
    let title = (a.caption || "").trim();
    if (a.credit && a.credit.trim()) title += " | " + a.credit.trim();
    // A figure needs a title; a picture without caption or credit keeps
    // its alternative text as the caption.
    if (!title) title = (a.alt || "").trim() || " ";
    state.write("![" + escAlt(a.alt) + "](" + dest(a.src) + " " + quoteTitle(title) + ")");
    state.closeBlock(node);
  },
  embed(state, node) {
    state.text(embedMarkdown(node.attrs), false);
    state.closeBlock(node);
  },
  hard_break(state, node, parent, index) {
    if (state.inTable) {
      state.write(" ");
      return;
    }
    for (let i = index + 1; i < parent.childCount; i++)
      if (parent.child(i).type !== node.type) {
        state.write("\\\n");
        return;
      }
  },
  text(state, node) {
    state.text(node.text, !state.inAutolink);
  },
  table(state, node) {
    const rows = [];
    let cols = 0;
    node.forEach((row) => {
      const cells = [];
      const aligns = [];
      row.forEach((cell) => {
        cells.push(inlineText(state, cell));
        aligns.push(cell.attrs.align);
        for (let k = 1; k < (cell.attrs.colspan || 1); k++) {
          cells.push("");
          aligns.push(null);
        }
      });
      cols = Math.max(cols, cells.length);
      rows.push({ cells, aligns });
    });
    if (!rows.length) return;
    const line = (cells) => {
      const c = cells.slice();
      while (c.length < cols) c.push("");
      return "| " + c.join(" | ") + " |";
    };
    const out = [line(rows[0].cells)];
    const sep = [];
    for (let k = 0; k < cols; k++) {
      const a = rows[0].aligns[k];
      sep.push(a === "left" ? ":---" : a === "right" ? "---:" : a === "center" ? ":---:" : "---");
    }
    out.push("| " + sep.join(" | ") + " |");
    for (const r of rows.slice(1)) out.push(line(r.cells));
    state.write(out.join("\n"));
    state.closeBlock(node);
  },
  footnote_ref(state, node) {
    state.write("[^" + node.attrs.label + "]");
  },
  footnote(state, node) {
    state.wrapBlock("    ", "[^" + node.attrs.label + "]: ", node, () => state.renderContent(node));
  },
};

function isPlainURL(link, parent, index) {
  if (link.attrs.title || !/^\w+:/.test(link.attrs.href)) return false;
  const content = parent.child(index);
  if (!content.isText || content.text !== link.attrs.href || content.marks[content.marks.length - 1] !== link) return false;
  return index === parent.childCount - 1 || !link.isInSet(parent.child(index + 1).marks);
}

const marks = {
  em: {
    open: (_s, mark) => mark.attrs.markup || "*",
    close: (_s, mark) => mark.attrs.markup || "*",
    mixable: true,
    expelEnclosingWhitespace: true,
  },
  strong: {
    open: (_s, mark) => mark.attrs.markup || "**",
    close: (_s, mark) => mark.attrs.markup || "**",
    mixable: true,
    expelEnclosingWhitespace: true,
  },
  strike: { open: "~~", close: "~~", mixable: true, expelEnclosingWhitespace: true },
  link: {
    open(state, mark, parent, index) {
      const plain = isPlainURL(mark, parent, index);
      // An address typed bare stays bare when Markdown would take it whole.
      state.inAutolink = plain ? (mark.attrs.auto === "linkify" && bareURL.test(mark.attrs.href) ? "bare" : "angle") : undefined;
      return state.inAutolink === "bare" ? "" : state.inAutolink ? "<" : "[";
    },
    close(state, mark) {
      const auto = state.inAutolink;
      state.inAutolink = undefined;
      if (auto === "bare") return "";
      if (auto) return ">";
      return "](" + mark.attrs.href.replace(/[()"]/g, "\\$&").replace(/ /g, "%20") + (mark.attrs.title ? " " + quoteTitle(mark.attrs.title) : "") + ")";
    },
    mixable: true,
  },
  code: {
    open(_state, _mark, parent, index) {
      return backticksFor(parent.child(index), -1);
    },
    close(_state, _mark, parent, index) {
      return backticksFor(parent.child(index - 1), 1);
    },
    escape: false,
  },
};

function backticksFor(node, side) {
  const ticks = /`+/g;
  let m;
  let len = 0;
  if (node.isText) while ((m = ticks.exec(node.text))) len = Math.max(len, m[0].length);
  let result = len > 0 && side > 0 ? " `" : "`";
  for (let i = 0; i < len; i++) result += "`";
  if (len > 0 && side < 0) result += " ";
  return result;
}

const serializer = new MarkdownSerializer(nodes, marks, { tightLists: true });

// toMarkdown writes the document as the body's Markdown: footnote
// definitions last, one blank line between blocks, a final newline only
// when there is text.
//
// Each top-level block is written on its own and the pieces joined: the
// serializer appends to one string and looks at its last character, which
// makes V8 flatten the whole growing string each time (a 37 KB body took
// 60 ms written at once, a few ms in pieces).
export function toMarkdown(doc) {
  const body = [];
  const notes = [];
  doc.forEach((n) => (n.type.name === "footnote" ? notes : body).push(n));
  let out = "";
  let prev = null;
  for (const n of body.concat(notes)) {
    const piece = serializer.serialize(doc.type.create(null, [n])).replace(/\s+$/, "");
    if (!piece) continue;
    if (out) out += prev && prev.type === n.type && /_list$/.test(n.type.name) ? "\n\n\n" : "\n\n";
    out += piece;
    prev = n;
  }
  return out;
}

export function fromMarkdown(text) {
  return parser.parse(text || "");
}
