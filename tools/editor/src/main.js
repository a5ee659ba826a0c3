// newsdesk's rich-text body editor. It replaces the story form's body
// textarea (#f-body) with a ProseMirror editor and writes the body's
// Markdown back into the textarea on every change, so the form, the
// preview, autosave and saving work as they do without it. Without
// JavaScript the textarea is the editor.
//
// The page provides the toolbar and dialogs in <template id="body-editor-ui">
// (in the desk's language); this file wires them.
import { EditorState, Plugin, NodeSelection, TextSelection } from "prosemirror-state";
import { Slice } from "prosemirror-model";
import { EditorView, Decoration, DecorationSet } from "prosemirror-view";
import { keymap } from "prosemirror-keymap";
import { history, undo, redo } from "prosemirror-history";
import { baseKeymap, toggleMark, setBlockType, wrapIn, chainCommands, exitCode, lift, joinUp, joinDown } from "prosemirror-commands";
import { inputRules, wrappingInputRule, textblockTypeInputRule, InputRule, undoInputRule, emDash, ellipsis } from "prosemirror-inputrules";
import { wrapInList, splitListItem, liftListItem, sinkListItem } from "prosemirror-schema-list";
import { tableEditing, goToNextCell, addRowAfter, addColumnAfter, deleteRow, deleteColumn, deleteTable, fixTables } from "prosemirror-tables";
import { dropCursor } from "prosemirror-dropcursor";
import { gapCursor } from "prosemirror-gapcursor";
import { schema, isAttribution, provider, cleanHref } from "./schema.js";
import { fromMarkdown, toMarkdown, embedMarkdown } from "./markdown.js";
import { cleanPastedHTML } from "./paste.js";

const t = schema.nodes;
const m = schema.marks;

// --- Commands ------------------------------------------------------------

function markActive(state, type) {
  const { from, $from, to, empty } = state.selection;
  if (empty) return !!type.isInSet(state.storedMarks || $from.marks());
  return state.doc.rangeHasMark(from, to, type);
}

function blockActive(state, type, attrs) {
  const { $from, to } = state.selection;
  const node = $from.parent;
  return to <= $from.end() && node.hasMarkup(type, attrs);
}

function inNode(state, type) {
  const { $from } = state.selection;
  for (let d = $from.depth; d > 0; d--) if ($from.node(d).type === type) return $from.node(d);
  return null;
}

function toggleHeading(level) {
  return (state, dispatch) => {
    if (blockActive(state, t.heading, { level })) return setBlockType(t.paragraph)(state, dispatch);
    return setBlockType(t.heading, { level })(state, dispatch);
  };
}

function toggleList(type) {
  return (state, dispatch, view) => {
    const list = inNode(state, type);
    if (list) return liftListItem(t.list_item)(state, dispatch, view);
    return wrapInList(type)(state, dispatch, view);
  };
}

function toggleQuote(state, dispatch, view) {
  if (inNode(state, t.blockquote)) return lift(state, dispatch, view);
  return wrapIn(t.blockquote)(state, dispatch, view);
}

// addAttribution ends the quote the cursor is in with a paragraph "— "
// for the speaker's name (or wraps the block in a quote first).
function addAttribution(state, dispatch) {
  const { $from } = state.selection;
  let depth = -1;
  for (let d = $from.depth; d > 0; d--) if ($from.node(d).type === t.blockquote) depth = d;
  if (depth < 0) {
    if (!wrapIn(t.blockquote)(state)) return false;
    if (!dispatch) return true;
    let tr = state.tr;
    const range = $from.blockRange();
    wrapIn(t.blockquote)(state, (x) => (tr = x));
    const quoteEnd = tr.mapping.map(range.end) + 1;
    const para = t.paragraph.create(null, schema.text("— "));
    tr = tr.insert(quoteEnd - 1, para);
    tr = tr.setSelection(TextSelection.create(tr.doc, quoteEnd + 2));
    dispatch(tr.scrollIntoView());
    return true;
  }
  const quote = $from.node(depth);
  const end = $from.end(depth);
  const last = quote.lastChild;
  if (dispatch) {
    let tr = state.tr;
    if (last && last.type === t.paragraph && isAttribution(last.textContent) && quote.childCount > 1) {
      tr = tr.setSelection(TextSelection.create(tr.doc, end - 1));
    } else {
      tr = tr.insert(end, t.paragraph.create(null, schema.text("— ")));
      tr = tr.setSelection(TextSelection.create(tr.doc, end + 3));
    }
    dispatch(tr.scrollIntoView());
  }
  return true;
}

