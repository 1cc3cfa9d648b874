/**
 * A tiny DOM helper: h('button.primary', { onclick }, 'Text'). No framework, so the first load stays
 * small. Screens rebuild their sections from the state and apply them with `patch`, which updates the
 * live DOM in place (so a click, a focus or a scroll position survives a redraw), or `replace`.
 */

export type Child = Node | string | number | null | undefined | false | Child[];
type Attrs = Record<string, unknown> & { class?: string; style?: string; dataset?: Record<string, string> };

export function h<K extends keyof HTMLElementTagNameMap>(tag: K | `${K}.${string}` | `${K}#${string}`, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K];
export function h(spec: string, attrs?: Attrs | null, ...children: Child[]): HTMLElement {
  const tag = /^[a-z][a-z0-9]*/i.exec(spec)?.[0] ?? 'div';
  const el = document.createElement(tag);
  const id = /#([\w-]+)/.exec(spec)?.[1];
  if (id) el.id = id;
  const classes = [...spec.matchAll(/\.([\w-]+)/g)].map((m) => m[1]!);
  if (classes.length) el.className = classes.join(' ');
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v == null || v === false) continue;
      if (k === 'class') el.className = [el.className, String(v)].filter(Boolean).join(' ');
      else if (k === 'dataset') Object.assign(el.dataset, v as Record<string, string>);
      else if (k === 'style') el.setAttribute('style', String(v));
      else if (k.startsWith('on') && typeof v === 'function') on(el, k.slice(2), v as EventListener);
      else if (k === 'value' && 'value' in el) (el as HTMLInputElement).value = String(v);
      else if (k === 'checked' || k === 'selected' || k === 'disabled' || k === 'hidden' || k === 'open') {
        (el as unknown as Record<string, boolean>)[k] = Boolean(v);
        if (v === true) el.setAttribute(k, '');
      } else if (v === true) el.setAttribute(k, '');
      else el.setAttribute(k, String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c == null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
}

/**
 * Event handlers set through h() go through one listener per type that calls the element's current
 * handler, so that `patch` can give a live element the handlers of its newer copy.
 */
type Handlers = Record<string, EventListener>;
const HANDLERS = Symbol('handlers');
type WithHandlers = Element & { [HANDLERS]?: Handlers };

function dispatch(this: WithHandlers, e: Event): void {
  this[HANDLERS]?.[e.type]?.call(this, e);
}

function on(el: Element, type: string, fn: EventListener): void {
  const w = el as WithHandlers;
  if (!w[HANDLERS]) w[HANDLERS] = {};
  const map = w[HANDLERS];
  if (!map[type]) el.addEventListener(type, dispatch as EventListener);
  map[type] = fn;
}

/**
 * Make the children of `el` look like `children`, reusing the live nodes where the new ones are the
 * same kind of element: attributes, text, form values and handlers are updated in place. A button
 * under the pointer therefore stays the same node while the session changes around it, and the
 * click lands (a full replacement between mousedown and mouseup loses the click). Elements with a
 * different id, data-key, data-testid or data-focus are replaced, not reused; nodes marked
 * `data-keep` (long-lived views such as the map) are moved in as they are. A <details> keeps the
 * open/closed state its reader gave it.
 */
export function patch(el: Element, ...children: Child[]): void {
  const active = document.activeElement as HTMLElement | null;
  const key = active && el.contains(active) ? (active.id ? `#${CSS.escape(active.id)}` : active.dataset['focus'] ? `[data-focus="${CSS.escape(active.dataset['focus'])}"]` : null) : null;
  const holder = document.createElement('div');
  append(holder, children);
  morphChildren(el, holder);
  if (key && !el.contains(active)) {
    const next = el.querySelector<HTMLElement>(key);
    next?.focus({ preventScroll: true });
  }
}

const IDENTITY = ['id', 'data-key', 'data-testid', 'data-focus'];

function sameKind(a: Node, b: Node): boolean {
  if (a.nodeType !== b.nodeType) return false;
  if (a.nodeType !== Node.ELEMENT_NODE) return true;
  const x = a as Element;
  const y = b as Element;
  if (x.namespaceURI !== y.namespaceURI || x.tagName !== y.tagName) return false;
  if (x.hasAttribute('data-keep') || y.hasAttribute('data-keep')) return false;
  if (x instanceof HTMLInputElement && x.type !== (y as HTMLInputElement).type) return false;
  return IDENTITY.every((k) => x.getAttribute(k) === y.getAttribute(k));
}

