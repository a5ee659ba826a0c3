// The body's document schema: what the stored Markdown can say, and the
// rules that read pasted HTML into it (everything else, such as fonts,
// colours and spans, is dropped by not being in the schema).
import { Schema } from "prosemirror-model";
import { tableNodes } from "prosemirror-tables";

// boldStyle: the font weights Google Docs and Word write for bold.
const boldWeight = /^(bold(er)?|[6-9]\d{2,})$/;

const cells = tableNodes({
  tableGroup: "block",
  cellContent: "inline*",
  cellAttributes: {
    align: {
      default: null,
      getFromDOM: (dom) => {
        const a = dom.getAttribute("data-align") || dom.getAttribute("align") || dom.style.textAlign || "";
        return /^(left|right|center)$/.test(a) ? a : null;
      },
      setDOMAttr: (value, attrs) => {
        if (value) attrs["data-align"] = value;
      },
    },
  },
});
// Cells are one line of Markdown: no column widths to keep.
for (const k of ["table_cell", "table_header"]) {
  const spec = cells[k];
  const base = spec.toDOM;
  spec.toDOM = (node) => {
    const out = base(node);
    if (out[1]) delete out[1].style;
    return out;
  };
}

export const schema = new Schema({
  nodes: {
    doc: { content: "block+" },
    paragraph: {
      content: "inline*",
      group: "block",
      parseDOM: [{ tag: "p" }],
      toDOM: () => ["p", 0],
    },
    blockquote: {
      content: "block+",
      group: "block",
      defining: true,
      parseDOM: [{ tag: "blockquote" }],
      toDOM: () => ["blockquote", 0],
    },
    horizontal_rule: {
      group: "block",
      attrs: { markup: { default: "---" } },
      parseDOM: [{ tag: "hr" }],
      toDOM: () => ["hr"],
    },
    heading: {
      attrs: { level: { default: 2 } },
      content: "inline*",
      group: "block",
      defining: true,
      // The body's subheads are H2 and H3; a pasted document's title (H1)
      // and deeper headings become one of those.
      parseDOM: [
        { tag: "h1", attrs: { level: 2 } },
        { tag: "h2", attrs: { level: 2 } },
        { tag: "h3", attrs: { level: 3 } },
        { tag: "h4", attrs: { level: 3 } },
        { tag: "h5", attrs: { level: 3 } },
        { tag: "h6", attrs: { level: 3 } },
      ],
      toDOM: (node) => ["h" + Math.min(Math.max(node.attrs.level, 1), 6), 0],
    },
    code_block: {
      content: "text*",
      group: "block",
      code: true,
      defining: true,
      marks: "",
      attrs: { params: { default: "" } },
      parseDOM: [{ tag: "pre", preserveWhitespace: "full" }],
      toDOM: () => ["pre", ["code", 0]],
    },
    ordered_list: {
      content: "list_item+",
      group: "block",
      attrs: { order: { default: 1 }, tight: { default: true }, delim: { default: "." } },
      parseDOM: [{ tag: "ol", getAttrs: (dom) => ({ order: dom.hasAttribute("start") ? +dom.getAttribute("start") || 1 : 1 }) }],
      toDOM: (node) => (node.attrs.order === 1 ? ["ol", 0] : ["ol", { start: node.attrs.order }, 0]),
    },
    bullet_list: {
      content: "list_item+",
      group: "block",
      attrs: { tight: { default: true }, bullet: { default: "-" } },
      parseDOM: [{ tag: "ul" }],
      toDOM: () => ["ul", 0],
    },
    list_item: {
      content: "paragraph block*",
      defining: true,
      parseDOM: [{ tag: "li" }],
      toDOM: () => ["li", 0],
    },
    // figure: a picture from the library with its caption and credit.
    figure: {
      group: "block",
      atom: true,
      draggable: true,
      selectable: true,
      attrs: { src: {}, alt: { default: "" }, caption: { default: "" }, credit: { default: "" } },
      parseDOM: [
        {
          tag: "figure[data-body-figure]",
          getAttrs: (dom) => {
            const img = dom.querySelector("img");
            if (!img) return false;
            return {
              src: img.getAttribute("src"),
              alt: img.getAttribute("alt") || "",
              caption: dom.getAttribute("data-caption") || "",
              credit: dom.getAttribute("data-credit") || "",
            };
          },
        },
      ],
      toDOM: (node) => {
        const a = node.attrs;
        const cap = ["figcaption", {}, ["span", { class: "caption" }, a.caption]];
        if (a.credit) cap.push(" ", ["span", { class: "credit" }, a.credit]);
        return ["figure", { "data-body-figure": "", "data-caption": a.caption, "data-credit": a.credit, class: "body-figure" },
          ["img", { src: a.src, alt: a.alt }], cap];
      },
    },
    // embed: a video, post or map from another site (or one of our audio
    // or video files), shown in the editor as a local card; nothing is
    // loaded from the other site.
    embed: {
      group: "block",
      atom: true,
      draggable: true,
      selectable: true,
      attrs: { url: {}, caption: { default: "" }, name: { default: "" } },
      parseDOM: [
        {
          tag: "div[data-embed-url]",
          getAttrs: (dom) => ({ url: dom.getAttribute("data-embed-url"), caption: dom.getAttribute("data-caption") || "", name: "" }),
        },
      ],
      toDOM: (node) => {
        const p = provider(node.attrs.url);
        return ["div", { class: "embed-card embed-" + p.cls, "data-embed-url": node.attrs.url, "data-caption": node.attrs.caption },
          ["span", { class: "embed-provider" }, p.name],
          ["span", { class: "embed-address" }, shortAddress(node.attrs.url)],
          ["span", { class: "embed-caption" }, node.attrs.caption]];
      },
    },
    footnote: {
      group: "block",
      content: "paragraph+",
      defining: true,
      attrs: { label: { default: "1" } },
      parseDOM: [{ tag: "div[data-footnote]", getAttrs: (dom) => ({ label: dom.getAttribute("data-footnote") }) }],
      toDOM: (node) => ["div", { class: "footnote", "data-footnote": node.attrs.label }, 0],
    },
    text: { group: "inline" },
    image: {
      inline: true,
      attrs: { src: {}, alt: { default: null }, title: { default: null } },
      group: "inline",
      draggable: true,
      // No parse rule: pictures pasted from elsewhere are not ours to
      // show; they come in through the library.
      toDOM: (node) => ["img", { src: node.attrs.src, alt: node.attrs.alt || "", title: node.attrs.title }],
    },
    footnote_ref: {
      inline: true,
      atom: true,
      group: "inline",
      attrs: { label: { default: "1" } },
      parseDOM: [{ tag: "sup[data-footnote-ref]", getAttrs: (dom) => ({ label: dom.getAttribute("data-footnote-ref") }) }],
      toDOM: (node) => ["sup", { class: "footnote-ref", "data-footnote-ref": node.attrs.label }, node.attrs.label],
    },
    hard_break: {
      inline: true,
      group: "inline",
      selectable: false,
      parseDOM: [{ tag: "br" }],
      toDOM: () => ["br"],
    },
    ...cells,
  },
  marks: {
    link: {
      attrs: { href: {}, title: { default: null }, auto: { default: null } },
      inclusive: false,
      parseDOM: [
        {
          tag: "a[href]",
          getAttrs: (dom) => {
            const href = cleanHref(dom.getAttribute("href"));
            return href ? { href, title: null } : false;
          },
        },
      ],
      toDOM: (node) => ["a", { href: node.attrs.href, title: node.attrs.title, rel: "noopener noreferrer" }, 0],
    },
    em: {
      attrs: { markup: { default: "*" } },
      parseDOM: [
        { tag: "i" },
        { tag: "em" },
        { style: "font-style=italic" },
        { style: "font-style=normal", clearMark: (m) => m.type.name === "em" },
      ],
      toDOM: () => ["em", 0],
    },
    strong: {
      attrs: { markup: { default: "**" } },
      parseDOM: [
        { tag: "strong" },
        // Google Docs wraps a whole copied fragment in <b style="font-weight:normal">.
        { tag: "b", getAttrs: (node) => node.style.fontWeight !== "normal" && null },
        { style: "font-weight=400", clearMark: (m) => m.type.name === "strong" },
        { style: "font-weight=normal", clearMark: (m) => m.type.name === "strong" },
        { style: "font-weight", getAttrs: (value) => boldWeight.test(value) && null },
      ],
      toDOM: () => ["strong", 0],
    },
    strike: {
      parseDOM: [{ tag: "s" }, { tag: "del" }, { tag: "strike" }, { style: "text-decoration=line-through" }],
      toDOM: () => ["s", 0],
    },
    code: {
      parseDOM: [{ tag: "code" }],
      toDOM: () => ["code", 0],
    },
  },
});

