/// <reference lib="dom" />
import fs from 'node:fs';
import type * as Axe from 'axe-core';
import type { Page } from 'playwright-core';

/** axe-core's browser build, evaluated in the page (the CSP allows no inline script tag; evaluate is not bound by it). */
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core'), 'utf8');
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** The serious and critical WCAG 2 A/AA violations axe finds on the page, one line per rule and element. */
export async function axeViolations(page: Page, label: string): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: typeof Axe }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .flatMap((v) =>
        v.nodes.map(
          (n) => `${v.id} (${v.impact}) ${n.target.join(' ')}: ${n.failureSummary?.split('\n')[1] ?? ''}`,
        ),
      );
  }, WCAG_AA);
  return violations.map((v) => `${label}: ${v}`);
}