function morphChildren(live: Node, next: Node): void {
  const wanted = [...next.childNodes];
  let cur = live.firstChild;
  for (const n of wanted) {
    if (cur === n) {
      cur = cur.nextSibling;
      continue;
    }
    if (cur && sameKind(cur, n)) {
      morph(cur, n);
      cur = cur.nextSibling;
    } else if (cur && cur.nextSibling === n) {
      // A kept node one step further on: drop the node before it.
      const gone = cur;
      cur = n.nextSibling;
      gone.remove();
    } else {
      live.insertBefore(n, cur);
    }
  }
  while (cur) {
    const gone = cur;
    cur = cur.nextSibling;
    gone.remove();
  }
}

function morph(live: Node, next: Node): void {
  if (live.nodeType !== Node.ELEMENT_NODE) {
    if (live.nodeValue !== next.nodeValue) live.nodeValue = next.nodeValue;
    return;
  }
  const a = live as WithHandlers;
  const b = next as WithHandlers;
  for (const attr of [...a.attributes]) {
    if (attr.name === 'open' && a.tagName === 'DETAILS') continue;
    if (!b.hasAttribute(attr.name)) a.removeAttribute(attr.name);
  }
  for (const attr of [...b.attributes]) {
    if (attr.name === 'open' && a.tagName === 'DETAILS') continue;
    if (a.getAttribute(attr.name) !== attr.value) a.setAttribute(attr.name, attr.value);
  }
  const handlers = b[HANDLERS];
  if (handlers || a[HANDLERS]) {
    for (const type of Object.keys(handlers ?? {})) if (!a[HANDLERS]?.[type]) a.addEventListener(type, dispatch as EventListener);
    a[HANDLERS] = { ...(handlers ?? {}) };
  }
  // innerHTML-built SVG and text: children as well.
  morphChildren(a, b);
  if (a instanceof HTMLInputElement) {
    const n = b as unknown as HTMLInputElement;
    if (a.type === 'checkbox' || a.type === 'radio') {
      if (a.checked !== n.checked) a.checked = n.checked;
    } else if (a.value !== n.value) a.value = n.value;
    if (a.disabled !== n.disabled) a.disabled = n.disabled;
  } else if (a instanceof HTMLTextAreaElement) {
    const n = b as unknown as HTMLTextAreaElement;
    if (a.value !== n.value) a.value = n.value;
  } else if (a instanceof HTMLSelectElement) {
    const n = b as unknown as HTMLSelectElement;
    if (a.value !== n.value) a.value = n.value;
  } else if (a instanceof HTMLOptionElement) {
    const n = b as unknown as HTMLOptionElement;
    if (a.selected !== n.selected) a.selected = n.selected;
  }
}

/** Replace the children of `el`, keeping keyboard focus on the element with the same id or data-focus key. */
export function replace(el: Element, ...children: Child[]): void {
  const active = document.activeElement as HTMLElement | null;
  const key = active && el.contains(active) ? (active.id ? `#${CSS.escape(active.id)}` : active.dataset['focus'] ? `[data-focus="${CSS.escape(active.dataset['focus'])}"]` : null) : null;
  const selStart = active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement ? active.selectionStart : null;
  el.replaceChildren();
  append(el, children);
  if (key) {
    const next = el.querySelector<HTMLElement>(key);
    if (next) {
      next.focus({ preventScroll: true });
      if (selStart != null && (next instanceof HTMLInputElement || next instanceof HTMLTextAreaElement)) {
        try {
          next.setSelectionRange(selStart, selStart);
        } catch {
          /* not a text input */
        }
      }
    }
  }
}

let liveTimer: number | undefined;
/** Say something to screen-reader users (polite). */
export function announce(text: string): void {
  const region = document.getElementById('live');
  if (!region) return;
  region.textContent = '';
  window.clearTimeout(liveTimer);
  liveTimer = window.setTimeout(() => {
    region.textContent = text;
  }, 50);
}

export function icon(name: IconName, label?: string): SVGSVGElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', `icon icon-${name}`);
  svg.setAttribute('fill', 'none');
  svg.setAttribute('stroke', 'currentColor');
  svg.setAttribute('stroke-width', '2');
  svg.setAttribute('stroke-linecap', 'round');
  svg.setAttribute('stroke-linejoin', 'round');
  if (label) {
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', label);
  } else svg.setAttribute('aria-hidden', 'true');
  svg.innerHTML = ICONS[name];
  return svg;
}

