import type { PreviewRow } from '../enterprises/import-preview.rules';
import type { ImportPreview } from '../enterprises/reduction-list.service';

/** Rows of each kind listed on the page; the counts are always whole (a 10,000-row list stays readable). */
export const PREVIEW_ROWS_SHOWN = 200;

export interface PreviewSection {
  kind: PreviewRow['kind'];
  title: string;
  count: number;
  rows: Array<PreviewRow & { countyName: string }>;
  more: number;
}

/** The preview page's model: the three counts, the rows of each kind with county names, errors and warnings. */
export function importPreviewView(
  preview: ImportPreview,
  countyNames: Record<string, string>,
): {
  counts: { added: number; updated: number; unchanged: number; measures: number };
  sections: PreviewSection[];
  nothingToDo: boolean;
  errors: ImportPreview['errors'];
  moreErrors: number;
  warnings: ImportPreview['warnings'];
} {
  const section = (kind: PreviewRow['kind'], title: string): PreviewSection => {
    const all = preview.rows.filter((r) => r.kind === kind);
    return {
      kind,
      title,
      count: all.length,
      rows: all
        .slice(0, PREVIEW_ROWS_SHOWN)
        .map((r) => ({ ...r, countyName: countyNames[r.countyCode] ?? r.countyCode })),
      more: Math.max(0, all.length - PREVIEW_ROWS_SHOWN),
    };
  };
  return {
    counts: {
      added: preview.added,
      updated: preview.updated,
      unchanged: preview.unchanged,
      measures: preview.measures,
    },
    sections: [section('added', '新增'), section('updated', '更新'), section('unchanged', '未变')].filter(
      (s) => s.count > 0,
    ),
    nothingToDo: preview.added + preview.updated === 0,
    errors: preview.errors.slice(0, PREVIEW_ROWS_SHOWN),
    moreErrors: Math.max(0, preview.errorCount - PREVIEW_ROWS_SHOWN),
    warnings: preview.warnings,
  };
}
