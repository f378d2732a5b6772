import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/**
 * Fails on serious and critical accessibility violations (WCAG 2.1 A/AA rules), naming each rule,
 * its impact and the elements it found, so a failure says what to fix.
 */
export async function assertAccessible(page: Page, what: string): Promise<void> {
  // Scan what the user settles on, not a table dimmed while its next rows load (aria-busy) or a fade
  // still running: CI once scanned the ROI grid mid-reload and read its dimmed headers as too faint.
  await page.waitForFunction(
    () =>
      document.querySelector('[aria-busy="true"] table') === null &&
      // a spinner runs forever: only finite animations (fades) are waited for
      document
        .getAnimations()
        .every(
          (a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Number.POSITIVE_INFINITY,
        ),
    undefined,
    { timeout: 15_000 },
  );
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length > 0) {
    const lines = bad.map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes
          .slice(0, 5)
          .map((n) => n.target.join(' '))
          .join('\n    ')}`,
    );
    throw new Error(
      `accessibility on ${what}: ${bad.length} serious/critical violation(s)\n  ${lines.join('\n  ')}`,
    );
  }
}
