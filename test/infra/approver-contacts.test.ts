import { describe, expect, it } from 'vitest';
import { CONTACTS_CONTEXT_KEY } from '../../infra/notifications.ts';
import { composeApp } from '../../infra/payguard-app.ts';
import { CDK_JSON_CONTEXT, newTestApp } from './synth-payguard.ts';

const EXAMPLE = CDK_JSON_CONTEXT[CONTACTS_CONTEXT_KEY] as {
  approvers: { id: string; name: string; email: string }[];
};

describe('approvers at synth', () => {
  it('refuses contacts that give two approver ids one e-mail, naming both', () => {
    // Prepare
    const [first, second] = EXAMPLE.approvers as [
      (typeof EXAMPLE.approvers)[0],
      (typeof EXAMPLE.approvers)[0],
    ];
    const app = newTestApp({
      [CONTACTS_CONTEXT_KEY]: { ...EXAMPLE, approvers: [first, { ...second, email: first.email }] },
    });

    // Act
    const synth = () => composeApp(app);

    // Assess
    expect(synth).toThrow(
      `approvers "${first.id}" and "${second.id}" share the e-mail ${first.email}: one person would receive both approval links`,
    );
  });

  it('refuses contacts that list one approver id twice', () => {
    // Prepare
    const [first] = EXAMPLE.approvers as [(typeof EXAMPLE.approvers)[0]];
    const app = newTestApp({
      [CONTACTS_CONTEXT_KEY]: {
        ...EXAMPLE,
        approvers: [first, { ...first, email: 'another@mzj.example.gov.cn' }],
      },
    });

    // Act
    const synth = () => composeApp(app);

    // Assess
    expect(synth).toThrow(`approver id "${first.id}" is listed twice`);
  });
});