function insertTable(state, dispatch) {
  const { $from } = state.selection;
  if (inNode(state, t.table)) return false;
  if (dispatch) {
    const cell = (type) => type.createAndFill();
    const row = (type) => t.table_row.create(null, [cell(type), cell(type)]);
    const table = t.table.create(null, [row(t.table_header), row(t.table_cell), row(t.table_cell)]);
    const pos = $from.after(1);
    const tr = state.tr.insert(pos, table);
    dispatch(tr.setSelection(TextSelection.create(tr.doc, pos + 3)).scrollIntoView());
  }
  return true;
}

// nextFootnoteLabel: the next free number among the body's footnotes.
function nextFootnoteLabel(doc) {
  let max = 0;
  doc.descendants((n) => {
    if (n.type === t.footnote_ref || n.type === t.footnote) {
      const v = parseInt(n.attrs.label, 10);
      if (v > max) max = v;
    }
  });
  return String(max + 1);
}

// insertFootnote puts a reference at the cursor and its note at the end
// of the body, with the cursor in the note.
function insertFootnote(state, dispatch) {
  if (!state.selection.$from.parent.inlineContent || inNode(state, t.footnote)) return false;
  if (dispatch) {
    const label = nextFootnoteLabel(state.doc);
    let tr = state.tr.replaceSelectionWith(t.footnote_ref.create({ label }), false);
    const end = tr.doc.content.size;
    tr = tr.insert(end, t.footnote.create({ label }, t.paragraph.create()));
    tr = tr.setSelection(TextSelection.create(tr.doc, end + 2));
    dispatch(tr.scrollIntoView());
  }
  return true;
}

// --- Links and embeds ----------------------------------------------------

const urlRE = /^(https?:\/\/[^\s<>]+|\/[^\s<>]*)$/;

function embeddable(url) {
  return /^https?:\/\/[^\s<>]+$/.test(url);
}

// embedRule: an address typed alone in a top-level paragraph becomes an
// embed when Enter is pressed after it.
function enterEmbed(state, dispatch) {
  const { $from, empty } = state.selection;
  if (!empty || $from.depth !== 1 || $from.parent.type !== t.paragraph) return false;
  const text = $from.parent.textContent.trim();
  if ($from.parentOffset !== $from.parent.content.size || !embeddable(text)) return false;
  if (dispatch) {
    const start = $from.before(1);
    const end = $from.after(1);
    const para = t.paragraph.create();
    let tr = state.tr.replaceWith(start, end, [t.embed.create({ url: text, caption: "" }), para]);
    tr = tr.setSelection(TextSelection.create(tr.doc, start + 2));
    dispatch(tr.scrollIntoView());
  }
  return true;
}

// --- The view ------------------------------------------------------------

// attributionDecorations marks a quote's last paragraph that names the
// speaker, as the public page does.
const attributions = new Plugin({
  props: {
    decorations(state) {
      const decos = [];
      state.doc.descendants((node, pos) => {
        if (node.type === t.blockquote) {
          const last = node.lastChild;
          if (node.childCount > 1 && last.type === t.paragraph && isAttribution(last.textContent)) {
            const at = pos + node.content.size + 1 - last.nodeSize;
            decos.push(Decoration.node(at, at + last.nodeSize, { class: "attribution" }));
          }
          return false;
        }
        return node.isBlock;
      });
      return DecorationSet.create(state.doc, decos);
    },
  },
});

