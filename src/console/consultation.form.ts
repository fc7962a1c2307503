import { shanghaiIso } from '../common/time';
import { FormBody, many, one } from './console-forms';
import type { PasteResult } from './forecast-paste.rules';

/** How many forecast days the consultation grid offers: the detailed days and the trend (预警提示) after them. */
export const GRID_DAYS = 10;

const cellKey = (field: 'aqi' | 'pollutant', countyCode: string, day: number) =>
  `${field}.${countyCode}.${day}`;

export interface ConsultationForm {
  plain: Record<string, unknown>;
  /** For each forecast sent, the grid cell it came from, so errors on forecasts[i] land on that cell. */
  cellOf: string[];
}

const intOrRaw = (v: string) => (/^-?\d+$/.test(v) ? Number(v) : v);

/** The consultation form (a county × day grid, opinion, optional directive) as the API's request body. */
export function consultationFromForm(body: FormBody, countyCodes: string[]): ConsultationForm {
  const forecasts: Array<Record<string, unknown>> = [];
  const cellOf: string[] = [];
  for (let day = 0; day < GRID_DAYS; day++) {
    const date = one(body, `date.${day}`);
    for (const countyCode of countyCodes) {
      const aqi = one(body, cellKey('aqi', countyCode, day));
      if (aqi === undefined) continue;
      forecasts.push({
        countyCode,
        date: date ?? '',
        aqi: intOrRaw(aqi),
        primaryPollutant: one(body, cellKey('pollutant', countyCode, day)) ?? 'PM2.5',
      });
      cellOf.push(cellKey('aqi', countyCode, day));
    }
  }
  const plain: Record<string, unknown> = {
    heldAt: shanghaiIso(one(body, 'heldAt')) ?? '',
    participants: (one(body, 'participants') ?? '')
      .split(/[\n,,、]/)
      .map((p) => p.trim())
      .filter(Boolean),
    opinion: one(body, 'opinion') ?? '',
    forecasts,
  };
  const kind = one(body, 'directiveKind');
  if (kind) {
    plain.directive = {
      kind,
      number: one(body, 'directiveNumber') ?? '',
      level: one(body, 'directiveLevel') ?? '',
      countyCodes: many(body, 'directiveCounties'),
      from: shanghaiIso(one(body, 'directiveFrom')) ?? '',
      ...(one(body, 'directiveTo') ? { to: shanghaiIso(one(body, 'directiveTo')) } : {}),
    };
  }
  return { plain, cellOf };
}

/** Error field paths as the form's input names: forecasts[i].aqi → the grid cell, directive.x → directiveX. */
export function consultationErrorKey(field: string, cellOf: string[]): string {
  const forecast = /^forecasts\[(\d+)\]/.exec(field);
  if (forecast) return cellOf[Number(forecast[1])] ?? 'forecasts';
  const directive = /^directive\.(\w+)/.exec(field);
  if (directive) return `directive${directive[1][0].toUpperCase()}${directive[1].slice(1)}`;
  return field.split(/[.[]/)[0];
}

/** The grid's values after a paste: the header's dates, and each pasted cell (an empty one cleared). */
export function withPaste(values: FormBody, pasted: PasteResult): FormBody {
  const out: FormBody = { ...values };
  for (const { day, date } of pasted.dates) out[`date.${day}`] = date;
  for (const c of pasted.cells) {
    out[cellKey('aqi', c.countyCode, c.day)] = c.aqi === null ? '' : String(c.aqi);
    // An AQI alone keeps the pollutant the grid shows.
    if (c.pollutant) out[cellKey('pollutant', c.countyCode, c.day)] = c.pollutant;
  }
  return out;
}

export interface CopiedConsultation {
  values: FormBody;
  /** How many counties and days of the earlier forecast fall on the new grid's dates. */
  counties: number;
  days: number;
}

/**
 * 复制上次会商: an earlier consultation as the new form's values. Its forecast is laid on the new grid by date, so
 * yesterday's second day becomes today's first and the days after its last are left blank; the participants are
 * copied, the opinion (today's judgement) is not.
 */
export function copiedConsultation(
  source: {
    participants: string[];
    forecasts: Array<{ countyCode: string; date: string; aqi: number; primaryPollutant: string }>;
  },
  dates: readonly string[],
): CopiedConsultation {
  const values: FormBody = { participants: source.participants.join('\n'), opinion: '' };
  dates.forEach((date, day) => (values[`date.${day}`] = date));
  const counties = new Set<string>();
  const days = new Set<number>();
  for (const f of source.forecasts) {
    const day = dates.indexOf(f.date);
    if (day < 0) continue;
    values[cellKey('aqi', f.countyCode, day)] = String(f.aqi);
    values[cellKey('pollutant', f.countyCode, day)] = f.primaryPollutant;
    counties.add(f.countyCode);
    days.add(day);
  }
  return { values, counties: counties.size, days: days.size };
}
