/** Durations in milliseconds: the one place they are spelled out (durations are ms everywhere). */
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
