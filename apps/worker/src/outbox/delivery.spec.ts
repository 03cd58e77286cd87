import { classifySendError } from './delivery';

describe('which SMTP failures are retried', () => {
  it('does not retry a permanent 5xx answer to the envelope or the message', () => {
    expect(
      classifySendError({ code: 'EENVELOPE', responseCode: 550, response: '550 5.1.1 Mailbox unavailable' }),
    ).toEqual({ permanent: true, answer: '550 5.1.1 Mailbox unavailable' });
    expect(classifySendError({ code: 'EMESSAGE', responseCode: 554, response: '554 Message rejected' }).permanent).toBe(
      true,
    );
  });

  it('retries 4xx answers, a server that is down or silent, and a refused login (the sender’s configuration, not the recipient)', () => {
    expect(classifySendError({ code: 'EENVELOPE', responseCode: 451, response: '451 try later' }).permanent).toBe(
      false,
    );
    expect(classifySendError({ code: 'EENVELOPE', responseCode: 421, response: '421 Service busy' }).permanent).toBe(
      false,
    );
    expect(
      classifySendError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:2525'), { code: 'ESOCKET' })),
    ).toEqual({
      permanent: false,
      answer: 'ESOCKET: connect ECONNREFUSED 127.0.0.1:2525',
    });
    expect(classifySendError({ code: 'ETIMEDOUT', message: 'Greeting never received' }).permanent).toBe(false);
    expect(
      classifySendError({ code: 'EAUTH', responseCode: 535, response: '535 Authentication failed' }).permanent,
    ).toBe(false);
  });
});
