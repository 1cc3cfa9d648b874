/**
 * The designer's workshop (#/workshop): write a scenario on the left, see it on the right. Open, paste
 * or drop a file; the engine's parser and checks run as you type (errors underlined and listed);
 * the Preview tab shows the scenario as players will meet it, the Balance tab plays bot games in a
 * worker; "Play it now" starts a sandbox session with the draft; "Publish" uploads it into the server's
 * library with the designer password (teachers can choose it at once). The draft is kept in this browser.
 */
import './workshop.css';
import type { EditorView } from 'codemirror';
import type { CreateSessionResponse, PublishScenarioResponse } from '#shared/protocol.ts';
import type { Scenario } from '#shared/scenario/schema.ts';
import hanoi from '../../../scenarios/hanoi-2024.yaml?raw';
import { app, toast, toastError, type Screen } from '../app.ts';
import { api, rememberSecret, Session, serverUrl } from '../net/session.ts';
import { brand } from '../ui/chrome.ts';
import { announce, h, icon } from '../ui/dom.ts';
import { BalancePanel } from './balance.ts';
import { type Checked, createEditor, goTo, setText } from './editor.ts';
import { Preview } from './preview.ts';
import { renderProblems } from './problems.ts';

const STORE = 'bamboo:workshop:draft';
type Tab = 'preview' | 'balance';

export class WorkshopScreen implements Screen {
  private view: EditorView | undefined;
  private valid: Scenario | undefined;
  private ok = false;
  private tab: Tab = 'preview';
  private preview = new Preview();
  private balance = new BalancePanel(() => (this.ok ? this.valid : undefined));
  private problems = h('div.ws-problems', { 'aria-label': 'Problems' });
  private fileName = 'scenario.yaml';
  private tabs: Record<Tab, HTMLButtonElement> = {
    preview: h('button', { type: 'button', role: 'tab', id: 'ws-tab-preview', 'aria-controls': 'ws-panel-preview', onclick: () => this.show('preview') }, icon('map'), 'Preview'),
    balance: h('button', { type: 'button', role: 'tab', id: 'ws-tab-balance', 'aria-controls': 'ws-panel-balance', onclick: () => this.show('balance') }, icon('chart'), 'Balance'),
  };
  private panels: Record<Tab, HTMLElement> = {
    preview: h('div#ws-panel-preview.ws-panel', { role: 'tabpanel', tabindex: '0', 'aria-labelledby': 'ws-tab-preview' }),
    balance: h('div#ws-panel-balance.ws-panel', { role: 'tabpanel', tabindex: '0', 'aria-labelledby': 'ws-tab-balance' }),
  };
  private playBtn = h('button.btn-primary', { type: 'button', 'data-testid': 'play-now', onclick: () => void this.playNow() }, icon('play'), 'Play it now');
  private publishBtn = h('button.btn-sm.ws-top-btn', { type: 'button', 'data-testid': 'publish', 'aria-label': 'Publish to this server', title: 'Publish to this server: teachers can choose it at once', onclick: () => this.openPublish() }, icon('send'), h('span.ws-label', null, 'Publish…'));
  private password = h('input#ws-designer-password', { type: 'password', autocomplete: 'current-password', required: true, 'data-testid': 'designer-password' });
  private publishStatus = h('p.ws-publish-status', { role: 'status', 'data-testid': 'publish-status' });
  private publishSubmit = h('button.btn-primary', { type: 'submit', 'data-testid': 'publish-submit' }, 'Publish');
  private publishDialog = h(
    'dialog.ws-publish',
    { 'aria-labelledby': 'ws-publish-title', 'data-testid': 'publish-dialog' },
    h(
      'form',
      { method: 'dialog', onsubmit: (e: SubmitEvent) => { e.preventDefault(); void this.publish(); } },
      h('h2#ws-publish-title', null, 'Publish to this server'),
      h('p', null, 'The scenario goes into the server\u2019s library, and teachers can choose it at once. A scenario with the same id is replaced; sessions already running, and recorded ones, keep their version.'),
      h('label', { for: 'ws-designer-password' }, 'Designer password'),
      this.password,
      this.publishStatus,
      h('div.ws-publish-actions', null, h('button', { type: 'button', onclick: () => this.publishDialog.close() }, 'Cancel'), this.publishSubmit),
    ),
  );
  private fileIn = h('input', { type: 'file', accept: '.yaml,.yml,text/yaml', hidden: true, onchange: () => void this.openFile(this.fileIn.files?.[0]) });

