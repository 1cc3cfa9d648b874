/**
 * The list of problems under the editor: each error and warning with its line, path and message.
 * Keyboard: Up/Down (and Home/End) move between problems, Enter or a click puts the cursor there.
 */
import type { ParseResult, ScenarioIssue } from '#shared/scenario/load.ts';
import { h, icon, replace } from '../ui/dom.ts';

export function renderProblems(host: HTMLElement, result: ParseResult | undefined, onPick: (i: ScenarioIssue) => void): void {
  if (!result) {
    replace(host, h('p.ws-problems-empty', null, 'Checking…'));
    return;
  }
  const issues = [...(result.ok ? [] : result.errors), ...result.warnings];
  const errors = result.ok ? 0 : result.errors.length;
  const warnings = result.warnings.length;
  const summary = h(
    'div.ws-problems-head',
    { role: 'status', 'data-testid': 'problems-summary' },
    errors ? h('span.ws-badge.bad', null, icon('x'), `${errors} error${errors === 1 ? '' : 's'}`) : h('span.ws-badge.ok', null, icon('check'), 'No errors'),
    warnings ? h('span.ws-badge.warn', null, `${warnings} warning${warnings === 1 ? '' : 's'}`) : null,
    errors === 0 && result.ok ? h('span.muted.small', null, `${result.scenario.powers.length} powers · ${result.scenario.moves.length} moves · ${result.scenario.events.length} events`) : null,
  );
  if (issues.length === 0) {
    replace(host, summary);
    return;
  }
  const move = (e: KeyboardEvent) => {
    const items = [...host.querySelectorAll<HTMLButtonElement>('button.ws-problem')];
    const i = items.indexOf(e.target as HTMLButtonElement);
    const next = e.key === 'ArrowDown' ? i + 1 : e.key === 'ArrowUp' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? items.length - 1 : undefined;
    if (next === undefined) return;
    e.preventDefault();
    items[Math.max(0, Math.min(items.length - 1, next))]?.focus();
  };
  const list = h(
    'ul.ws-problem-list',
    { 'aria-label': 'Problems in the file', 'data-testid': 'problems' },
    issues.map((issue, i) =>
      h(
        'li',
        null,
        h(
          `button.ws-problem.${issue.severity}`,
          {
            type: 'button',
            tabindex: i === 0 ? '0' : '-1',
            'data-line': String(issue.line),
            onclick: () => onPick(issue),
            onkeydown: move,
            onfocus: (e: Event) => {
              for (const b of host.querySelectorAll('button.ws-problem')) b.setAttribute('tabindex', b === e.target ? '0' : '-1');
            },
          },
          h('span.ws-problem-at', null, `Line ${issue.line}`),
          h('span.ws-problem-path', null, issue.path),
          h('span.ws-problem-msg', null, issue.message),
        ),
      ),
    ),
  );
  replace(host, summary, list);
}