// isAttribution: a quote's last paragraph starting with a dash names the
// speaker (render's quoteTransformer).
export function isAttribution(text) {
  return /^\s*(—|–|--)/.test(text);
}

// Tracking parameters dropped from pasted links.
const tracking = /^(utm_[a-z]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|_hsenc|_hsmi|yclid|ref_src)$/i;

// cleanHref keeps web, mail and site addresses, unwraps Google's redirect
// links and drops tracking parameters.
export function cleanHref(href) {
  if (!href) return "";
  href = href.trim();
  if (href.startsWith("#")) return ""; // a document's own anchors (comments, bookmarks)
  let u;
  try {
    u = new URL(href, "https://invalid.example/");
  } catch {
    return "";
  }
  if (u.origin === "https://invalid.example") return href.startsWith("/") ? href : "";
  if (!/^(https?|mailto):$/.test(u.protocol)) return "";
  if (/(^|\.)google\.[a-z.]+$/.test(u.hostname) && u.pathname === "/url" && u.searchParams.get("q")) {
    return cleanHref(u.searchParams.get("q"));
  }
  if (u.protocol === "mailto:") return href;
  let changed = false;
  for (const k of [...u.searchParams.keys()]) {
    if (tracking.test(k)) {
      u.searchParams.delete(k);
      changed = true;
    }
  }
  return changed ? u.toString() : href;
}

