import type { JsonReport } from './report';

/**
 * GitHub Actions workflow commands, one per finding: `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=RULE::message`
 * (errors as `error`, warnings as `warning`, infos and hints as `notice`), which GitHub shows as annotations on the
 * pull request. Values are escaped as the runner expects (`%`, line breaks; and `:` `,` in properties), so no
 * file name or message can end the command early or start another. A finding in a rendered stream is annotated
 * on its `# Source:` file, without a line (the stream's lines are not the template's).
 */
export function formatGithub(report: JsonReport): string {
  let out = '';
  for (const file of report.files) {
    for (const f of file.findings) {
      const command = f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'notice';
      const { start, end } = f.range;
      const where = f.source !== undefined
        ? `file=${property(f.source)}`
        : `file=${property(file.path)},line=${start.line + 1},col=${start.character + 1},endLine=${end.line + 1},endColumn=${end.character + 1}`;
      const at = f.source !== undefined ? ` (${file.path}:${start.line + 1}:${start.character + 1})` : '';
      out += `::${command} ${where},title=${property(f.ruleId)}::${data(f.message + at)}\n`;
    }
  }
  return out;
}

function data(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function property(s: string): string {
  return data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
