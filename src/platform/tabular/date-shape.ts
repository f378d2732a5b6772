/** What a parsed date says about day/month order (dateShape() in dates.ts, the evidence in date-order.ts). */

/** The value has no day/month question: ISO, dotted (always day first), a month name, `05/05/2026`. */
export const SHAPE_PLAIN = 0;
/** `09/01/2026`: a real date either way, and a different one. */
export const SHAPE_AMBIGUOUS = 1;
/** `25/10/2026`: a real date only day first. */
export const SHAPE_DAY_FIRST = 2;
/** `10/25/2026`: a real date only month first. */
export const SHAPE_MONTH_FIRST = 3;
export type DateShape = 0 | 1 | 2 | 3;
