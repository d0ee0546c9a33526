import type {
  Link,
  Paragraph,
  Parent,
  PhrasingContent,
  Root,
  RootContent,
  Table,
  TableCell,
  TableRow,
} from 'mdast';

/**
 * Two GitHub-flavoured Markdown features replies use all the time, added to react-markdown's
 * CommonMark parser without the `remark-gfm` package (not installed here): pipe tables and bare
 * `http(s)://` URLs as links. Both work on the parsed tree, after CommonMark has done its part,
 * so code spans and code blocks are never touched and inline formatting inside a table cell
 * (`code`, **bold**, links) is kept.
 */
export function remarkTablesAndLinks() {
  return (tree: Root): void => {
    rewriteBlocks(tree);
    linkBareUrls(tree);
  };
}

// ---------------------------------------------------------------------------------------------
// Tables. CommonMark reads a pipe table as one paragraph whose lines are the rows. A paragraph
// holds a table from the line that has a delimiter row (`| --- | :-: |`) under it; lines before
// it stay a paragraph.

type Alignment = 'left' | 'right' | 'center' | null;

const DELIMITER_CELL = /^\s*:?-+:?\s*$/;

/** The paragraph's inline content split at line breaks (soft `\n` in text, or hard breaks). */
function splitLines(children: readonly PhrasingContent[]): PhrasingContent[][] {
  const lines: PhrasingContent[][] = [[]];
  const current = (): PhrasingContent[] => lines[lines.length - 1] as PhrasingContent[];
  for (const child of children) {
    if (child.type === 'break') {
      lines.push([]);
      continue;
    }
    if (child.type !== 'text' || !child.value.includes('\n')) {
      current().push(child);
      continue;
    }
    const parts = child.value.split('\n');
    parts.forEach((part, index) => {
      if (index > 0) lines.push([]);
      if (part !== '') current().push({ type: 'text', value: part });
    });
  }
  return lines;
}

/** A line's cells: its inline nodes split at `|` in text (leading and trailing pipes dropped). */
function splitCells(line: readonly PhrasingContent[]): PhrasingContent[][] {
  const cells: PhrasingContent[][] = [[]];
  for (const node of line) {
    if (node.type !== 'text') {
      (cells[cells.length - 1] as PhrasingContent[]).push(node);
      continue;
    }
    // `\|` is a pipe inside a cell; CommonMark already turned it into `|`, so every pipe in a
    // text node splits (the rare escaped pipe in a table cell is the accepted cost).
    node.value.split('|').forEach((part, index) => {
      if (index > 0) cells.push([]);
      if (part !== '')
        (cells[cells.length - 1] as PhrasingContent[]).push({ type: 'text', value: part });
    });
  }
  const text = (cell: PhrasingContent[]): string =>
    cell.map((node) => (node.type === 'text' ? node.value : 'x')).join('');
  if (cells.length > 1 && text(cells[0] as PhrasingContent[]).trim() === '') cells.shift();
  if (cells.length > 1 && text(cells[cells.length - 1] as PhrasingContent[]).trim() === '') {
    cells.pop();
  }
  return cells.map(trimCell);
}

function trimCell(cell: PhrasingContent[]): PhrasingContent[] {
  const result = cell.map((node) => (node.type === 'text' ? { ...node } : node));
  const first = result[0];
  if (first?.type === 'text') first.value = first.value.trimStart();
  const last = result[result.length - 1];
  if (last?.type === 'text') last.value = last.value.trimEnd();
  return result.filter((node) => node.type !== 'text' || node.value !== '');
}

function lineText(line: readonly PhrasingContent[]): string | undefined {
  let text = '';
  for (const node of line) {
    if (node.type !== 'text') return undefined;
    text += node.value;
  }
  return text;
}

/** The alignments of a delimiter row, or undefined when the line is not one. */
function delimiterRow(line: readonly PhrasingContent[]): Alignment[] | undefined {
  const text = lineText(line);
  if (text === undefined || !text.includes('-') || !text.includes('|')) return undefined;
  let cells = text.trim().split('|');
  if (cells[0]?.trim() === '') cells = cells.slice(1);
  if (cells[cells.length - 1]?.trim() === '') cells = cells.slice(0, -1);
  if (cells.length === 0 || !cells.every((cell) => DELIMITER_CELL.test(cell))) return undefined;
  return cells.map((cell) => {
    const trimmed = cell.trim();
    const left = trimmed.startsWith(':');
    const right = trimmed.endsWith(':');
    return left && right ? 'center' : right ? 'right' : left ? 'left' : null;
  });
}

