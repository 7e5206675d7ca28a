// Documented differences between this project's evaluator and @cloud-copilot/iam-simulate. Each
// entry names the AWS source that says our answer is the right one, and a detector: a
// disagreement is accepted only when the case contains the feature the entry describes.
import type { Case } from './generate.ts';

type Conditions = Record<string, Record<string, string | string[]>>;

function* conditions(c: Case): Generator<[op: string, key: string, values: string[], version: string | undefined]> {
  const docs = [...c.identity, c.boundary, c.resourcePolicy, c.session].filter((d): d is Record<string, unknown> => d !== undefined);
  for (const doc of docs) {
    const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
    for (const s of statements as { Condition?: Conditions }[]) {
      for (const [op, keys] of Object.entries(s.Condition ?? {})) {
        for (const [key, values] of Object.entries(keys)) yield [op, key, Array.isArray(values) ? values : [values], doc.Version as string | undefined];
      }
    }
  }
}

function contextValue(c: Case, key: string): string | string[] | undefined {
  const found = Object.keys(c.context).find((k) => k.toLowerCase() === key.toLowerCase());
  return found === undefined ? undefined : c.context[found];
}

function allStrings(c: Case): { text: string; version: string | undefined }[] {
  const out: { text: string; version: string | undefined }[] = [];
  const docs = [...c.identity, c.boundary, c.resourcePolicy, c.session].filter((d): d is Record<string, unknown> => d !== undefined);
  for (const doc of docs) {
    const walk = (v: unknown): void => {
      if (typeof v === 'string') out.push({ text: v, version: doc.Version as string | undefined });
      else if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(doc.Statement);
  }
  return out;
}

export interface KnownDifference {
  id: string;
  description: string;
  source: string;
  applies: (c: Case) => boolean;
}

export const KNOWN_DIFFERENCES: KnownDifference[] = [
  {
    id: 'D1-single-value-array',
    description:
      'A plain (no ForAnyValue/ForAllValues) operator on a key whose request value is a one-element list: we compare it like a single value; iam-simulate types every list as multivalued and never matches.',
    source:
      'IAM User Guide, reference_policies_condition-single-vs-multi-valued-context-keys.html: "The difference between single-valued and multivalued context keys lies in the number of values in the request context, not the number of values in the policy condition."',
    applies: (c) => [...conditions(c)].some(([op, key]) => !/^For(Any|All)Value/i.test(op) && !/^Null$/i.test(op) && Array.isArray(contextValue(c, key)) && (contextValue(c, key) as string[]).length === 1),
  },
  {
    id: 'D2-ifexists-with-set-operator',
    description: 'ForAnyValue:...IfExists on a missing key: we apply IfExists (true); iam-simulate ignores IfExists under a set operator (false).',
    source:
      'IAM User Guide, reference_policies_elements_condition_operators.html, "...IfExists condition operators": "If the policy key is present in the context of the request, process the key as specified in the policy. If the key is not present, evaluate the condition element as true."',
    applies: (c) => [...conditions(c)].some(([op, key]) => /^ForAnyValue:.*IfExists$/i.test(op) && contextValue(c, key) === undefined),
  },
  {
    id: 'D3-variables-need-version',
    description: 'Policy variables in a policy whose Version is not 2012-10-17 (or missing): we read them literally; iam-simulate substitutes them anyway.',
    source:
      'IAM User Guide, reference_policies_elements_version.html: "If you do not include a Version element, ... policy variables such as ${aws:username} aren\'t recognized as variables and are instead treated as literal strings in the policy." (also reference_policies_variables.html)',
    applies: (c) => allStrings(c).some(({ text, version }) => version !== '2012-10-17' && text.includes('${')),
  },
  {
    id: 'D4-bare-ip-mixed-version',
    description:
      'IpAddress/NotIpAddress with a bare address (no /prefix) of the other IP version than the request: we treat it as a /32 (/128) block that the request is not in; iam-simulate answers "no match" for both IpAddress and NotIpAddress (while it answers "not in" for a CIDR block).',
    source:
      'IAM User Guide, reference_policies_elements_condition_operators.html, "IP address condition operators": NotIpAddress means "Not matching the specified IP address or range"; an IPv6 address does not match an IPv4 address.',
    applies: (c) => {
      const ip = contextValue(c, 'aws:SourceIp');
      if (typeof ip !== 'string') return false;
      return [...conditions(c)].some(([op, key, values]) => /NotIpAddress/i.test(op) && key.toLowerCase() === 'aws:sourceip' && values.some((v) => !v.includes('/') && v.includes(':') !== ip.includes(':')));
    },
  },
  {
    id: 'D5-session-arn-grant-vs-session-policy',
    description:
      'A resource-based policy that names the role-session ARN itself (or "*"), for a session that carries a session policy: we let the resource policy grant beyond the session policy; iam-simulate applies the session policy first and denies.',
    source:
      'IAM User Guide, access_policies.html#policies_session: "A resource-based policy can specify the ARN of the session as a principal. In that case, the permissions from the resource-based policy are added after the session is created. The resource-based policy permissions are not limited by the session policy."',
    applies: (c) => c.session !== undefined && /:assumed-role\/|"Principal":"\*"|"AWS":"\*"/.test(JSON.stringify(c.resourcePolicy ?? {})),
  },
];

export function explainDifference(c: Case): KnownDifference | undefined {
  return KNOWN_DIFFERENCES.find((d) => d.applies(c));
}
