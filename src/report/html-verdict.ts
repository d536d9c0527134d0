/** The go-live page's verdict: the gate, the headline and every check with its status. */
import { gateVerdict } from './common.js';
import { type FailOn, type Report, reportHeadline } from '../checks/run.js';
import { badge } from './html-parts.js';
import { esc } from './html-svg.js';

export function verdictSection(report: Report, exitCode: number, failOn: FailOn, softFail: boolean): string {
  // one wording of the verdict for every format: a soft-failed gate is still FAILED, just not enforced
  const verdict = gateVerdict(report, { exitCode, failOn, softFail });
  const passed = verdict === 'PASSED';
  const s = report.summary;
  const top = reportHeadline(report);
  const rows = report.checks.map(
    (c) =>
      `<tr class="${c.status}"><th scope="row"><a href="#check-${esc(c.id)}">${esc(c.id)}</a></th><td>${badge(c.status)}</td><td><span class="check-title">${esc(c.title)}</span><br>${esc(c.headline)}</td></tr>`,
  );
  return `<section id="verdict" aria-labelledby="verdict-h">
<h2 id="verdict-h">Verdict</h2>
<div class="verdict ${passed ? 'pass' : 'fail'}">
${badge(passed ? 'pass' : 'fail')}
<p><strong>Gate ${esc(verdict)}</strong>: <code>readiness check</code> exits <strong class="exit-code">${esc(exitCode)}</strong>${
    failOn === 'warn' ? ' (failing on warnings too: --fail-on warn)' : ''
  }. ${report.checks.length} checks: ${s.pass} pass, ${s.warn} warn, ${s.fail} fail.</p>
<p class="headline">${badge(top.status === 'waived' ? 'pass' : top.status)} <a href="#check-${esc(top.check)}"><code>${esc(top.check)}</code></a>: ${esc(top.message)}</p>${
    top.reliesOnFailover && top.check !== 'rate-limit-sizing' ? `\n<p class="headline">${badge('warn')} <a href="#check-rate-limit-sizing"><code>rate-limit-sizing</code></a>: ${esc(top.reliesOnFailover)}</p>` : ''
  }
</div>
<table class="checks"><caption>The ${report.checks.length} readiness checks</caption>
<thead><tr><th scope="col">Check</th><th scope="col">Status</th><th scope="col">What was found</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>
</section>`;
}