// footnoteNotes removes a footnote's note when the last reference to it
// is deleted (a note nobody refers to is not shown to readers either).
function refLabels(doc) {
  const labels = new Set();
  doc.descendants((n) => {
    if (n.type === t.footnote_ref) labels.add(n.attrs.label);
  });
  return labels;
}
const footnoteNotes = new Plugin({
  appendTransaction(trs, oldState, state) {
    if (!trs.some((tr) => tr.docChanged)) return null;
    const before = refLabels(oldState.doc);
    const now = refLabels(state.doc);
    const gone = [...before].filter((l) => !now.has(l));
    if (!gone.length) return null;
    let tr = state.tr;
    const spots = [];
    state.doc.forEach((n, pos) => {
      if (n.type === t.footnote && gone.includes(n.attrs.label)) spots.push([pos, pos + n.nodeSize]);
    });
    if (!spots.length || spots.length === state.doc.childCount) return null;
    for (const [from, to] of spots.reverse()) tr = tr.delete(from, to);
    return tr;
  },
});

function buildKeymap(extra) {
  const keys = { ...extra };
  const bind = (k, cmd) => (keys[k] = cmd);
  bind("Mod-z", undo);
  bind("Mod-Shift-z", redo);
  bind("Mod-y", redo);
  bind("Backspace", undoInputRule);
  bind("Mod-b", toggleMark(m.strong));
  bind("Mod-i", toggleMark(m.em));
  bind("Mod-`", toggleMark(m.code));
  bind("Alt-Shift-5", toggleMark(m.strike)); // Google Docs
  bind("Mod-Shift-x", toggleMark(m.strike));
  bind("Mod-Shift-8", toggleList(t.bullet_list)); // Google Docs
  bind("Mod-Shift-7", toggleList(t.ordered_list));
  bind("Mod-Shift-9", toggleQuote);
  bind("Mod-Alt-0", setBlockType(t.paragraph)); // Google Docs: normal text
  bind("Mod-Alt-2", toggleHeading(2));
  bind("Mod-Alt-3", toggleHeading(3));
  bind("Ctrl-Shift-0", setBlockType(t.paragraph));
  bind("Ctrl-Shift-2", toggleHeading(2));
  bind("Ctrl-Shift-3", toggleHeading(3));
  bind("Mod-Alt-f", insertFootnote); // Google Docs
  bind("Alt-ArrowUp", joinUp);
  bind("Alt-ArrowDown", joinDown);
  const br = chainCommands(exitCode, (state, dispatch) => {
    if (dispatch) dispatch(state.tr.replaceSelectionWith(t.hard_break.create()).scrollIntoView());
    return true;
  });
  bind("Shift-Enter", br);
  bind("Mod-Enter", br);
  bind("Enter", chainCommands(enterEmbed, splitListItem(t.list_item)));
  bind("Mod-[", liftListItem(t.list_item));
  bind("Mod-]", sinkListItem(t.list_item));
  bind("Tab", chainCommands(goToNextCell(1), sinkListItem(t.list_item)));
  bind("Shift-Tab", chainCommands(goToNextCell(-1), liftListItem(t.list_item)));
  return keys;
}

