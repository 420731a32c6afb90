import { type Advice, SERVICE_NAMES } from './advice.js';

const WIDTH = 100;

function wrap(text: string, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && indent.length + line.length + 1 + word.length > WIDTH) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(indent + line);
  return lines.join('\n');
}

/** The advice for people: pattern, services with reasons, integrations, then settings by service. */
export function formatAdviceText(advice: Advice): string {
  const out: string[] = [`Pattern: ${advice.pattern}`, '', 'Services'];
  for (const service of advice.services) {
    out.push(`  ${service.id} (${SERVICE_NAMES[service.id]})`, wrap(service.reason, '      '));
  }
  if (advice.integrations.length > 0) {
    out.push('', 'Integrations');
    for (const integration of advice.integrations) {
      out.push(
        `  ${integration.id}: ${integration.services.join(' → ')}`,
        wrap(integration.description, '      '),
      );
    }
  }
  if (advice.settings.length > 0) {
    out.push('', 'Production settings');
    for (const setting of advice.settings) {
      out.push(`  ${setting.service}  ${setting.setting} = ${setting.value}`, wrap(setting.why, '      '));
    }
  }
  return `${out.join('\n')}\n`;
}