const ICONS = {
  handshake: '<path d="M3 12l4-4 4 2 3-3 7 7-4 4"/><path d="M7 8l-4 4 6 6 2-2"/><path d="M11 14l2 2"/>',
  bolt: '<path d="M13 2L4 14h7l-1 8 9-12h-7z"/>',
  clock: '<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3 2"/>',
  wifi: '<path d="M2 9a15 15 0 0 1 20 0"/><path d="M5 12.5a10 10 0 0 1 14 0"/><path d="M8.5 16a5 5 0 0 1 7 0"/><circle cx="12" cy="19.5" r="1"/>',
  check: '<path d="M4 12l5 5L20 6"/>',
  x: '<path d="M6 6l12 12M18 6L6 18"/>',
  chat: '<path d="M4 5h16v11H9l-5 4z"/>',
  doc: '<path d="M6 3h9l4 4v14H6z"/><path d="M14 3v5h5M9 13h7M9 17h7"/>',
  flag: '<path d="M5 21V4M5 4h12l-2 4 2 4H5"/>',
  news: '<rect x="3" y="5" width="18" height="14" rx="2"/><path d="M7 9h6M7 13h10M7 16h10"/>',
  lock: '<rect x="5" y="11" width="14" height="10" rx="2"/><path d="M8 11V8a4 4 0 0 1 8 0v3"/>',
  users: '<circle cx="9" cy="8" r="3.5"/><path d="M2.5 20a6.5 6.5 0 0 1 13 0"/><path d="M16 4.5a3.5 3.5 0 0 1 0 7M18 14a6 6 0 0 1 4 6"/>',
  play: '<path d="M7 4l13 8-13 8z"/>',
  pause: '<path d="M8 5v14M16 5v14"/>',
  skip: '<path d="M5 5l10 7-10 7z"/><path d="M19 5v14"/>',
  map: '<path d="M9 4L3 6v14l6-2 6 2 6-2V4l-6 2z"/><path d="M9 4v14M15 6v14"/>',
  trophy: '<path d="M8 4h8v5a4 4 0 0 1-8 0z"/><path d="M8 6H4a3 3 0 0 0 4 4M16 6h4a3 3 0 0 1-4 4M12 13v4M8 21h8M9 17h6"/>',
  send: '<path d="M4 12l16-8-6 16-3-7z"/>',
  projector: '<rect x="3" y="6" width="18" height="10" rx="2"/><circle cx="15" cy="11" r="2.5"/><path d="M7 20l2-4M17 20l-2-4"/>',
  undo: '<path d="M9 14L4 9l5-5"/><path d="M4 9h10a6 6 0 0 1 0 12h-3"/>',
  sparkle: '<path d="M12 3v4M12 17v4M3 12h4M17 12h4M6 6l2.5 2.5M15.5 15.5L18 18M6 18l2.5-2.5M15.5 8.5L18 6"/>',
  copy: '<rect x="8" y="8" width="12" height="12" rx="2"/><path d="M16 8V5a1 1 0 0 0-1-1H5a1 1 0 0 0-1 1v10a1 1 0 0 0 1 1h3"/>',
  arrow: '<path d="M5 12h14M13 6l6 6-6 6"/>',
  bot: '<rect x="5" y="8" width="14" height="11" rx="3"/><path d="M12 4v4M9 13h.01M15 13h.01"/>',
  back: '<path d="M19 12H5M11 6l-6 6 6 6"/>',
  first: '<path d="M19 5L9 12l10 7z"/><path d="M5 5v14"/>',
  fork: '<circle cx="6" cy="5" r="2"/><circle cx="18" cy="5" r="2"/><circle cx="12" cy="19" r="2"/><path d="M6 7v2a3 3 0 0 0 3 3h6a3 3 0 0 0 3-3V7M12 12v5"/>',
  chart: '<path d="M4 20V4M4 20h16"/><path d="M7 15l4-5 3 3 5-6"/>',
  download: '<path d="M12 4v11M7 10l5 5 5-5M5 20h14"/>',
  print: '<path d="M7 9V4h10v5"/><rect x="4" y="9" width="16" height="8" rx="2"/><path d="M7 14h10v6H7z"/>',
} as const;
export type IconName = keyof typeof ICONS;

export function fmtTime(ts: number): string {
  return new Date(ts).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}
