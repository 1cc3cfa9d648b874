/** A screen whose code is loaded when it is first opened (the record screens are not in the first load). */
import { app, toastError, type Screen } from '../app.ts';
import type { AnnouncementPayload } from '#shared/protocol.ts';
import { h } from './dom.ts';

export function lazyScreen(load: () => Promise<Screen>): Screen {
  let real: Screen | undefined;
  let root: HTMLElement | undefined;
  let gone = false;
  return {
    mount(el: HTMLElement): void {
      root = el;
      el.append(h('main#main.page', { tabindex: '-1' }, h('p.empty', { role: 'status' }, 'Loading…')));
      load()
        .then((s) => {
          if (gone || !root) return;
          root.replaceChildren();
          real = s;
          s.mount(root);
          app.render();
        })
        .catch((e) => toastError({ code: 'NETWORK', message: String(e) }));
    },
    update(): void {
      real?.update();
    },
    unmount(): void {
      gone = true;
      real?.unmount();
    },
    wantsAnnouncement(a: AnnouncementPayload): boolean {
      return real?.wantsAnnouncement ? real.wantsAnnouncement(a) : true;
    },
  };
}
