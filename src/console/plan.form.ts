import { FormBody, one } from './console-forms';

const NUMBER_FIELDS = ['so2', 'nox', 'pm', 'vocs'] as const;

const numberOrRaw = (v: string | undefined, fallback: unknown) =>
  v === undefined ? fallback : /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;

export interface PlanForm {
  plain: { measures: Array<Record<string, unknown>> };
  /** For each measure sent, the editor row it came from, so errors on measures[k] land on that row. */
  rowOf: number[];
}

/**
 * The plan editor's rows (m.<i>.<field>) as the API's plan body. Rows marked for removal, and blank rows,
 * are left out; numbers that do not parse are passed on so the validator names them.
 */
export function planFromForm(body: FormBody, rowCount: number): PlanForm {
  const measures: Array<Record<string, unknown>> = [];
  const rowOf: number[] = [];
  for (let i = 0; i < rowCount; i++) {
    const f = (name: string) => one(body, `m.${i}.${name}`);
    if (f('remove')) continue;
    if (!f('action') && !f('description')) continue;
    const paramsText = f('params');
    let params: unknown = undefined;
    if (paramsText) {
      try {
        params = JSON.parse(paramsText);
      } catch {
        params = paramsText; // the validator reports "params must be an object"
      }
    }
    measures.push({
      level: f('level') ?? '',
      line: f('line') ?? null,
      action: f('action') ?? '',
      ...(params !== undefined ? { params } : {}),
      description: f('description') ?? '',
      fromHour: numberOrRaw(f('fromHour'), null),
      toHour: numberOrRaw(f('toHour'), null),
      reduction: Object.fromEntries(NUMBER_FIELDS.map((p) => [p, numberOrRaw(f(p), 0)])),
      verification: f('verification') ?? '',
    });
    rowOf.push(i);
  }
  return { plain: { measures }, rowOf };
}

/** measures[k].reduction.so2 → "m.<row>" so the editor marks the row. */
export function planErrorKey(field: string, rowOf: number[]): string {
  const m = /^measures\[(\d+)\]/.exec(field);
  return m ? `m.${rowOf[Number(m[1])] ?? m[1]}` : field.split(/[.[]/)[0];
}