function buildInputRules() {
  const rules = [
    emDash,
    ellipsis,
    wrappingInputRule(/^\s*>\s$/, t.blockquote),
    wrappingInputRule(/^(\d+)\.\s$/, t.ordered_list, (match) => ({ order: +match[1] }), (match, node) => node.childCount + node.attrs.order === +match[1]),
    wrappingInputRule(/^\s*([-+*])\s$/, t.bullet_list),
    textblockTypeInputRule(/^(#{2,3})\s$/, t.heading, (match) => ({ level: match[1].length })),
    textblockTypeInputRule(/^```$/, t.code_block),
    markRule(/(?:\*\*|__)([^*_\s](?:[^*_]*[^*_\s])?)(?:\*\*|__)$/, m.strong),
    markRule(/(?:^|[^*_\w])(?:\*|_)([^*_\s](?:[^*_]*[^*_\s])?)(?:\*|_)$/, m.em),
    markRule(/`([^`\s](?:[^`]*[^`\s])?)`$/, m.code),
  ];
  return inputRules({ rules });
}

// markRule: **bold**, _italic_ and `code` typed as Markdown become marks.
function markRule(re, type) {
  return new InputRule(re, (state, match, start, end) => {
    const text = match[1];
    const full = match[0];
    const offset = full.lastIndexOf(text);
    const markStart = start + full.indexOf(full.match(/(\*\*|__|\*|_|`)/)[0]);
    const tr = state.tr;
    const textStart = start + offset;
    const textEnd = textStart + text.length;
    // Remove the closing and opening markers (the last typed character
    // is not yet in the document: end is where it would go).
    tr.delete(textEnd, end);
    tr.delete(markStart, textStart);
    const from = markStart;
    const to = from + text.length;
    tr.addMark(from, to, type.create());
    tr.removeStoredMark(type);
    return tr;
  });
}

// --- Mounting ------------------------------------------------------------

function el(tag, attrs, kids) {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "text") n.textContent = v;
    else n.setAttribute(k, v);
  }
  for (const k of kids || []) n.appendChild(k);
  return n;
}

function mount(textarea) {
  const tpl = document.getElementById("body-editor-ui");
  if (!tpl) return null;
  const ui = tpl.content.cloneNode(true);
  const wrap = ui.querySelector(".body-editor");
  const toolbar = wrap.querySelector("[role=toolbar]");
  const surface = wrap.querySelector(".body-editor-surface");
  const dialogs = Array.from(ui.querySelectorAll("dialog"));
  const strings = wrap.dataset;
  textarea.parentNode.insertBefore(wrap, textarea);
  for (const d of dialogs) document.body.appendChild(d);
  textarea.classList.add("body-markdown");
  textarea.hidden = true;

  // Writing a long body's Markdown takes tens of milliseconds, too long
  // for every keystroke: the textarea is brought up to date a moment
  // after typing stops, and at once whenever the form is read (submit,
  // autosave, preview: the formdata event) or the Markdown view opens.
  let syncing = false;
  let stale = false;
  let timer = 0;
  function sync(state) {
    clearTimeout(timer);
    stale = false;
    const text = toMarkdown(state.doc);
    if (text !== textarea.value) {
      textarea.value = text;
      syncing = true;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
      syncing = false;
    }
  }
  function changed() {
    stale = true;
    clearTimeout(timer);
    timer = setTimeout(() => sync(view.state), 250);
  }
  function flush() {
    if (stale) sync(view.state);
  }
  if (textarea.form) {
    textarea.form.addEventListener("formdata", (e) => {
      flush();
      if (textarea.name && !textarea.disabled) e.formData.set(textarea.name, textarea.value);
    });
    textarea.form.addEventListener("submit", flush, true);
  }
  window.addEventListener("pagehide", flush);

  const label = document.querySelector('label[for="' + textarea.id + '"]');
  const state = EditorState.create({
    doc: fromMarkdown(textarea.value),
    plugins: [
      buildInputRules(),
      keymap(buildKeymap({ "Mod-k": (s, d) => commands.link(s, d) })),
      keymap(baseKeymap),
      history(),
      dropCursor(),
      gapCursor(),
      tableEditing(),
      attributions,
      footnoteNotes,
      pictures(),
      new Plugin({ view: () => ({ update: (view) => updateToolbar(view) }) }),
    ],
  });
  const fixed = fixTables(state);
  const view = new EditorView(surface, {
    state: fixed ? state.apply(fixed) : state,
    attributes: {
      role: "textbox",
      "aria-multiline": "true",
      "aria-labelledby": label ? label.id || (label.id = textarea.id + "-label") : "",
      class: "body-editor-text",
      spellcheck: "true",
      ...(textarea.getAttribute("aria-invalid") ? { "aria-invalid": "true", "aria-describedby": textarea.getAttribute("aria-describedby") || "" } : {}),
    },
    editable: () => !textarea.readOnly && !textarea.disabled,
    transformPastedHTML: cleanPastedHTML,
    transformPastedText: (text) => text,
    clipboardTextParser: (text, $context, plain) => {
      // Plain text pasted is Markdown (or plain paragraphs): read it as
      // the body reads it, unless it goes into a cell or code.
      if (plain || $context.parent.type.spec.code || $context.parent.type === t.table_cell || $context.parent.type === t.table_header) return null;
      const doc = fromMarkdown(text);
      return doc.slice(0, doc.content.size, true);
    },
    handlePaste: (view, event, slice) => pastedLink(view, event) || pastedBlocks(view, slice),
    dispatchTransaction(tr) {
      const before = view.state.doc;
      view.updateState(view.state.apply(tr));
      if (!before.eq(view.state.doc)) changed();
    },
  });

  // The body's label and the error summary's "Go to the field" link lead
  // to the editor while the textarea is hidden.
  document.addEventListener("click", (e) => {
    const a = e.target.closest && e.target.closest('a[href="#' + textarea.id + '"], label[for="' + textarea.id + '"]');
    if (!a || !textarea.hidden) return;
    e.preventDefault();
    view.dom.scrollIntoView({ block: "center" });
    view.focus();
  });

  // A change made to the textarea by another script (or in the Markdown
  // view) is read back into the editor.
  textarea.addEventListener("input", () => {
    if (syncing || !textarea.hidden) return;
    setMarkdown(textarea.value, false);
  });

  function setMarkdown(text, keepHistory) {
    const doc = fromMarkdown(text);
    let tr = view.state.tr.replaceWith(0, view.state.doc.content.size, doc.content);
    if (!keepHistory) tr = tr.setMeta("addToHistory", false);
    view.dispatch(tr);
    flush();
  }

  // The toolbar: buttons with data-cmd.
  const commands = {
    paragraph: setBlockType(t.paragraph),
    h2: toggleHeading(2),
    h3: toggleHeading(3),
    bold: toggleMark(m.strong),
    italic: toggleMark(m.em),
    link: (state, dispatch) => {
      if (state.selection.empty && !markActive(state, m.link)) return false;
      if (dispatch) askLink(view);
      return true;
    },
    bullets: toggleList(t.bullet_list),
    numbers: toggleList(t.ordered_list),
    quote: toggleQuote,
    attribution: addAttribution,
    table: insertTable,
    row: addRowAfter,
    column: addColumnAfter,
    "delete-row": deleteRow,
    "delete-column": deleteColumn,
    "delete-table": deleteTable,
    footnote: insertFootnote,
    embed: (state, dispatch) => {
      if (dispatch) askEmbed(view);
      return true;
    },
    picture: (state, dispatch) => {
      if (dispatch) pickPicture(view);
      return true;
    },
    undo,
    redo,
  };
  const active = {
    paragraph: (s) => blockActive(s, t.paragraph),
    h2: (s) => blockActive(s, t.heading, { level: 2 }),
    h3: (s) => blockActive(s, t.heading, { level: 3 }),
    bold: (s) => markActive(s, m.strong),
    italic: (s) => markActive(s, m.em),
    link: (s) => markActive(s, m.link),
    bullets: (s) => !!inNode(s, t.bullet_list),
    numbers: (s) => !!inNode(s, t.ordered_list),
    quote: (s) => !!inNode(s, t.blockquote),
  };
  const buttons = Array.from(toolbar.querySelectorAll("button[data-cmd]"));
  toolbar.addEventListener("mousedown", (e) => {
    if (e.target.closest("button[data-cmd]")) e.preventDefault(); // keep the selection
  });
  toolbar.addEventListener("click", (e) => {
    const b = e.target.closest("button");
    if (!b) return;
    if (b.dataset.cmd) {
      const cmd = commands[b.dataset.cmd];
      if (cmd && cmd(view.state, view.dispatch, view)) view.focus();
      return;
    }
    if (b.dataset.toggle === "markdown") toggleMarkdown(b);
  });
  // Roving focus in the toolbar: one Tab stop, arrows move along it.
  toolbar.addEventListener("keydown", (e) => {
    const all = Array.from(toolbar.querySelectorAll("button:not([hidden])"));
    const i = all.indexOf(document.activeElement);
    if (i < 0) return;
    let j = -1;
    if (e.key === "ArrowRight") j = (i + 1) % all.length;
    else if (e.key === "ArrowLeft") j = (i - 1 + all.length) % all.length;
    else if (e.key === "Home") j = 0;
    else if (e.key === "End") j = all.length - 1;
    if (j < 0) return;
    e.preventDefault();
    all.forEach((b) => (b.tabIndex = -1));
    all[j].tabIndex = 0;
    all[j].focus();
  });
  const allButtons = Array.from(toolbar.querySelectorAll("button"));
  allButtons.forEach((b, i) => (b.tabIndex = i === 0 ? 0 : -1));

  function updateToolbar(v) {
    for (const b of buttons) {
      const name = b.dataset.cmd;
      const cmd = commands[name];
      const tableOnly = b.dataset.table === "1";
      if (tableOnly) b.hidden = !inNode(v.state, t.table);
      if (cmd) b.disabled = ["picture", "embed"].includes(name) ? false : !cmd(v.state);
      if (active[name]) b.setAttribute("aria-pressed", active[name](v.state) ? "true" : "false");
    }
  }
  updateToolbar(view);

  const mdButton = toolbar.querySelector('[data-toggle="markdown"]');
  function toggleMarkdown(b) {
    const toMd = textarea.hidden;
    if (toMd) {
      sync(view.state);
      surface.hidden = true;
      textarea.hidden = false;
      buttons.forEach((x) => (x.disabled = true));
      b.setAttribute("aria-pressed", "true");
      textarea.focus();
    } else {
      textarea.hidden = true;
      surface.hidden = false;
      setMarkdown(textarea.value, true);
      b.setAttribute("aria-pressed", "false");
      updateToolbar(view);
      view.focus();
    }
  }
  if (mdButton) mdButton.setAttribute("aria-pressed", "false");

  // --- Dialogs: link, embed, picture --------------------------------------

  function dialog(id) {
    return document.getElementById(id);
  }

  // ask opens a dialog whose form's fields are filled from values, and
  // calls done with the fields' values when it is submitted.
  function ask(d, values, done) {
    const form = d.querySelector("form");
    for (const [k, v] of Object.entries(values)) if (form.elements[k]) form.elements[k].value = v == null ? "" : v;
    const err = d.querySelector(".dialog-error");
    if (err) err.textContent = "";
    const onSubmit = (e) => {
      e.preventDefault();
      const out = {};
      for (const f of Array.from(form.elements)) if (f.name) out[f.name] = f.value;
      if (done(out, (msg) => err && (err.textContent = msg)) !== false) close();
    };
    const close = () => {
      form.removeEventListener("submit", onSubmit);
      if (d.open) d.close();
      view.focus();
    };
    form.addEventListener("submit", onSubmit);
    form.querySelectorAll("[data-close]").forEach((b) => (b.onclick = close));
    d.onclose = () => form.removeEventListener("submit", onSubmit);
    d.showModal();
    const first = form.querySelector("input, textarea");
    if (first) first.focus();
  }

  function askLink(v) {
    const { state } = v;
    let href = "";
    const { $from } = state.selection;
    const lm = m.link.isInSet($from.marks()) || (state.selection.empty ? null : null);
    if (lm) href = lm.attrs.href;
    ask(dialog("body-link-dialog"), { href }, (vals) => {
      const h = cleanHref(vals.href.trim()) || vals.href.trim();
      let { from, to, empty } = v.state.selection;
      if (empty) {
        // Extend over the link the cursor is in.
        const $p = v.state.doc.resolve(from);
        const start = $p.parent.childBefore($p.parentOffset);
        if (start.node) {
          from = $p.start() + start.offset;
          to = from + start.node.nodeSize;
        }
      }
      let tr = v.state.tr.removeMark(from, to, m.link);
      if (h) tr = tr.addMark(from, to, m.link.create({ href: h }));
      v.dispatch(tr);
    });
  }

  function askEmbed(v) {
    ask(dialog("body-embed-dialog"), { url: "", caption: "" }, (vals, fail) => {
      const url = vals.url.trim();
      if (!embeddable(url)) {
        fail(strings.msgBadUrl || "");
        return false;
      }
      insertBlock(v, t.embed.create({ url, caption: vals.caption.trim() }));
    });
  }

  function insertBlock(v, node, pos) {
    let tr = v.state.tr;
    if (pos == null) {
      const { $from } = v.state.selection;
      pos = $from.depth ? $from.after(1) : $from.pos;
      // An empty paragraph the cursor is in is replaced.
      if ($from.depth === 1 && $from.parent.type === t.paragraph && !$from.parent.content.size) {
        tr = tr.replaceWith($from.before(1), $from.after(1), node);
        v.dispatch(tr.setSelection(NodeSelection.create(tr.doc, $from.before(1))).scrollIntoView());
        return;
      }
    }
    tr = tr.insert(pos, node);
    v.dispatch(tr.setSelection(NodeSelection.create(tr.doc, pos)).scrollIntoView());
  }

  // askPicture asks for the caption, credit and alternative text of item
  // (a library picture) and puts it in the body at pos.
  function askPicture(v, item, pos) {
    ask(dialog("body-picture-dialog"), { caption: item.caption, credit: item.credit, alt: item.alt }, (vals, fail) => {
      if (!vals.alt.trim()) {
        fail(strings.msgNeedAlt || "");
        return false;
      }
      const node = t.figure.create({ src: item.url, alt: vals.alt.trim(), caption: vals.caption.trim(), credit: vals.credit.trim() });
      insertBlock(v, node, pos);
    });
  }
  view.askPicture = askPicture;

  // The library picker (media.js's dialog) fills hidden fields; the
  // chosen picture then gets its caption asked.
  const pickButton = document.querySelector("#body-pick button.pick-image");
  const pickURL = document.getElementById("body-pick-url");
  if (pickURL) {
    pickURL.addEventListener("change", () => {
      setTimeout(() => {
        const get = (k) => (document.getElementById("body-pick-" + k) || {}).value || "";
        if (!get("url")) return;
        askPicture(view, { url: get("url"), caption: get("caption"), credit: get("credit"), alt: get("alt") }, pickPos);
        pickURL.value = "";
      }, 0);
    });
  }
  let pickPos = null;
  function pickPicture(v) {
    pickPos = null;
    if (pickButton) pickButton.click();
    void v;
  }

  // Status messages (uploading, failures) for screen readers too.
  const status = wrap.querySelector(".body-editor-status");
  view.say = (text) => {
    if (status) status.textContent = text;
  };
  view.strings = strings;
  // focusEnd puts the cursor in an empty paragraph at the end of the body.
  function focusEnd() {
    let tr = view.state.tr;
    const last = tr.doc.lastChild;
    if (!(last && last.type === t.paragraph && !last.content.size)) tr = tr.insert(tr.doc.content.size, t.paragraph.create());
    tr = tr.setSelection(TextSelection.create(tr.doc, tr.doc.content.size - 1));
    view.dispatch(tr.scrollIntoView());
    view.focus();
  }
  return { view, setMarkdown, focusEnd, flush, toMarkdown: () => toMarkdown(view.state.doc), textarea };
}

// pastedLink: an address pasted alone into an empty top-level paragraph
// becomes an embed; pasted over a selection it links the selection.
function pastedLink(view, event) {
  const text = (event.clipboardData && event.clipboardData.getData("text/plain")) || "";
  const html = event.clipboardData && event.clipboardData.getData("text/html");
  const url = text.trim();
  if (!url || /\s/.test(url) || !urlRE.test(url)) return false;
  if (html && !/^<a\b[^>]*>[^<]*<\/a>$/i.test(html.replace(/<meta[^>]*>/i, "").trim()) && html.replace(/<[^>]+>/g, "").trim() !== url) return false;
  const { state } = view;
  const { $from, empty } = state.selection;
  if (!empty) {
    view.dispatch(state.tr.addMark(state.selection.from, state.selection.to, m.link.create({ href: cleanHref(url) || url })));
    return true;
  }
  if ($from.depth === 1 && $from.parent.type === t.paragraph && !$from.parent.content.size && embeddable(url)) {
    const start = $from.before(1);
    const tr = state.tr.replaceWith(start, $from.after(1), [t.embed.create({ url, caption: "" }), t.paragraph.create()]);
    view.dispatch(tr.setSelection(TextSelection.create(tr.doc, start + tr.doc.nodeAt(start).nodeSize + 1)).scrollIntoView());
    return true;
  }
  return false;
}

// pastedBlocks: a fragment that starts with a subhead, list, quote or
// table, pasted at the end of a paragraph with text, goes after that
// paragraph instead of joining its first line to it.
function pastedBlocks(view, slice) {
  const { $from, empty } = view.state.selection;
  const first = slice.content.firstChild;
  if (!empty || !first || !first.isBlock || first.type === t.paragraph || !slice.openStart) return false;
  if (!$from.parent.isTextblock || !$from.parent.content.size || $from.parentOffset !== $from.parent.content.size || $from.parent.type === t.code_block) return false;
  if ($from.node($from.depth - 1).type === t.table_row) return false;
  const pos = $from.after();
  let tr = view.state.tr;
  try {
    tr = tr.replace(pos, pos, new Slice(slice.content, 0, slice.openEnd));
  } catch {
    return false;
  }
  view.dispatch(tr.scrollIntoView());
  return true;
}

// --- Pictures: dropped or pasted files go to the library ----------------

function imageFiles(list) {
  return Array.from(list || []).filter((f) => /^image\/(jpeg|png|webp|gif)$/.test(f.type));
}

function upload(view, file, pos) {
  const csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  const fd = new FormData();
  fd.append("file", file);
  view.say(view.strings.msgUploading || "");
  return fetch("/desk/media", { method: "POST", body: fd, credentials: "same-origin", headers: { Accept: "application/json", "X-CSRF-Token": csrf } })
    .then((r) => r.json())
    .then((data) => {
      if (!data.item) {
        view.say((data.error && data.error.message) || view.strings.msgUploadFailed || "");
        return;
      }
      view.say("");
      view.askPicture(view, data.item, pos);
    })
    .catch(() => view.say(view.strings.msgUploadFailed || ""));
}

function pictures() {
  return new Plugin({
    props: {
      handleDrop(view, event, _slice, moved) {
        if (moved) return false;
        const files = imageFiles(event.dataTransfer && event.dataTransfer.files);
        if (!files.length) return false;
        event.preventDefault();
        const at = view.posAtCoords({ left: event.clientX, top: event.clientY });
        let pos = null;
        if (at) {
          const $p = view.state.doc.resolve(at.pos);
          // Before the block when dropped at its start, else after it.
          pos = !$p.depth ? $p.pos : $p.parentOffset === 0 ? $p.before(1) : $p.after(1);
        }
        upload(view, files[0], pos);
        return true;
      },
      handlePaste(view, event) {
        const files = imageFiles(event.clipboardData && event.clipboardData.files);
        if (!files.length) return false;
        event.preventDefault();
        upload(view, files[0], null);
        return true;
      },
    },
  });
}

// --- Start ---------------------------------------------------------------

function start() {
  const textarea = document.getElementById("f-body");
  if (!textarea || textarea.dataset.richEditor === "off") return;
  const ed = mount(textarea);
  if (ed) {
    // When the editor took input, for the benchmark (ms since navigation).
    ed.readyAt = performance.now();
    window.newsdeskBodyEditor = ed;
  }
}

// For tests and the benchmark: the Markdown the editor writes for text,
// without a view.
window.newsdeskMarkdown = {
  roundTrip: (text) => toMarkdown(fromMarkdown(text)),
  parse: fromMarkdown,
  serialize: toMarkdown,
  pasted: (html) => {
    const div = document.createElement("div");
    div.innerHTML = cleanPastedHTML(html);
    return div.innerHTML;
  },
  embed: embedMarkdown,
  provider,
};

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
