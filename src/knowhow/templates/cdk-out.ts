import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { emptyModel, type Model } from '../model.js';
import { readCloudFormation, TemplateError } from './cloudformation.js';

interface Manifest {
  artifacts?: Record<string, { type?: string; properties?: { templateFile?: string } }>;
}

/**
 * A `cdk.out` folder: one model per stack template that its manifest.json names. Each model's
 * findings report the template's own path (`<dir>/<Stack>.template.json`).
 */
export async function readCdkOut(dir: string): Promise<Model[]> {
  const manifestPath = path.join(dir, 'manifest.json');
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Manifest;
  } catch (error) {
    throw new TemplateError(`${manifestPath}: not a cdk.out manifest (${(error as Error).message})`);
  }
  const models: Model[] = [];
  for (const artifact of Object.values(manifest.artifacts ?? {})) {
    const templateFile = artifact.properties?.templateFile;
    if (artifact.type !== 'aws:cloudformation:stack' || typeof templateFile !== 'string') continue;
    const file = path.join(dir, templateFile);
    const text = await readFile(file, 'utf8');
    if (!hasResources(text)) {
      // CDK's integ-test assertion stacks can be empty: nothing to lint, not an error.
      const model = emptyModel('template');
      model.notes.push({ origin: { file }, message: `${file}: a stack with no resources` });
      models.push(model);
      continue;
    }
    models.push(readCloudFormation(text, file));
  }
  return models;
}

/** Whether a folder is a cdk.out (has a manifest.json naming stack artifacts). */
export async function isCdkOut(dir: string): Promise<boolean> {
  try {
    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
    return Object.values(manifest.artifacts ?? {}).some(
      (artifact) => artifact.type === 'aws:cloudformation:stack',
    );
  } catch {
    return false;
  }
}

function hasResources(text: string): boolean {
  try {
    const template = JSON.parse(text) as { Resources?: unknown };
    return typeof template.Resources === 'object' && template.Resources !== null;
  } catch {
    return true; // let the reader report what is wrong with it
  }
}
