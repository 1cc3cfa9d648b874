/**
 * The workshop's editor: CodeMirror 6 with YAML highlighting, and the engine's own parser and checks
 * (shared/scenario/load.ts, the same as `npm run scenario -- check`) as a linter, so each error is
 * underlined at its line as the designer types.
 */
import { yaml } from '@codemirror/lang-yaml';
import { type Diagnostic, forceLinting, linter, lintGutter } from '@codemirror/lint';
import type { Text } from '@codemirror/state';
import { basicSetup, EditorView } from 'codemirror';
import { type ParseResult, parseScenario, type ScenarioIssue } from '#shared/scenario/load.ts';

export interface Checked {
  text: string;
  result: ParseResult;
}

/** The document offset of an issue's line and column, kept inside the document. */
export function offsetOf(doc: Text, line: number, column: number): number {
  const l = doc.line(Math.min(Math.max(1, line), doc.lines));
  return Math.min(l.to, l.from + Math.max(0, column - 1));
}

/** From the issue's column to the end of the word or value there (at least one character). */
function rangeOf(doc: Text, issue: ScenarioIssue): { from: number; to: number } {
  const from = offsetOf(doc, issue.line, issue.column);
  const line = doc.lineAt(from);
  const rest = line.text.slice(from - line.from);
  const word = /^[^\s:,{}[\]]+/.exec(rest)?.[0].length ?? 0;
  const to = word > 0 ? from + word : Math.min(line.to, from + 1);
  return to > from ? { from, to } : { from: Math.max(line.from, from - 1), to: from };
}

const theme = EditorView.theme({
  '&': { height: '100%', fontSize: '13.5px', backgroundColor: '#fffdf8' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.55' },
  '.cm-gutters': { backgroundColor: '#f6f3ea', borderRight: '1px solid #e8e3d6', color: '#5b6b62' },
  '.cm-activeLineGutter': { backgroundColor: '#efeadc' },
  '.cm-activeLine': { backgroundColor: 'rgba(47,107,69,0.05)' },
  '&.cm-focused': { outline: 'none' },
  '.cm-lintRange-error': { backgroundImage: 'none', textDecoration: 'underline wavy #b42318', textUnderlineOffset: '3px' },
  '.cm-lintRange-warning': { backgroundImage: 'none', textDecoration: 'underline wavy #b45f06', textUnderlineOffset: '3px' },
});

export function createEditor(parent: HTMLElement, text: string, onChecked: (c: Checked) => void): EditorView {
  const check = linter(
    (view) => {
      const doc = view.state.doc;
      const text = doc.toString();
      const result = parseScenario(text, 'draft.yaml');
      onChecked({ text, result });
      const issues = [...(result.ok ? [] : result.errors), ...result.warnings];
      return issues.map((i): Diagnostic => ({ ...rangeOf(doc, i), severity: i.severity, source: i.path, message: `${i.path}: ${i.message}` }));
    },
    { delay: 250 },
  );
  const view = new EditorView({
    doc: text,
    parent,
    extensions: [basicSetup, yaml(), check, lintGutter(), theme, EditorView.lineWrapping, EditorView.contentAttributes.of({ 'aria-label': 'Scenario file (YAML)' })],
  });
  // Check the opening text at once rather than after the typing delay: the preview is there when the
  // workshop opens, and a paste that follows at once still leaves a "last version without errors".
  forceLinting(view);
  return view;
}

/** Puts the cursor at an issue, scrolls it into view and focuses the editor. */
export function goTo(view: EditorView, issue: { line: number; column: number }): void {
  const at = offsetOf(view.state.doc, issue.line, issue.column);
  view.dispatch({ selection: { anchor: at }, scrollIntoView: true });
  view.focus();
}

export function setText(view: EditorView, text: string): void {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}