  mount(root: HTMLElement): void {
    const edit = h('div.ws-editor', { 'data-testid': 'editor' });
    const top = h(
      'header.topbar',
      null,
      h('a', { href: '#/', 'aria-label': 'Bamboo home', style: 'color:inherit;text-decoration:none' }, brand()),
      h('span.ws-title', null, 'Scenario workshop'),
      h('span.spacer'),
      h('div.ws-actions', null,
        h('button.btn-sm.ws-top-btn', { type: 'button', 'aria-label': 'Open a file', title: 'Open a file (or drop one on the editor)', onclick: () => this.fileIn.click() }, icon('doc'), h('span.ws-label', null, 'Open…')),
        h('button.btn-sm.ws-top-btn', { type: 'button', 'aria-label': 'Load the Hanoi 2024 example', title: 'Load the Hanoi 2024 example', onclick: () => this.load(hanoi, 'hanoi-2024.yaml') }, icon('sparkle'), h('span.ws-label', null, 'Example')),
        h('button.btn-sm.ws-top-btn', { type: 'button', 'aria-label': 'Save the file', title: 'Save the file', onclick: () => this.download() }, icon('download'), h('span.ws-label', null, 'Save')),
        this.publishBtn,
        this.playBtn,
      ),
      this.fileIn,
    );
    this.panels.preview.append(this.preview.el);
    this.panels.balance.append(this.balance.el);
    const main = h(
      'main#main.ws-main',
      { tabindex: '-1' },
      h(
        'section.ws-left',
        { 'aria-label': 'Scenario file', ondragover: (e: DragEvent) => this.dragOver(e, true), ondragleave: (e: DragEvent) => this.dragOver(e, false), ondrop: (e: DragEvent) => this.drop(e) },
        edit,
        this.problems,
      ),
      h('section.ws-right', { 'aria-label': 'Preview and balance' }, h('div.tabs.ws-tabs', { role: 'tablist', 'aria-label': 'Workshop views', onkeydown: (e: KeyboardEvent) => this.tabKey(e) }, this.tabs.preview, this.tabs.balance), this.panels.preview, this.panels.balance),
    );
    root.append(top, main, this.publishDialog);
    const saved = localStorage.getItem(STORE);
    this.view = createEditor(edit, saved ?? hanoi, (c) => this.checked(c));
    this.show('preview');
  }

  private checked({ text, result }: Checked): void {
    this.ok = result.ok;
    if (result.ok) this.valid = result.scenario;
    try {
      localStorage.setItem(STORE, text);
    } catch {
      // A full or blocked storage: the draft stays in the editor.
    }
    renderProblems(this.problems, result, (i) => this.view && goTo(this.view, i));
    this.playBtn.disabled = !result.ok;
    this.publishBtn.disabled = !result.ok;
    this.playBtn.title = result.ok ? 'Start a sandbox session with this draft: you play every power' : 'Fix the errors first';
    if (this.valid) this.preview.show(this.valid, !result.ok);
    else this.preview.el.replaceChildren(h('div.ws-empty', null, icon('doc'), h('h3', null, 'Nothing to preview yet'), h('p', null, 'Fix the problems listed under the editor and the scenario appears here as players will see it.')));
  }

  private show(tab: Tab): void {
    this.tab = tab;
    for (const t of ['preview', 'balance'] as Tab[]) {
      this.tabs[t].setAttribute('aria-selected', String(t === tab));
      this.tabs[t].tabIndex = t === tab ? 0 : -1;
      this.panels[t].hidden = t !== tab;
    }
  }

  private tabKey(e: KeyboardEvent): void {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const next: Tab = this.tab === 'preview' ? 'balance' : 'preview';
    this.show(next);
    this.tabs[next].focus();
  }

