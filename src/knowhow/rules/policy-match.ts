import { type Entity, isObject, isRef, isUnknown, type Model, type Sym } from '../model.js';
import { arnService, entityArn, serviceOf } from './policy-arns.js';
import type { PolicyStatement } from './policy-statements.js';
import { anyTri, arnMatch, items, notTri, type Tri, wildcardMatch } from './policy-values.js';

/**
 * Whether a statement's Principal (or NotPrincipal) covers a service principal. `undefined` stands
 * for an identity policy, whose statements name no principal.
 */
export function principalCovers(statement: PolicyStatement, service: string | undefined): Tri {
  if (service === undefined) return 'yes';
  if (statement.principal !== undefined) return principalElementCovers(statement.principal, service);
  if (statement.notPrincipal !== undefined)
    return notTri(principalElementCovers(statement.notPrincipal, service));
  return 'no';
}

function principalElementCovers(element: Sym, service: string): Tri {
  if (element === '*') return 'yes';
  if (isUnknown(element)) return 'unknown';
  if (!isObject(element)) return 'no';
  const answers: Tri[] = [];
  for (const [type, value] of Object.entries(element)) {
    for (const item of items(value)) {
      if (isUnknown(item)) answers.push('unknown');
      else if (typeof item !== 'string')
        answers.push(type === 'Service' || type === 'AWS' ? 'unknown' : 'no');
      else if (type === 'AWS') answers.push(item === '*' ? 'yes' : 'no');
      else if (type === 'Service') answers.push(wildcardMatch(item, service, true) ? 'yes' : 'no');
      else answers.push('no');
    }
  }
  return anyTri(answers);
}

/** Whether a statement's Action (or NotAction) covers an action, as IAM matches them: case-insensitive, with wildcards. */
export function actionCovers(statement: PolicyStatement, action: string): Tri {
  if (statement.action !== undefined) return actionListCovers(statement.action, action);
  if (statement.notAction !== undefined) return notTri(actionListCovers(statement.notAction, action));
  return 'no';
}

function actionListCovers(list: Sym, action: string): Tri {
  if (isUnknown(list)) return 'unknown';
  return anyTri(
    items(list).map((item) =>
      typeof item === 'string' ? (wildcardMatch(item, action, true) ? 'yes' : 'no') : 'unknown',
    ),
  );
}

/**
 * Whether a statement's Resource (or NotResource) covers the destination. `destination` undefined
 * means any resource (key policies, whose Resource is the key itself).
 */
export function resourceCovers(
  model: Model,
  statement: PolicyStatement,
  destination: Destination | undefined,
): Tri {
  if (destination === undefined) return 'yes';
  if (statement.resource !== undefined) return resourceListCovers(model, statement.resource, destination);
  if (statement.notResource !== undefined) {
    return notTri(resourceListCovers(model, statement.notResource, destination));
  }
  // A resource policy's statement applies to the resource that carries it.
  return 'yes';
}

/** What a statement must grant access to: an entity of the model, or a literal ARN outside it. */
export type Destination = { entity: Entity; arn?: undefined } | { entity?: undefined; arn: string };

function resourceListCovers(model: Model, list: Sym, destination: Destination): Tri {
  if (isUnknown(list)) return 'unknown';
  return anyTri(items(list).map((item) => resourceItemCovers(model, item, destination)));
}

function resourceItemCovers(model: Model, item: Sym, destination: Destination): Tri {
  if (item === '*') return 'yes';
  const { entity } = destination;
  if (isRef(item)) {
    if (entity && (item.$ref === entity.id || item.$ref === entity.generatedBy)) return 'yes';
    return 'no';
  }
  if (typeof item !== 'string') return 'unknown';
  const arn = entity ? entityArn(model, entity) : destination.arn;
  if (arn) return arnMatch(item, arn, true);
  // The destination's name is generated at deploy time: only a pattern for another service rules it out.
  const service = arnService(item);
  if (
    entity &&
    service &&
    !service.includes('*') &&
    !service.includes('$') &&
    service !== serviceOf(model, entity)
  ) {
    return 'no';
  }
  return 'unknown';
}
