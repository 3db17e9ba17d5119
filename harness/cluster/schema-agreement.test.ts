import type cassandra from 'cassandra-driver';
import { describe, expect, it } from 'vitest';
import { waitForSchemaAgreement } from './driver.ts';

/** A client whose nodes agree from the `agreeOn`-th look on (never, with Infinity). */
function clientAgreeingOn(agreeOn: number): { client: cassandra.Client; looks: () => number } {
  let looks = 0;
  const metadata = { checkSchemaAgreement: async () => ++looks >= agreeOn };
  return { client: { metadata } as unknown as cassandra.Client, looks: () => looks };
}

describe('waitForSchemaAgreement', () => {
  it('asks until the nodes agree, and no longer', async () => {
    const { client, looks } = clientAgreeingOn(3);
    await waitForSchemaAgreement(client, 5_000);
    expect(looks()).toBe(3);
  });

  it('says so when they do not agree in time', async () => {
    const { client, looks } = clientAgreeingOn(Infinity);
    await expect(waitForSchemaAgreement(client, 1_000)).rejects.toThrow('the nodes did not agree on one schema version within 1 s');
    expect(looks()).toBeGreaterThan(1);
  });
});
