import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { headerSecrets, MIN_REDACTED_LENGTH, REDACTED, Redactor, redactValues } from '../../../../src/core/redaction';

describe('redactValues', () => {
  it('hides the longer of two overlapping values whole', () => {
    assert.equal(redactValues('token abcd1234', ['abcd', 'abcd1234']), `token ${REDACTED}`);
    // Either order: the longer one is never left as "‹secret›efgh".
    assert.equal(redactValues('abcdefgh and abcd', ['abcd', 'abcdefgh']), `${REDACTED} and ${REDACTED}`);
    assert.equal(redactValues('abcdefgh and abcd', ['abcdefgh', 'abcd']), `${REDACTED} and ${REDACTED}`);
  });

  it('hides every occurrence, and leaves values shorter than the minimum alone', () => {
    assert.equal(MIN_REDACTED_LENGTH, 4);
    assert.equal(redactValues('k-99 k-999 k-999', ['k-9', 'k-999']), `k-99 ${REDACTED} ${REDACTED}`);
  });
});

describe('Redactor', () => {
  it('hides values added while it is in use, and keeps the old ones', () => {
    const redactor = new Redactor();
    assert.equal(redactor.redact('token abcd'), 'token abcd');
    redactor.add('abcd');
    assert.equal(redactor.redact('token abcd'), `token ${REDACTED}`);
    redactor.addAll(['abcdefgh', 'ab']);
    redactor.add(undefined);
    assert.equal(redactor.redact('abcdefgh abcd ab'), `${REDACTED} ${REDACTED} ab`);
    assert.deepEqual([...redactor.values()].sort(), ['abcd', 'abcdefgh']);
  });
});

describe('headerSecrets', () => {
  it('adds the credentials of an Authorization header, and only of one', () => {
    assert.deepEqual(headerSecrets('Authorization', 'Bearer sk-live-1234'), ['Bearer sk-live-1234', 'sk-live-1234']);
    assert.deepEqual(headerSecrets('proxy-authorization', 'Basic dXNlcjpwdw=='), ['Basic dXNlcjpwdw==', 'dXNlcjpwdw==']);
    assert.deepEqual(headerSecrets('X-Api-Key', 'key sk-live-1234'), ['key sk-live-1234']);
    assert.deepEqual(headerSecrets('Authorization', 'sk-live-1234'), ['sk-live-1234']);
  });
});
