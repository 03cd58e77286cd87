import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';

const ROOT = join(__dirname, '..', '..');
/** Where refusals are written: the rules, the workflows and activities, the API and the worker. */
const DIRS = ['libs', 'workflows', 'activities', 'apps'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'dist' ? [] : sources(path);
    return e.name.endsWith('.ts') && !/\.(spec|e2e-spec|d)\.ts$/.test(e.name) ? [path] : [];
  });
}

const calleeName = (call: ts.CallExpression): string | undefined =>
  ts.isIdentifier(call.expression)
    ? call.expression.text
    : ts.isPropertyAccessExpression(call.expression)
      ? call.expression.name.text
      : undefined;

/** The object literal is an argument of `compute(…)`: its `rule` is a deadline's rule, not a refusal. */
function isDeadlineRequest(node: ts.Node): boolean {
  const object = node.parent;
  const call = object?.parent;
  return !!call && ts.isCallExpression(call) && calleeName(call) === 'compute';
}

/**
 * Every rule id a refusal can name, read from the sources: `rule: 'id'` in an object (not a
 * deadline's rule), the second argument of `ruleViolation(detail, 'id', …)`, the members of a
 * `…Rule` union type and of a list of rule ids (RULE_CODES, SIGNATURE_RULES). Each with the file it was found in first.
 */
export function ruleNamesInSources(): Map<string, string> {
  const found = new Map<string, string>();
  const add = (rule: string, file: string) => {
    if (!found.has(rule)) found.set(rule, relative(ROOT, file));
  };
  for (const file of DIRS.flatMap((d) => sources(join(ROOT, d)))) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node): void => {
      if (
        ts.isPropertyAssignment(node) &&
        ts.isIdentifier(node.name) &&
        node.name.text === 'rule' &&
        ts.isStringLiteral(node.initializer) &&
        !isDeadlineRequest(node)
      )
        add(node.initializer.text, file);
      if (ts.isCallExpression(node) && calleeName(node) === 'ruleViolation') {
        const rule = node.arguments[1];
        if (rule && ts.isStringLiteral(rule)) add(rule.text, file);
      }
      if (ts.isTypeAliasDeclaration(node) && /Rule$/.test(node.name.text) && ts.isUnionTypeNode(node.type))
        for (const member of node.type.types)
          if (ts.isLiteralTypeNode(member) && ts.isStringLiteral(member.literal)) add(member.literal.text, file);
      if (
        ts.isVariableDeclaration(node) &&
        ts.isIdentifier(node.name) &&
        /^(RULE_CODES|[A-Z_]+_RULES)$/.test(node.name.text) &&
        node.initializer
      ) {
        const list = ts.isAsExpression(node.initializer) ? node.initializer.expression : node.initializer;
        if (ts.isArrayLiteralExpression(list))
          for (const e of list.elements) if (ts.isStringLiteral(e)) add(e.text, file);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}