  private load(text: string, name: string): void {
    if (!this.view) return;
    this.fileName = name;
    setText(this.view, text);
    announce(`Opened ${name}`);
  }

  private async openFile(file: File | undefined): Promise<void> {
    if (!file) return;
    if (file.size > 2 * 1024 * 1024) {
      toastError({ code: 'TOO_LARGE', message: `${file.name} is ${Math.round(file.size / 1024)} KB: a scenario may be at most 512 KB.` });
      return;
    }
    this.load(await file.text(), file.name);
  }

  private dragOver(e: DragEvent, on: boolean): void {
    e.preventDefault();
    (e.currentTarget as HTMLElement).classList.toggle('ws-dropping', on);
  }

  private drop(e: DragEvent): void {
    e.preventDefault();
    (e.currentTarget as HTMLElement).classList.remove('ws-dropping');
    void this.openFile(e.dataTransfer?.files?.[0]);
  }

  private download(): void {
    if (!this.view) return;
    const url = URL.createObjectURL(new Blob([this.view.state.doc.toString()], { type: 'text/yaml' }));
    const a = h('a', { href: url, download: this.fileName });
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  /** A sandbox session with the draft (POST /api/sessions with the YAML, gzipped), then its console. */
  private async playNow(): Promise<void> {
    if (!this.view || !this.ok) return;
    this.playBtn.disabled = true;
    try {
      const text = this.view.state.doc.toString();
      const gz = await new Response(new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer();
      const res = await api<CreateSessionResponse>('/api/sessions', { method: 'POST', body: gz, headers: { 'content-type': 'application/yaml', 'content-encoding': 'gzip' } });
      rememberSecret(res.code, res.secret);
      const s = new Session(res.code);
      await s.join({ role: 'facilitator', secret: res.secret, name: 'Designer' });
      app.useSession(s);
      app.go({ name: 'console', code: res.code });
      announce(`Sandbox session ${res.code} started with your draft`);
    } catch (e) {
      toastError(e);
      this.playBtn.disabled = false;
    }
  }

  private openPublish(): void {
    if (!this.ok) return;
    this.publishStatus.textContent = '';
    this.publishDialog.showModal();
    this.password.focus();
  }

  /** POST /api/scenarios with the YAML (gzipped) and the designer password as a Bearer credential. */
  private async publish(): Promise<void> {
    if (!this.view || !this.ok) return;
    const password = this.password.value;
    if (!password) {
      this.publishStatus.textContent = 'Enter the designer password (the server\u2019s DESIGNER_PASSWORD).';
      return;
    }
    this.publishSubmit.disabled = true;
    this.publishStatus.textContent = 'Publishing\u2026';
    try {
      const text = this.view.state.doc.toString();
      const gz = await new Response(new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer();
      const res = await fetch(new URL('/api/scenarios', serverUrl()), {
        method: 'POST',
        body: gz,
        headers: { 'content-type': 'application/yaml', 'content-encoding': 'gzip', authorization: `Bearer ${password}` },
      });
      const body = (await res.json().catch(() => ({}))) as Partial<PublishScenarioResponse> & { error?: string; errors?: { line?: number; path?: string; message: string }[] };
      if (!res.ok) {
        const first = body.errors?.[0];
        this.publishStatus.textContent = `${body.error ?? `The server answered ${res.status}.`}${first ? ` Line ${first.line ?? '?'}: ${first.path ? `${first.path}: ` : ''}${first.message}` : ''}`;
        if (res.status === 401) this.password.select();
        return;
      }
      this.publishDialog.close();
      const done = `Published \u201c${body.title}\u201d as ${body.file}${body.replaced ? ', replacing the earlier version' : ''}: teachers can choose it now.`;
      toast('ok', 'Published', done);
      announce(done);
    } catch (e) {
      this.publishStatus.textContent = 'Could not reach the server.';
      toastError(e);
    } finally {
      this.publishSubmit.disabled = false;
    }
  }

  update(): void {}

  unmount(): void {
    this.balance.destroy();
    this.preview.destroy();
    this.view?.destroy();
  }
}
