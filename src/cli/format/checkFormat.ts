import type { CheckResult } from "../check/checkResult.js";

/** One line per check: "PASS hub a: 4 partitions", "FAIL view peoplecounter: … (check MICROSHARE_PC_DASHBOARD_VIEW_ID)". */
export function formatCheck(result: CheckResult): string {
  const fix = result.verdict === "FAIL" && result.fix !== undefined ? ` (check ${result.fix})` : "";
  return `${result.verdict} ${result.check}: ${result.detail}${fix}`;
}
