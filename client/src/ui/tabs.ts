/**
 * An accessible tab list (WAI-ARIA tabs): one button per tab, arrow keys move between them, only the
 * selected tab is in the tab order. The caller draws the panel with id `${prefix}panel-${tab}`.
 */
import { type Child, h, icon } from './dom.ts';

export interface TabSpec<T extends string> {
  tabs: T[];
  selected: T;
  /** Ids become `${prefix}tab-${t}` and `${prefix}panel-${t}`; test ids `${testPrefix}-${t}`. */
  prefix: string;
  testPrefix: string;
  label: Record<T, string>;
  icon: Record<T, Parameters<typeof icon>[0]>;
  /** Extra content after a tab's label (an unread badge). */
  extra?: (t: T) => Child;
  select: (t: T) => void;
}

export function tabList<T extends string>(spec: TabSpec<T>): HTMLElement {
  const { tabs, selected, prefix, select } = spec;
  return h(
    'div',
    { role: 'tablist', 'aria-label': 'Panels' },
    tabs.map((t, i) =>
      h(
        'button',
        {
          type: 'button',
          role: 'tab',
          id: `${prefix}tab-${t}`,
          'aria-selected': String(t === selected),
          'aria-controls': `${prefix}panel-${t}`,
          tabindex: t === selected ? '0' : '-1',
          'data-testid': `${spec.testPrefix}-${t}`,
          onclick: () => select(t),
          onkeydown: (e: KeyboardEvent) => {
            if (e.key === 'ArrowRight') select(tabs[(i + 1) % tabs.length]!);
            if (e.key === 'ArrowLeft') select(tabs[(i - 1 + tabs.length) % tabs.length]!);
          },
        },
        icon(spec.icon[t]),
        ` ${spec.label[t]}`,
        spec.extra?.(t) ?? null,
      ),
    ),
  );
}