function hasPipe(line: readonly PhrasingContent[]): boolean {
  return line.some((node) => node.type === 'text' && node.value.includes('|'));
}

function tableRow(line: readonly PhrasingContent[], columns: number): TableRow {
  const cells = splitCells(line);
  const children: TableCell[] = [];
  for (let index = 0; index < columns; index += 1) {
    children.push({ type: 'tableCell', children: cells[index] ?? [] });
  }
  return { type: 'tableRow', children };
}

/** The paragraph as blocks: itself when it holds no table, else text before and the table. */
function paragraphBlocks(paragraph: Paragraph): RootContent[] {
  const lines = splitLines(paragraph.children);
  for (let index = 0; index + 1 < lines.length; index += 1) {
    const header = lines[index] as PhrasingContent[];
    const align = delimiterRow(lines[index + 1] as PhrasingContent[]);
    if (align === undefined || !hasPipe(header)) continue;
    if (splitCells(header).length !== align.length) continue;
    const rows: TableRow[] = [tableRow(header, align.length)];
    let end = index + 2;
    while (end < lines.length && hasPipe(lines[end] as PhrasingContent[])) {
      rows.push(tableRow(lines[end] as PhrasingContent[], align.length));
      end += 1;
    }
    const table: Table = { type: 'table', align, children: rows };
    const blocks: RootContent[] = [];
    if (index > 0) blocks.push(joinLines(lines.slice(0, index)));
    blocks.push(table);
    if (end < lines.length) blocks.push(...paragraphBlocks(joinLines(lines.slice(end))));
    return blocks;
  }
  return [paragraph];
}

function joinLines(lines: readonly PhrasingContent[][]): Paragraph {
  const children: PhrasingContent[] = [];
  lines.forEach((line, index) => {
    if (index > 0) children.push({ type: 'text', value: '\n' });
    children.push(...line);
  });
  return { type: 'paragraph', children };
}

function rewriteBlocks(parent: Parent): void {
  const next: RootContent[] = [];
  let changed = false;
  for (const child of parent.children) {
    if (child.type === 'paragraph') {
      const blocks = paragraphBlocks(child);
      if (blocks.length !== 1 || blocks[0] !== child) changed = true;
      next.push(...blocks);
      continue;
    }
    if (child.type === 'blockquote' || child.type === 'listItem' || child.type === 'list') {
      rewriteBlocks(child);
    }
    next.push(child);
  }
  if (changed) parent.children = next;
}

// ---------------------------------------------------------------------------------------------
// Bare URLs. Text outside links and code: `https://example.com/a?b=c` becomes a link. Trailing
// punctuation that usually ends the sentence (`.`, `,`, `)` without its `(`) stays text.

const BARE_URL = /\bhttps?:\/\/[^\s<>"'`]+/g;
const TRAILING = /[.,;:!?*_~]+$/;

function trimUrl(url: string): string {
  let result = url.replace(TRAILING, '');
  while (result.endsWith(')') && countOf(result, '(') < countOf(result, ')')) {
    result = result.slice(0, -1).replace(TRAILING, '');
  }
  return result;
}

function countOf(text: string, character: string): number {
  return text.split(character).length - 1;
}

/** Text with its bare URLs as links. */
export function linkifyText(value: string): PhrasingContent[] {
  const nodes: PhrasingContent[] = [];
  let position = 0;
  for (const match of value.matchAll(BARE_URL)) {
    const url = trimUrl(match[0]);
    if (url.length <= 'https://'.length) continue;
    const start = match.index;
    if (start > position) nodes.push({ type: 'text', value: value.slice(position, start) });
    const link: Link = { type: 'link', url, children: [{ type: 'text', value: url }] };
    nodes.push(link);
    position = start + url.length;
  }
  if (position === 0) return [{ type: 'text', value }];
  if (position < value.length) nodes.push({ type: 'text', value: value.slice(position) });
  return nodes;
}

function linkBareUrls(node: Parent): void {
  if (node.type === 'link' || node.type === 'linkReference') return;
  const next: Parent['children'][number][] = [];
  let changed = false;
  for (const child of node.children) {
    if (child.type === 'text') {
      const parts = linkifyText(child.value);
      if (parts.length !== 1 || parts[0]?.type !== 'text') changed = true;
      next.push(...parts);
      continue;
    }
    if ('children' in child) linkBareUrls(child);
    next.push(child);
  }
  if (changed) node.children = next;
}
