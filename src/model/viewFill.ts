/**
 * How full a window sized for a view aims to be, as a share of the view limit. A view call costs
 * the same whether it returns 10 lines or 999, so fewer, fuller calls make a back-fill faster;
 * but a call that comes back full must be split and read again, so the aim stays below the limit
 * by a margin that a location's ordinary variation (a room added, a device silent) does not cross.
 */
export const VIEW_FILL = 0.9;