// Providers the public page names on an embed's card (render.providers).
const providers = [
  ["youtube.com youtu.be youtube-nocookie.com m.youtube.com", "YouTube", "youtube"],
  ["vimeo.com player.vimeo.com", "Vimeo", "vimeo"],
  ["x.com twitter.com mobile.twitter.com", "X", "x"],
  ["instagram.com", "Instagram", "instagram"],
  ["facebook.com fb.watch m.facebook.com", "Facebook", "facebook"],
  ["t.me", "Telegram", "telegram"],
  ["tiktok.com", "TikTok", "tiktok"],
  ["soundcloud.com", "SoundCloud", "soundcloud"],
  ["open.spotify.com", "Spotify", "spotify"],
  ["vk.com vkvideo.ru", "VK", "vk"],
  ["rutube.ru", "Rutube", "rutube"],
  ["flickr.com flic.kr", "Flickr", "flickr"],
  ["dailymotion.com dai.ly", "Dailymotion", "dailymotion"],
  ["bsky.app", "Bluesky", "bluesky"],
  ["mastodon.social", "Mastodon", "mastodon"],
];
const byHost = {};
for (const [hosts, name, cls] of providers) for (const h of hosts.split(" ")) byHost[h] = { name, cls };

// provider names the site an embed's address is on.
export function provider(url) {
  if (url.startsWith("/")) return { name: /\.(mp4|m4v|webm|ogv|mov)(\?|$)/i.test(url) ? "Video" : "Audio", cls: "file" };
  try {
    const u = new URL(url);
    const host = u.hostname.toLowerCase().replace(/^www\./, "");
    if (byHost[host]) return byHost[host];
    if (/(^|\.)google\.[a-z.]+$/.test(host) && u.pathname.startsWith("/maps")) return { name: "Google Maps", cls: "link" };
    if (host === "openstreetmap.org") return { name: "OpenStreetMap", cls: "link" };
    return { name: host, cls: "link" };
  } catch {
    return { name: url, cls: "link" };
  }
}

function shortAddress(url) {
  return url.replace(/^https?:\/\/(www\.)?/, "");
}
