/** What the schema registry keeps, as stored in the journal's tables. */

export type SchemaType = 'OpenApi3' | 'JSONSchemaDraft4';

export interface RegistryRecord {
  arn: string;
  name: string;
  account: string;
  region: string;
  description?: string;
  tags: Record<string, string>;
  /** Its resource policy (PutResourcePolicy) and that policy's revision. */
  policy?: string;
  revisionId?: string;
}

export interface SchemaVersionRecord {
  version: string;
  type: SchemaType;
  content: string;
  createdAt: number;
}

export interface SchemaRecord {
  arn: string;
  name: string;
  registryName: string;
  account: string;
  region: string;
  description?: string;
  tags: Record<string, string>;
  /** Oldest first; a deleted version leaves a gap, and numbers are never reused. */
  versions: SchemaVersionRecord[];
  lastVersion: number;
  lastModified: number;
}

export interface DiscovererRecord {
  arn: string;
  id: string;
  account: string;
  region: string;
  sourceArn: string;
  description?: string;
  state: 'STARTED' | 'STOPPED';
  crossAccount: boolean;
  tags: Record<string, string>;
}
