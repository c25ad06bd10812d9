import type { JsonReport } from './report';

/**
 * JUnit XML, as CI systems (GitLab, Jenkins, Azure Pipelines) show test reports: a test suite per file, a test
 * case per finding, failed for errors and warnings (infos and hints pass, with their message in `system-out`), so
 * a clean file is one passing case.
 */
export function formatJunit(report: JsonReport): string {
  const suites = report.files.map((file) => {
    const cases = file.findings.map((f) => {
      const where = `${file.path}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
      const name = `${f.ruleId} at ${where}`;
      const body = f.severity === 'error' || f.severity === 'warning'
        ? `<failure type="${f.severity}" message="${xml(f.message)}">${xml(`${where} ${f.severity} ${f.ruleId} ${f.message}`)}</failure>`
        : `<system-out>${xml(`${f.severity}: ${f.message}`)}</system-out>`;
      return `    <testcase classname="${xml(file.path)}" name="${xml(name)}">${body}</testcase>`;
    });
    const failures = file.findings.filter((f) => f.severity === 'error' || f.severity === 'warning').length;
    const all = cases.length > 0 ? cases : [`    <testcase classname="${xml(file.path)}" name="no problems"/>`];
    return `  <testsuite name="${xml(file.path)}" tests="${all.length}" failures="${failures}" errors="0">\n${all.join('\n')}\n  </testsuite>`;
  });
  const failures = report.summary.errors + report.summary.warnings;
  const tests = report.files.reduce((n, f) => n + Math.max(1, f.findings.length), 0);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="k8s-image-lint" tests="${tests}" failures="${failures}" errors="0">\n${suites.join('\n')}\n</testsuites>\n`;
}

/** Text for XML attributes and content; characters XML 1.0 cannot hold at all are dropped. */
function xml(s: string): string {
  return s
    .replace(/[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\ud800-\udfff]/g, '')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\n/g, '&#10;');
}
