/**
 * Level of detail of the map: what is drawn at a zoom, decided by how far apart
 * neighbouring sites land on screen — so the same rules hold for 84 townships
 * and for 40,000. Zoomed out, each county-level unit is drawn as an aggregate
 * (a band on the township ring split by its townships' coverage classes); the
 * townships, their links and their names appear as they get room.
 */

/** Townships are drawn one by one from this on-screen spacing on, px; below it, as aggregates. */
export const TOWNSHIP_MIN_PX = 5;
/** Township names are candidates from this spacing on, px (a name is ~11 px high). */
export const TOWNSHIP_LABEL_MIN_PX = 11;
/** County-level names are candidates from this spacing on, px. */
export const COUNTY_LABEL_MIN_PX = 11;

export interface Lod {
  /** Townships and their links drawn one by one. */
  townships: boolean;
  /** County-level units drawn as aggregates of their townships (when townships are not). */
  aggregates: boolean;
  townshipLabels: boolean;
  countyLabels: boolean;
}

/** Mean distance between neighbours on a ring of `count` sites of radius `radius`, layout px. */
export function ringSpacing(radius: number, count: number): number {
  return count > 0 ? (2 * Math.PI * radius) / count : Infinity;
}

/**
 * @example levelOfDetail(1, { township: 33, county: 190 }) // Huizhou at zoom 1: everything
 * @example levelOfDetail(1, { township: 0.07, county: 0.66 }) // 40,000 townships fitted: aggregates only
 */
export function levelOfDetail(zoom: number, spacing: { township: number; county: number }): Lod {
  const township = zoom * spacing.township;
  const county = zoom * spacing.county;
  const townships = township >= TOWNSHIP_MIN_PX;
  return {
    townships,
    aggregates: !townships,
    townshipLabels: townships && township >= TOWNSHIP_LABEL_MIN_PX,
    countyLabels: county >= COUNTY_LABEL_MIN_PX,
  };
}

/** The zoom at which neighbouring townships are `px` apart on screen. */
export function zoomForSpacing(spacing: number, px: number): number {
  return spacing > 0 && Number.isFinite(spacing) ? px / spacing : 1;
}
